"""Forms of the selection area: the CPO's decision."""

from __future__ import annotations

from datetime import date, timedelta

from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app import localtime
from app.form_fields import DATE_PARTS, DateInputField
from app.forms_common import VersionedForm, choices, no_control_characters
from app.models import DECISIONS

RATIONALE_MIN = 20
RATIONALE_MAX = 5000
# A start date further off than this is almost certainly a typing mistake.
START_DATE_RANGE = timedelta(days=366)


class DecisionForm(VersionedForm):
    """Selected, not selected or on hold, with the reasons and (when selected) a start date."""

    decision = RadioField(
        "Decision",
        choices=choices(DECISIONS),
        validators=[InputRequired(message="Choose a decision")],
        invalid_choice_message="Choose selected, not selected or on hold",
    )
    rationale = TextAreaField(
        "Rationale",
        validators=[
            DataRequired(message="Enter a rationale for the decision"),
            Length(
                min=RATIONALE_MIN,
                message=f"The rationale must be at least {RATIONALE_MIN} characters: say why,"
                " so others can follow the decision later",
            ),
            Length(
                max=RATIONALE_MAX,
                message=f"The rationale must be {RATIONALE_MAX} characters or fewer",
            ),
            no_control_characters,
        ],
        description="Why you decided this: the evidence, the risks you accept and any support"
        " the exec will need. The candidate's file keeps it.",
    )
    # Needed only for a selection: what is typed is ignored for the other decisions.
    start_date = DateInputField(
        "Start date (if selected)",
        subject="Start date",
        description="When the induction and coaching plan start. For example, 1 12 2026.",
        required="Enter the start date",
        applies=lambda form: form.decision.data == "selected",
    )

    def validate_start_date(self, field: DateInputField) -> None:
        """A selection's start date is within a year of today."""
        if field.data is not None and abs(field.data - localtime.today()) > START_DATE_RANGE:
            field.error_parts = DATE_PARTS
            raise ValidationError("The start date must be within a year of today")

    @property
    def start(self) -> date | None:
        """The start date, for a valid selection."""
        value = self.start_date.data
        return value if isinstance(value, date) else None
