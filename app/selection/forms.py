"""Forms of the selection area: the CPO's decision."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.forms_common import VersionedForm, choices, no_control_characters
from app.models import DECISIONS

RATIONALE_MIN = 20
RATIONALE_MAX = 5000
# A start date further off than this is almost certainly a typing mistake.
START_DATE_RANGE = timedelta(days=366)


def parse_date(text: str) -> date | None:
    """A date typed as 2026-12-01 (what browsers send) or 1/12/2026 (day first); None if neither."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


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
    start_date = StringField(
        "Start date (if selected)",
        description="When the induction and coaching plan start. For example, 2026-12-01.",
        render_kw={"type": "date"},
    )

    def validate_start_date(self, field: Field) -> None:
        """Needed only for a selection; must be a real date within a year of today."""
        if self.decision.data != "selected":
            return
        if not (field.data or "").strip():
            raise ValidationError("Enter the start date, for example 2026-12-01")
        parsed = parse_date(field.data)
        if parsed is None:
            raise ValidationError("Enter the start date as a real date, for example 2026-12-01")
        if abs(parsed - date.today()) > START_DATE_RANGE:
            raise ValidationError("The start date must be within a year of today")

    @property
    def start(self) -> date | None:
        """The parsed start date, for a valid selection."""
        return parse_date(self.start_date.data or "")
