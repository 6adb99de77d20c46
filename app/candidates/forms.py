"""Forms for value streams, nominations, exec profiles and the self-assessment."""

from __future__ import annotations

import re
from typing import Any

from wtforms import (
    EmailField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.candidates.self_assessment import EVIDENCE_MAX
from app.form_fields import DateInputField, check_due_date
from app.forms_common import BaseForm, VersionedForm, choices, no_control_characters
from app.models import EXPERIENCE_LEVELS, HATS
from assessments.model import RATING_SCALE, Competency
from assessments.self_assessment import Answer, answer_problem

NEW_PERSON = "new"


# ---------------------------------------------------------------------------
# Value streams


class StreamForm(VersionedForm):
    """A value stream: what it covers, who owns it, what it needs, who is in its team."""

    name = StringField(
        "Name",
        validators=[
            InputRequired(message="Enter the value stream's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
            no_control_characters,
        ],
    )
    journey = TextAreaField(
        "Customer journey",
        description="Where the journey starts and ends for the customer, in a sentence or two.",
        validators=[
            InputRequired(message="Describe the customer journey this value stream covers"),
            Length(max=2000, message="Customer journey must be 2,000 characters or fewer"),
            no_control_characters,
        ],
    )
    business_owner = StringField(
        "Business owner",
        description="The executive accountable for the journey in the business, e.g. "
        "'Rachel Adeyemi, Chief Operating Officer'.",
        validators=[
            InputRequired(message="Enter the business owner"),
            Length(max=120, message="Business owner must be 120 characters or fewer"),
            no_control_characters,
        ],
    )
    functions = SelectMultipleField(
        "Functions the value stream needs",
        description="The experience its Product Director should bring or have around them.",
        validators=[InputRequired(message="Choose at least one function the value stream needs")],
        invalid_choice_message="Choose functions from the list",
    )

    def __init__(self, *args: Any, function_names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.functions.choices = choices([(name, name) for name in function_names])

    def hat_fields(self) -> list[tuple[str, Field]]:
        """(hat label, field) in the fixed hat order."""
        return [(HATS[key], self[f"hat_{key}"]) for key in HATS]

    def hats(self) -> dict[str, str]:
        """Hat key -> person, as entered."""
        return {key: (self[f"hat_{key}"].data or "").strip() for key in HATS}


for _key, _label in HATS.items():
    setattr(
        StreamForm,
        f"hat_{_key}",
        StringField(
            _label,
            validators=[
                Length(max=120, message=f"{_label} must be 120 characters or fewer"),
                no_control_characters,
            ],
        ),
    )


# ---------------------------------------------------------------------------
# Nominations


def self_due_field(required: str | None = None) -> DateInputField:
    """The day the self-assessment should be in (GOV.UK date input)."""
    return DateInputField(
        "Self-assessment due by",
        subject="The self-assessment due date",
        description="The exec is told this date and reminded 2 days before it. "
        "For example, 15 12 2026."
        + ("" if required else " Left blank, it is due 2 weeks from today."),
        required=required,
    )


class NominateForm(BaseForm):
    """Nominate an exec (existing, or created on the spot) for a stream and a role version."""

    candidate = SelectField(
        "Executive",
        description="Choose someone already in Streamlead, or 'Someone not in Streamlead yet' "
        "and enter their name and email below.",
        validate_choice=False,
    )
    new_name = StringField(
        "Full name",
        validators=[
            Length(max=120, message="Full name must be 120 characters or fewer"),
            no_control_characters,
        ],
        render_kw={"autocomplete": "off"},
    )
    new_email = EmailField(
        "Email address",
        validators=[Length(max=254, message="Email address must be 254 characters or fewer")],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    value_stream = SelectField("Value stream", validate_choice=False)
    role_version = SelectField(
        "Role version",
        description="The candidate is assessed against this published version, even if the "
        "role changes later.",
        validate_choice=False,
    )
    self_due_on = self_due_field()

    def validate_self_due_on(self, field: DateInputField) -> None:
        check_due_date(field, "The self-assessment due date")

    def __init__(
        self,
        *args: Any,
        execs: list[tuple[str, str]],
        streams: list[tuple[str, str]],
        versions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidate.choices = choices(
            [("", "Choose an executive"), *execs, (NEW_PERSON, "Someone not in Streamlead yet")]
        )
        self.value_stream.choices = choices([("", "Choose a value stream"), *streams])
        self.role_version.choices = choices(versions)
        self._known = {
            "candidate": {v for v, _ in execs},
            "value_stream": {v for v, _ in streams},
            "role_version": {v for v, _ in versions},
        }

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then the rules that tie the candidate to the new person's details."""
        ok = bool(super().validate(extra_validators))
        name = (self.new_name.data or "").strip()
        email = (self.new_email.data or "").strip()
        if self.candidate.data == NEW_PERSON:
            if not name:
                self.new_name.errors.append("Enter the new executive's full name")
            if not email:
                self.new_email.errors.append("Enter the new executive's email address")
            elif not _email_ok(email):
                self.new_email.errors.append(
                    "Enter an email address in the correct format, like name@example.org"
                )
        elif self.candidate.data not in self._known["candidate"]:
            self.candidate.errors.append(
                "Choose an executive, or choose 'Someone not in Streamlead yet' and enter "
                "their name and email"
            )
        elif name or email:
            self.candidate.errors.append(
                "You chose someone already in Streamlead and also entered a new person's "
                "details: clear the name and email, or choose 'Someone not in Streamlead yet'"
            )
        if self.value_stream.data not in self._known["value_stream"]:
            self.value_stream.errors.append("Choose the value stream they are nominated for")
        if self.role_version.data not in self._known["role_version"]:
            self.role_version.errors.append("Choose a published role version")
        return ok and not any(f.errors for f in self)


def _email_ok(value: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


class SetStreamForm(VersionedForm):
    """Choose the value stream of an assessment that has none (e.g. imported)."""

    value_stream = SelectField("Value stream", validate_choice=False)

    def __init__(self, *args: Any, streams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.value_stream.choices = choices([("", "Choose a value stream"), *streams])
        self._known = {v for v, _ in streams}

    def validate_value_stream(self, field: Field) -> None:
        if field.data not in self._known:
            raise ValidationError("Choose the value stream this assessment is for")


class ActionForm(VersionedForm):
    """A POST-only action with CSRF and the record's version."""


class SelfDueForm(VersionedForm):
    """The CPO changes when the self-assessment is due."""

    self_due_on = self_due_field(required="Enter the date the self-assessment is due")

    def validate_self_due_on(self, field: DateInputField) -> None:
        check_due_date(field, "The self-assessment due date")


# ---------------------------------------------------------------------------
# Exec profile


EXPERIENCE_CHOICES = choices(EXPERIENCE_LEVELS)


class ProfileForm(VersionedForm):
    """Current role, business area, and experience per function (fields added per function)."""

    current_role = StringField(
        "Current role",
        description="Your job title today, like Director of Customer Operations.",
        validators=[
            InputRequired(message="Enter the current role"),
            Length(max=200, message="Current role must be 200 characters or fewer"),
            no_control_characters,
        ],
    )
    business_area = StringField(
        "Business area",
        description="The part of the organisation you work in today.",
        validators=[
            InputRequired(message="Enter the business area"),
            Length(max=200, message="Business area must be 200 characters or fewer"),
            no_control_characters,
        ],
    )
    function_names: list[str] = []

    def experience_fields(self) -> list[tuple[str, Field]]:
        """(function, radio field) per function."""
        return [(name, self[experience_field_name(name)]) for name in self.function_names]

    def experience(self) -> dict[str, str]:
        """Function -> none/some/deep as chosen."""
        return {name: f.data for name, f in self.experience_fields()}


def experience_field_name(function: str) -> str:
    """A stable field name per function, e.g. 'exp-commercial-and-p-l'.

    Named after the function rather than its position, so a form loaded before a role's
    function list changed still saves each answer against the right function.
    """
    return "exp-" + (re.sub(r"[^a-z0-9]+", "-", function.lower()).strip("-") or "function")


def profile_form(
    function_names: list[str], *, whose: str | None = None, **kwargs: Any
) -> ProfileForm:
    """A profile form with one none/some/deep question per function, worded for who reads it:
    `whose` is the exec's name when someone else (the CPO, HR) fills it in, None for the exec."""
    yours = "your" if whose is None else f"{whose}'s"

    class Form(ProfileForm):
        pass

    names = list(dict.fromkeys(function_names))
    by_field: dict[str, str] = {}
    for name in names:  # two functions that slug alike keep only the first
        by_field.setdefault(experience_field_name(name), name)
    Form.function_names = list(by_field.values())
    for field_name, name in by_field.items():
        setattr(
            Form,
            field_name,
            RadioField(
                f"Experience in {name}",
                choices=EXPERIENCE_CHOICES,
                default="none",
                validators=[InputRequired(message=f"Choose {yours} experience in {name}")],
                invalid_choice_message=f"Choose none, some or deep for {name}",
            ),
        )
    form = Form(**kwargs)
    if whose is not None:
        form.current_role.description = (
            f"{whose}'s job title today, like Director of Customer Operations."
        )
        form.business_area.description = f"The part of the organisation {whose} works in today."
    return form


# ---------------------------------------------------------------------------
# Self-assessment


LEVEL_VALUES = tuple(str(level) for level in RATING_SCALE)


class SelfAssessmentForm(VersionedForm):
    """One lens page of the self-assessment (level and evidence fields added per competency)."""

    competencies: tuple[Competency, ...] = ()

    def level_field(self, competency: Competency) -> Field:
        """The level radios of a competency."""
        return self[f"level-{competency.key}"]

    def evidence_field(self, competency: Competency) -> Field:
        """The evidence text of a competency."""
        return self[f"evidence-{competency.key}"]

    def input_of(self, competency: Competency) -> Answer:
        """What was entered for a competency (level None when nothing was chosen)."""
        raw = self.level_field(competency).data
        level = int(raw) if raw in LEVEL_VALUES else None
        return Answer(level, (self.evidence_field(competency).data or "").strip())

    def valid_answers(self) -> dict[str, Answer]:
        """Answers for competencies whose input is well formed: saved even if others fail.

        A level 3 or 4 without evidence is well formed: the draft keeps it, and only
        submitting asks for the evidence (see `blockers`)."""
        return {
            c.key: self.input_of(c)
            for c in self.competencies
            if not self.level_field(c).errors and not self.evidence_field(c).errors
        }

    def blockers(self) -> dict[str, str]:
        """Evidence field id -> what still blocks submitting that answer (levels 3-4 without
        evidence); shown beside the field, never as an error, since a draft may lack it."""
        found: dict[str, str] = {}
        for c in self.competencies:
            answer = self.input_of(c)
            message = answer_problem(c, answer) if answer.level is not None else None
            if message is not None:
                found[self.evidence_field(c).id] = message
        return found

    def problems(self) -> list[str]:
        """Every error message on the page (malformed input only), in page order."""
        messages: list[str] = []
        for c in self.competencies:
            messages.extend(self.level_field(c).errors)
            messages.extend(self.evidence_field(c).errors)
        return messages


def _level_validator(competency: Competency):  # type: ignore[no-untyped-def]
    def check(form: SelfAssessmentForm, field: Field) -> None:
        if field.data not in (None, "", *LEVEL_VALUES):
            field.data = None
            raise ValidationError(f"Choose a level from 0 to 4 for {competency.name}")

    return check


LEVEL_CHOICES = choices([(str(level), f"{level} {label}") for level, label in RATING_SCALE.items()])


def self_assessment_form(competencies: tuple[Competency, ...], **kwargs: Any) -> SelfAssessmentForm:
    """The form for one lens page: a level (0-4) and evidence per competency."""

    class Form(SelfAssessmentForm):
        pass

    Form.competencies = competencies
    for c in competencies:
        setattr(
            Form,
            f"level-{c.key}",
            RadioField(
                f"Your level for {c.name}",
                choices=LEVEL_CHOICES,
                validate_choice=False,
                validators=[Optional(), _level_validator(c)],
            ),
        )
        setattr(
            Form,
            f"evidence-{c.key}",
            TextAreaField(
                f"Evidence for {c.name}",
                description="A specific situation: what you did and what changed as a result. "
                "Needed for levels 3 and 4.",
                validators=[
                    Length(
                        max=EVIDENCE_MAX,
                        message=f"Evidence for {c.name} must be {EVIDENCE_MAX:,} characters "
                        "or fewer",
                    ),
                    no_control_characters,
                ],
            ),
        )
    return Form(**kwargs)


def answers_as_data(
    competencies: tuple[Competency, ...], answers: dict[str, Answer]
) -> dict[str, str]:
    """Saved answers as form data, to fill the page."""
    data: dict[str, str] = {}
    for c in competencies:
        answer = answers.get(c.key, Answer())
        if answer.level is not None:
            data[f"level-{c.key}"] = str(answer.level)
        data[f"evidence-{c.key}"] = answer.evidence
    return data
