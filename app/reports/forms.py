"""Forms of the reports area: the download centre's filters and its bulk download."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, SelectMultipleField
from wtforms.validators import ValidationError

from app.form_fields import DATE_PARTS, DateInputField
from app.forms_common import BaseForm, choices
from app.params import parse_id
from app.reports.listing import KIND_FILTERS, STATUS_FILTERS, Filters


class FilterForm(BaseForm):
    """Narrow the download centre (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    kind = SelectField(
        "Document", choices=choices({"": "All documents", **KIND_FILTERS}), default=""
    )
    stream = SelectField("Value stream", default="")
    status = SelectField(
        "Status", choices=choices({"": "Any status", **STATUS_FILTERS}), default=""
    )
    date_from = DateInputField("From", subject="The from date")
    date_to = DateInputField("To", subject="The to date")

    def __init__(self, *args: Any, streams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream.choices = choices([("", "All value streams"), *streams])

    def validate_date_to(self, field: DateInputField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            field.error_parts = DATE_PARTS
            raise ValidationError("The to date must be the same as or after the from date")

    def filters(self) -> Filters:
        """The filters to apply; fields that did not validate are left out."""
        stream = self.stream.data or ""
        return Filters(
            kind=self.kind.data if self.kind.data in KIND_FILTERS else "",
            stream_id=parse_id(stream),
            status=self.status.data if self.status.data in STATUS_FILTERS else "",
            date_from=None if self.date_from.errors else self.date_from.data,
            date_to=None if self.date_to.errors else self.date_to.data,
        )


class BulkDownloadForm(BaseForm):
    """Tick documents and download them as one ZIP."""

    documents = SelectMultipleField("Documents to download", validate_choice=False)

    def validate_documents(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError("Select at least one document to download")
