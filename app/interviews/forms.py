"""Forms of the interviews area: the panel, the interview kit, and calibration notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any

from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.form_fields import DATE_PARTS, DateInputField, check_due_date, parse_time_of_day
from app.forms_common import BaseForm, VersionedForm, choices, no_control_characters
from app.models import RECOMMENDATIONS
from app.params import coerce_id
from assessments.model import RATING_SCALE, Competency
from assessments.rater_guide import CALIBRATION_NOTE_HINT, EVIDENCE_NOTE_HINT
from assessments.scale import SCALE_WORDS

NOT_ASSESSED = "na"
NOTES_MAX = 5000
RATING_CHOICES = choices(
    [(str(level), f"{level} {name}") for level, name in RATING_SCALE.items()]
    + [(NOT_ASSESSED, SCALE_WORDS.not_assessed)]
)
RATING_VALUES = {str(level) for level in RATING_SCALE} | {NOT_ASSESSED}


def _notes(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Length(max=NOTES_MAX, message=f"{label} must be {NOTES_MAX} characters or fewer"),
            no_control_characters,
        ],
        description=description,
    )


def _interview_due_field(required: str | None = None, hint: str = "") -> DateInputField:
    return DateInputField(
        "Interviews due by" if required is None else "Interview due by",
        subject="The interview due date",
        description="The date the ratings should be in. " + hint + "For example, 15 12 2026.",
        required=required,
    )


class PanelForm(BaseForm):
    """Who interviews the candidate: the CPO and/or panel interviewers, and by when."""

    members = SelectMultipleField("Panel members", coerce=coerce_id, validate_choice=False)
    due_on = _interview_due_field(
        hint="New panel members are given this date (2 weeks from today if left blank); change"
        " one member's date, time or place below. ",
    )

    def validate_due_on(self, field: DateInputField) -> None:
        check_due_date(field, "The interview due date")


class ScheduleForm(VersionedForm):
    """When one panel member's interview is due, and when and where it takes place."""

    due_on = _interview_due_field(required="Enter the date the interview is due")
    held_on = DateInputField(
        "Interview date (optional)",
        subject="The interview date",
        description="When the interview takes place, if it is arranged. For example, 8 12 2026.",
    )
    held_at = StringField(
        "Time (optional)",
        description="In 24-hour or 12-hour time, for example 14:30 or 2:30pm.",
        validators=[Length(max=20, message="Enter the time like 14:30 or 2:30pm")],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    location = StringField(
        "Place (optional)",
        description="A room, an address or a video call link.",
        validators=[
            Length(max=200, message="The place must be 200 characters or fewer"),
            no_control_characters,
        ],
    )

    # The dates stored, which may be in the past by now (set by the view).
    kept_due: date | None = None
    kept_held: date | None = None

    def validate_due_on(self, field: DateInputField) -> None:
        check_due_date(field, "The interview due date", kept=self.kept_due)

    def validate_held_on(self, field: DateInputField) -> None:
        check_due_date(field, "The interview date", kept=self.kept_held)
        if field.data is None and (self.held_at.data or "").strip():
            field.error_parts = DATE_PARTS
            raise ValidationError("Enter the interview date as well as the time")

    def validate_held_at(self, field: Field) -> None:
        text = (field.data or "").strip()
        if not text:
            if self.held_on.data is not None:
                raise ValidationError("Enter the time of the interview, like 14:30")
            return
        if parse_time_of_day(text) is None:
            raise ValidationError("Enter the time like 14:30 or 2:30pm")

    @property
    def time_of_day(self) -> time | None:
        """The time typed, when valid."""
        return parse_time_of_day(self.held_at.data or "")


class InterviewForm(VersionedForm):
    """One panel member's interview; the competency fields are added per role version."""

    # Filled in by interview_form_class, in the order the kit shows the competencies.
    competency_keys: tuple[str, ...] = ()
    competency_names: dict[str, str] = {}

    def rating_field(self, key: str) -> Field:
        """The rating radios of one competency."""
        return self[f"rating-{key}"]

    def notes_field(self, key: str) -> Field:
        """The evidence notes of one competency."""
        return self[f"notes-{key}"]

    def check_ratings(self) -> bool:
        """Ratings must be one of the scale's values (or empty in a draft)."""
        ok = True
        for key in self.competency_keys:
            field = self.rating_field(key)
            if field.data not in (None, "") and field.data not in RATING_VALUES:
                field.errors.append(
                    f"Choose a rating from 0 to 4 for {self.competency_names[key]},"
                    " or choose Not assessed"
                )
                ok = False
        recommendation = self["recommendation"]
        if recommendation.data not in (None, "") and recommendation.data not in RECOMMENDATIONS:
            recommendation.errors.append("Choose one of the four recommendations")
            ok = False
        return ok

    def missing(self) -> list[tuple[Field, str]]:
        """What a submission still needs, in page order: every competency answered, evidence
        for each rating, an overall view. A draft may lack any of it."""
        found: list[tuple[Field, str]] = []
        for key in self.competency_keys:
            name = self.competency_names[key]
            rating = self.rating_field(key)
            notes = self.notes_field(key)
            if rating.data in (None, ""):
                found.append((rating, f"Choose a rating for {name}, or choose Not assessed"))
            elif rating.data != NOT_ASSESSED and not (notes.data or "").strip():
                found.append((notes, f"Enter the evidence behind your rating of {name}"))
        for name, message in (
            ("strengths", "Enter the candidate's main strengths"),
            ("weaknesses", "Enter the candidate's main weaknesses"),
        ):
            if not (self[name].data or "").strip():
                found.append((self[name], message))
        if self["recommendation"].data in (None, ""):
            found.append((self["recommendation"], "Choose your recommendation"))
        return found

    def check_complete(self) -> bool:
        """Mark what a submission still needs as errors; True when nothing is missing."""
        missing = self.missing()
        for field, message in missing:
            field.errors.append(message)
        return not missing

    def blockers(self) -> dict[str, str]:
        """Evidence field id -> what blocks submitting a rating given without evidence (shown
        beside the field while the interviewer works; unrated ones show in the progress)."""
        notes = {self.notes_field(key).id for key in self.competency_keys}
        return {field.id: message for field, message in self.missing() if field.id in notes}

    def ratings_input(self) -> dict[str, tuple[str, str]]:
        """Competency key -> (rating value: "0".."4", "na" or "", evidence notes)."""
        return {
            key: (self.rating_field(key).data or "", (self.notes_field(key).data or "").strip())
            for key in self.competency_keys
        }


def interview_form_class(competencies: Sequence[Competency]) -> type[InterviewForm]:
    """An interview form for these competencies, fields in the given (kit) order."""
    attrs: dict[str, Any] = {
        "competency_keys": tuple(c.key for c in competencies),
        "competency_names": {c.key: c.name for c in competencies},
    }
    for comp in competencies:
        required = (
            f"Required for the role: {comp.required_level} {RATING_SCALE[comp.required_level]}"
        )
        if comp.must_have:
            required += " (must-have)"
        attrs[f"rating-{comp.key}"] = RadioField(
            f"Your rating for {comp.name}",
            choices=RATING_CHOICES,
            validate_choice=False,
            description=f"{required}. 0: {SCALE_WORDS.zero}. {SCALE_WORDS.not_assessed}: "
            f"{SCALE_WORDS.not_assessed_meaning}.",
        )
        attrs[f"notes-{comp.key}"] = _notes(
            f"Evidence for {comp.name}",
            EVIDENCE_NOTE_HINT,
        )
    # Created after the competency fields, so errors are listed in the order of the page.
    attrs["strengths"] = _notes("Strengths", "The candidate's main strengths for this role.")
    attrs["weaknesses"] = _notes(
        "Weaknesses", "Where the candidate would need the most support or development."
    )
    attrs["recommendation"] = RadioField(
        "Your recommendation", choices=choices(RECOMMENDATIONS), validate_choice=False
    )
    return type("KitForm", (InterviewForm,), attrs)


class CalibrationNoteForm(BaseForm):
    """A calibration note on one competency (the form is prefixed with the competency key)."""

    note = TextAreaField(
        "Add a calibration note",
        validators=[
            DataRequired(message="Enter a calibration note"),
            Length(max=NOTES_MAX, message=f"The note must be {NOTES_MAX} characters or fewer"),
            no_control_characters,
        ],
        description=CALIBRATION_NOTE_HINT,
    )


class FocusForm(BaseForm):
    """The competencies one panel member must cover."""

    focus = SelectMultipleField("Focus competencies", validate_choice=False)
