"""Forms of the induction area."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms_common import BaseForm, VersionedForm, choices, no_control_characters
from assessments.induction import CATEGORY_LABELS, OWNER_LABELS

MAX_OFFSET_DAYS = 730


class TemplateItemForm(VersionedForm):
    """One induction template item."""

    title = StringField(
        "Title",
        validators=[
            DataRequired(message="Enter a title for the item"),
            Length(max=300, message="Title must be 300 characters or fewer"),
            no_control_characters,
        ],
    )
    description = TextAreaField(
        "Description",
        validators=[
            DataRequired(message="Enter a description of what to do and why"),
            Length(max=4000, message="Description must be 4,000 characters or fewer"),
            no_control_characters,
        ],
        description="What the exec or owner does, and what it is for.",
    )
    category = RadioField(
        "Category",
        choices=choices(CATEGORY_LABELS),
        validators=[InputRequired(message="Select the category the item belongs to")],
    )
    owner = RadioField(
        "Who makes it happen",
        choices=choices(OWNER_LABELS),
        validators=[InputRequired(message="Select who makes the item happen")],
    )
    due_offset_days = IntegerField(
        "Due, in days after the start date",
        validators=[
            InputRequired(message="Enter the number of days after the start date the item is due"),
            NumberRange(
                min=0,
                max=MAX_OFFSET_DAYS,
                message=f"Enter a whole number of days from 0 to {MAX_OFFSET_DAYS}",
            ),
        ],
        description="0 means on the start date.",
    )

    def item_data(self) -> dict[str, Any]:
        """The item as the template stores it."""
        return {
            "title": (self.title.data or "").strip(),
            "description": (self.description.data or "").strip(),
            "category": self.category.data,
            "owner": self.owner.data,
            "due_offset_days": self.due_offset_days.data,
        }


class VersionOnlyForm(VersionedForm):
    """A POST-only action on a template (move, remove) that carries the version it saw."""

    direction = HiddenField(validators=[Optional()])


class TickForm(BaseForm):
    """Mark an induction item done, with a note or evidence."""

    note = TextAreaField(
        "Note or evidence",
        validators=[
            Length(max=4000, message="Note must be 4,000 characters or fewer"),
            no_control_characters,
        ],
        description="Optional. What you did or learned, or where the evidence is (a link or a"
        " document name).",
    )
