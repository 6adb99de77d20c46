"""Forms of the coaching area: progress reviews, decisions, and fields the plan editor shares."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app import localtime
from app.form_fields import DateInputField
from app.forms_common import BaseForm, VersionedForm, choices, no_control_characters
from app.params import parse_id
from assessments.model import RATING_SCALE
from assessments.progress import REVIEW_DECISION_LABELS

MAX_TEXT = 4000
MAX_CHECKPOINT_DAY = 730
LEVEL_CHOICES = choices(
    [(str(level), f"{level} \u2013 {RATING_SCALE[level]}") for level in (1, 2, 3, 4)]
)
RATING_CHOICES = choices(
    [(str(level), f"{level} \u2013 {label}") for level, label in RATING_SCALE.items()]
)


def _whole_number(text: str | None) -> int | None:
    value = (text or "").strip().removesuffix("%").strip()
    return parse_id(value) if len(value) <= 4 else None


def _add_error(field: Field, message: str) -> None:
    # WTForms keeps errors as a tuple after validation; make it a list we can add to.
    field.errors = [*field.errors, message]


def _level(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


# --- reviews --------------------------------------------------------------------------------


class ReviewForm(BaseForm):
    """A checkpoint review; `rating_<n>` fields are added per goal by review_form()."""

    checkpoint_day = RadioField(
        "Checkpoint", validators=[InputRequired(message="Select the checkpoint this review is for")]
    )
    held_on = DateInputField(
        "Date of the review",
        description="For example, 21 11 2026.",
        required="Enter the date the review was held",
    )
    actual_load_share = StringField(
        "Actual share of time on the former role, in percent",
        description="A whole number from 0 to 100.",
        render_kw={"inputmode": "numeric"},
    )
    notes = TextAreaField(
        "Notes",
        description="For the CPO and HR. The exec does not see these notes.",
        validators=[
            Length(max=MAX_TEXT * 2, message="Notes must be 8,000 characters or fewer"),
            no_control_characters,
        ],
    )

    goal_fields: list[tuple[dict[str, Any], str]]

    def parse_held_on(self, start: date, today: date) -> date | None:
        """The review date, checked against the plan start and today."""
        held = self.held_on.data
        if self.held_on.errors or not isinstance(held, date):
            return None  # the field's own message says what is missing
        if held > today:
            self.held_on.fail("The date of the review cannot be in the future")
            return None
        if held < start:
            self.held_on.fail(
                "The date of the review cannot be before the plan started on"
                f" {localtime.format_date(start)}"
            )
            return None
        return held

    def parse_load(self) -> int | None:
        """The actual share of time on the former role."""
        share = _whole_number(self.actual_load_share.data)
        if share is None or share > 100:
            _add_error(
                self.actual_load_share,
                "Enter the share of time on the former role as a whole number from 0 to 100",
            )
            return None
        return share

    def ratings(self) -> dict[str, int]:
        """Re-rated level per goal key (after validation)."""
        return {goal["key"]: int(getattr(self, name).data) for goal, name in self.goal_fields}


def review_form(
    goals: list[dict[str, Any]],
    checkpoints: list[tuple[int, str]],
    last: tuple[int, dict[str, int]] | None = None,
    **kwargs: Any,
) -> ReviewForm:
    """A review form with a 0-4 rating per goal; `last` is the previous review (day, ratings)."""

    class _ReviewForm(ReviewForm):
        pass

    names = []
    for index, goal in enumerate(goals):
        name = f"rating_{index}"
        setattr(
            _ReviewForm,
            name,
            RadioField(
                goal["name"] + (" (must-have)" if goal.get("must_have") else ""),
                description=f"Baseline {_level(float(goal['baseline']))}, target"
                f" {goal['target_level']} \u2013 {RATING_SCALE[int(goal['target_level'])]}."
                + (
                    f" Rated {last[1][goal['key']]} at the day {last[0]} review."
                    if last is not None and goal["key"] in last[1]
                    else ""
                ),
                choices=RATING_CHOICES,
                validators=[InputRequired(message=f"Select the level {goal['name']} is at now")],
            ),
        )
        names.append((goal, name))
    form = _ReviewForm(**kwargs)
    form.goal_fields = names
    form.checkpoint_day.choices = choices([(str(day), title) for day, title in checkpoints])
    return form


class DecisionForm(VersionedForm):
    """The CPO's decision on a review, with a rationale."""

    decision = RadioField(
        "What happens next",
        choices=choices(REVIEW_DECISION_LABELS),
        validators=[
            InputRequired(
                message="Select a decision: continue, extend, pair, return to the former role,"
                " or exit"
            )
        ],
        # The page's "Decision" heading is the #decision anchor that links jump to.
        id="decision-choice",
    )
    rationale = TextAreaField(
        "Rationale",
        description="Why this is the right decision now, and what happens next.",
        validators=[
            DataRequired(message="Enter a rationale for the decision"),
            Length(max=MAX_TEXT, message="Rationale must be 4,000 characters or fewer"),
            no_control_characters,
        ],
    )
