"""Forms of the reports area: the download centre's filters and its bulk download."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, SelectField, SelectMultipleField
from wtforms.validators import Optional, ValidationError

from app.forms_common import BaseForm, choices
from app.params import parse_id
from app.reports.listing import KIND_FILTERS, STATUS_FILTERS, Filters


class ReportDateField(DateField):  # type: ignore[misc]  # WTForms ships no types
    """A YYYY-MM-DD date whose invalid-input message says how to fix it."""

    def __init__(self, label: str, *, invalid_message: str, **kwargs: Any) -> None:
        super().__init__(label, format="%Y-%m-%d", **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None


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
    date_from = ReportDateField(
        "From",
        validators=[Optional()],
        invalid_message="Enter the from date as a real date, for example 2026-11-01",
    )
    date_to = ReportDateField(
        "To",
        validators=[Optional()],
        invalid_message="Enter the to date as a real date, for example 2026-11-30",
    )

    def __init__(self, *args: Any, streams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream.choices = choices([("", "All value streams"), *streams])

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
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
