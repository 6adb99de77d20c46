"""Forms for role definitions: a new role, the role's fields, one competency, and actions.

Fields check what a form can check on its own (something entered, a number); the whole
resulting role is then checked by `assessments.roles.validate_role_data`, and its messages
are put back on the fields here with `apply_problems`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from wtforms import (
    BooleanField,
    Field,
    Form,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from app.form_fields import ItemListField
from app.forms_common import BaseForm, VersionedForm, choices, no_control_characters
from app.params import parse_id
from app.roles.content import FIELD_LABELS, LIST_FIELDS, split_problem
from assessments.model import LENS_LABELS, LEVELS, RATING_SCALE

LENS_HINTS = {
    "value": "Value: doing the right things for customers and the business",
    "workflow": "Workflow: delivering them smoothly and sustainably",
    "quality": "Quality: doing them well",
    "leadership": "Leadership: leading people and holding the tensions",
}
LEVEL_CHOICES = choices([(str(level), f"{level} {RATING_SCALE[level]}") for level in LEVELS])
LENS_CHOICES = choices([(lens, LENS_HINTS[lens]) for lens in LENS_LABELS])


def _weight_is_a_number(form: Form, field: Field) -> None:
    text = (field.data or "").strip()
    if not text:
        raise ValidationError("Enter the weight, like 2 or 1.5")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError("Enter the weight as a number, like 2 or 1.5") from None
    if not value.is_finite():
        raise ValidationError("Enter the weight as a number, like 2 or 1.5")


def parse_weight(text: str | None) -> int | float | str:
    """The weight as the file format stores it (2, not 2.0); the text itself when not a number."""
    raw = (text or "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return raw
    if not value.is_finite():
        return raw
    number = float(value)
    if math.isfinite(number) and number.is_integer():
        return int(number)
    return number


class NewRoleForm(BaseForm):
    """Start a role from scratch."""

    name = StringField(
        "Name of the role",
        validators=[
            DataRequired(message="Enter the name of the role"),
            Length(max=200, message="Name must be 200 characters or fewer"),
            no_control_characters,
        ],
        description="As people will read it, for example Product Director (value stream).",
    )
    key = StringField(
        "Key",
        validators=[
            DataRequired(message="Enter a key for the role"),
            Length(max=80, message="Key must be 80 characters or fewer"),
        ],
        description="A short identifier used in files and links: lowercase letters and digits "
        "joined by hyphens, like product-director. It cannot be changed later.",
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )

    def validate_key(self, field: Field) -> None:
        """Keys look like product-director."""
        if field.data and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", field.data.strip()):
            raise ValidationError(
                "Key must be lowercase letters and digits joined by hyphens, like head-of-data"
            )


def _list_field(label: str, message: str, description: str, item: str) -> ItemListField:
    return ItemListField(
        label,
        validators=[DataRequired(message=message), no_control_characters],
        description=description,
        item=item,
    )


class RoleFieldsForm(VersionedForm):
    """The role's own fields."""

    name = StringField(
        "Name of the role",
        validators=[
            DataRequired(message="Enter the name of the role"),
            Length(max=200, message="Name must be 200 characters or fewer"),
            no_control_characters,
        ],
    )
    purpose = TextAreaField(
        "Purpose",
        validators=[DataRequired(message="Enter the purpose of the role"), no_control_characters],
        description="Why the role exists, in two or three sentences.",
    )
    responsibilities = _list_field(
        "Responsibilities",
        "Enter at least one responsibility",
        "What the holder of the role is accountable for.",
        "responsibility",
    )
    experience = _list_field(
        "Experience",
        "Enter at least one line of experience",
        "What the holder should have done before taking the role.",
        "experience",
    )
    expectations = _list_field(
        "Expectations",
        "Enter at least one expectation",
        "What the organisation expects in the first 6 to 12 months.",
        "expectation",
    )
    functions = _list_field(
        "Functions",
        "Enter at least one function",
        "Functions a value-stream leader must understand, like Engineering or Commercial and P&L.",
        "function",
    )

    def fill(self, content: dict[str, Any]) -> None:
        """Show stored content in the fields."""
        self.name.data = content.get("name", "")
        self.purpose.data = content.get("purpose", "")
        for name in LIST_FIELDS:
            getattr(self, name).data = list(content.get(name, []))

    def values(self) -> dict[str, Any]:
        """The fields as role data."""
        result: dict[str, Any] = {
            "name": (self.name.data or "").strip(),
            "purpose": (self.purpose.data or "").strip(),
        }
        for name in LIST_FIELDS:
            result[name] = list(getattr(self, name).data or [])
        return result


def _examples_field(level: int) -> ItemListField:
    return ItemListField(
        f"Evidence examples for level {level} (optional)",
        validators=[no_control_characters],
        description=f"Notes a rater might write when they see level {level}.",
        item=f"level {level} example",
    )


class CompetencyForm(VersionedForm):
    """One competency with everything that describes it."""

    name = StringField(
        "Name",
        validators=[
            DataRequired(message="Enter the name of the competency"),
            Length(max=200, message="Name must be 200 characters or fewer"),
            no_control_characters,
        ],
    )
    key = StringField(
        "Key",
        validators=[DataRequired(message="Enter a key for the competency")],
        description="Unique within the role: lowercase letters and digits joined by hyphens, "
        "like team-health. Ratings are matched to competencies by this key.",
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    description = TextAreaField(
        "Description",
        validators=[
            DataRequired(message="Enter a description of the competency"),
            no_control_characters,
        ],
        description="What the competency is and why the role needs it.",
    )
    lens = RadioField(
        "Lens",
        choices=LENS_CHOICES,
        invalid_choice_message="Choose the lens the competency serves",
        description="The perspective it serves. Reports show readiness per lens.",
    )
    weight = StringField(
        "Weight",
        validators=[_weight_is_a_number],
        description="How much it counts in the overall score, relative to the other "
        "competencies: a number greater than 0, like 2 or 1.5.",
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    required_level = RadioField(
        "Required level",
        choices=LEVEL_CHOICES,
        invalid_choice_message="Choose the level the role needs",
        description="The level on the rating scale a Product Director needs to be ready.",
    )
    weight_rationale = TextAreaField(
        "Why this weight",
        validators=[no_control_characters],
        description="Why the competency counts this much against the others, in a sentence "
        "or two. Needed for every competency before a schema version 2 role is published.",
    )
    must_have = BooleanField(
        "Must-have: a gap here means the candidate cannot be ready now, whatever the overall score",
    )
    level_1 = TextAreaField(
        f"Level 1: {RATING_SCALE[1]}",
        validators=[DataRequired(message="Describe level 1 (Awareness)"), no_control_characters],
    )
    level_2 = TextAreaField(
        f"Level 2: {RATING_SCALE[2]}",
        validators=[DataRequired(message="Describe level 2 (Working)"), no_control_characters],
    )
    level_3 = TextAreaField(
        f"Level 3: {RATING_SCALE[3]}",
        validators=[
            DataRequired(message="Describe level 3 (Practitioner)"),
            no_control_characters,
        ],
    )
    level_4 = TextAreaField(
        f"Level 4: {RATING_SCALE[4]}",
        validators=[DataRequired(message="Describe level 4 (Expert)"), no_control_characters],
    )
    evidence_1 = _examples_field(1)
    evidence_2 = _examples_field(2)
    evidence_3 = _examples_field(3)
    evidence_4 = _examples_field(4)
    interview_questions = ItemListField(
        "Interview questions",
        validators=[
            DataRequired(message="Enter at least one interview question"),
            no_control_characters,
        ],
        description="Questions the panel asks to find evidence. Once the competency is "
        "saved, give each question its probes and what to listen for at each level.",
        item="question",
    )
    counter_indicators = ItemListField(
        "Counter-indicators",
        validators=[no_control_characters],
        description="Signs that count against the candidate, such as blaming the team or "
        "wanting everything now. A role in schema version 2 needs at least one for every "
        "competency before it can be published.",
        item="counter-indicator",
    )
    self_prompts = ItemListField(
        "Self-assessment prompts",
        validators=[
            DataRequired(message="Enter at least one self-assessment prompt"),
            no_control_characters,
        ],
        description="What the executive reflects on when rating themselves.",
        item="prompt",
    )
    stakeholder_prompts = ItemListField(
        "Stakeholder prompts (optional)",
        validators=[no_control_characters],
        description="Statements a colleague can answer from what they have seen the person "
        "do, in plain words, such as “When plans change, they explain why and what it "
        "means for us”. Leave empty for a competency colleagues cannot observe: "
        "stakeholders are asked only about competencies with prompts.",
        item="stakeholder prompt",
    )

    def fill(self, competency: dict[str, Any]) -> None:
        """Show a stored competency in the fields."""
        for name in ("key", "name", "description", "lens"):
            getattr(self, name).data = competency.get(name, "")
        weight = competency.get("weight")
        self.weight.data = "" if weight is None else str(weight)
        self.required_level.data = str(competency.get("required_level", ""))
        self.must_have.data = bool(competency.get("must_have"))
        levels = competency.get("levels", {})
        for level in LEVELS:
            getattr(self, f"level_{level}").data = levels.get(str(level), "")
        self.interview_questions.data = [
            question_text(q) for q in competency.get("interview_questions", [])
        ]
        self.self_prompts.data = list(competency.get("self_prompts", []))
        self.counter_indicators.data = list(competency.get("counter_indicators") or [])
        self.stakeholder_prompts.data = list(competency.get("stakeholder_prompts") or [])
        self.weight_rationale.data = competency.get("weight_rationale") or ""
        examples = competency.get("evidence_examples") or {}
        for level in LEVELS:
            getattr(self, f"evidence_{level}").data = list(examples.get(str(level)) or [])

    def values(self, original: dict[str, Any] | None = None) -> dict[str, Any]:
        """The fields as competency data, in the file format's order; each question keeps the
        probes and scoring key it had in `original`."""
        level = self.required_level.data
        data: dict[str, Any] = {
            "key": (self.key.data or "").strip(),
            "name": (self.name.data or "").strip(),
            "description": (self.description.data or "").strip(),
            "lens": self.lens.data or "",
            "weight": parse_weight(self.weight.data),
        }
        rationale = (self.weight_rationale.data or "").strip()
        if rationale:
            data["weight_rationale"] = rationale
        data["required_level"] = parse_id(level) or 0
        data["must_have"] = bool(self.must_have.data)
        data["levels"] = {str(n): (getattr(self, f"level_{n}").data or "").strip() for n in LEVELS}
        examples = {
            str(n): list(getattr(self, f"evidence_{n}").data or [])
            for n in LEVELS
            if getattr(self, f"evidence_{n}").data
        }
        if examples:
            data["evidence_examples"] = examples
        if self.counter_indicators.data:
            data["counter_indicators"] = list(self.counter_indicators.data)
        old = (original or {}).get("interview_questions") or []
        data["interview_questions"] = keep_question_details(
            old, list(self.interview_questions.data or [])
        )
        data["self_prompts"] = list(self.self_prompts.data or [])
        if self.stakeholder_prompts.data:
            data["stakeholder_prompts"] = list(self.stakeholder_prompts.data)
        return data


def question_text(question: Any) -> str:
    """A stored question's text, whether it is plain text or {text, probes, listen_for}."""
    return str(question.get("text", "")) if isinstance(question, dict) else str(question)


def keep_question_details(old: list[Any], texts: list[str]) -> list[Any]:
    """New question texts, each keeping the probes and scoring key of the question it was.

    A question is the one with the same text; failing that, the one in the same place whose
    text is gone (its wording was edited). Anything else is a new question without probes.
    """
    used: set[int] = set()
    result: list[Any] = []
    old_texts = [question_text(q) for q in old]
    for place, text in enumerate(texts):
        match = next((i for i, t in enumerate(old_texts) if t == text and i not in used), None)
        if (
            match is None
            and place < len(old)
            and place not in used
            and old_texts[place] not in texts
        ):
            match = place
        if match is None or not isinstance(old[match], dict):
            result.append(text)
            if match is not None:
                used.add(match)
            continue
        used.add(match)
        result.append({**old[match], "text": text})
    return result


class ActionForm(VersionedForm):
    """A confirmation (publish, retire, discard, remove) for one draft or version."""


class MoveForm(VersionedForm):
    """Move a competency up or down."""

    direction = RadioField(
        "Direction",
        choices=choices([("up", "Up"), ("down", "Down")]),
        invalid_choice_message="Choose to move the competency up or down",
    )


# ---------------------------------------------------------------------------
# Putting validate_role_data's messages on the fields


def _field_message(label: str, text: str, content: dict[str, Any] | None) -> str:
    duplicate = re.fullmatch(r'duplicate key "(.*)" \(also competencies\[(\d+)\]\)', text)
    if duplicate and content is not None:
        other = content["competencies"][int(duplicate.group(2))]
        return (
            f'Key "{duplicate.group(1)}" is already used by the competency "{other["name"]}": '
            "choose a different key"
        )
    return f"{label} {text}"


def _add(form: BaseForm, name: str, message: str) -> None:
    field = getattr(form, name, None)
    if field is None:
        form.form_errors.append(message)
    elif not field.errors:
        # The field's own message ("Enter the weight") says it better; do not repeat it.
        field.errors = [*field.errors, message]


def apply_problems(
    form: BaseForm,
    problems: list[str],
    *,
    competency_index: int | None = None,
    content: dict[str, Any] | None = None,
) -> None:
    """Put each 'place: message' problem under the field it is about (else above the form)."""
    if not isinstance(form.form_errors, list):
        form.form_errors = list(form.form_errors)
    for problem in problems:
        path, text = split_problem(problem)
        if competency_index is not None:
            if len(path) >= 3 and path[0] == "competencies" and path[1] == competency_index:
                name = str(path[2])
                label = FIELD_LABELS.get(name, name)
                if name == "evidence_examples" and len(path) > 3:
                    name, label = f"evidence_{path[3]}", f"Level {path[3]} evidence examples"
                elif name == "interview_questions" and len(path) > 4:
                    label = (
                        f"Question {int(path[3]) + 1}: {FIELD_LABELS.get(str(path[4]), path[4])}"
                    )
                if name == "levels":
                    level = str(path[3]) if len(path) > 3 else None
                    found = re.search(r"level (\d)", text)
                    level = level or (found.group(1) if found else "1")
                    if level in {str(n) for n in LEVELS}:
                        name = f"level_{level}"
                        label = f"Level {level} descriptor"
                        text = text if len(path) > 3 else "is missing"
                _add(form, name, _field_message(label, text, content))
                continue
        elif path and path[0] in form._fields:
            name = str(path[0])
            label = FIELD_LABELS.get(name, name)
            if len(path) > 1 and isinstance(path[1], int):
                label = f"{label}, item {path[1] + 1},"
            _add(form, name, f"{label} {text}")
            continue
        form.form_errors.append(problem)


class QuestionForm(VersionedForm):
    """One interview question: its text, the probes that follow it, what to listen for."""

    text = TextAreaField(
        "Question",
        validators=[DataRequired(message="Enter the question"), no_control_characters],
        description="As the interviewer asks it.",
    )
    probes = ItemListField(
        "Probes",
        validators=[no_control_characters],
        description="Follow-up questions that get at what the candidate did, not what they "
        "would do: who, what happened next, what they would change.",
        item="probe",
    )
    listen_1 = TextAreaField("Level 1: what an answer sounds like", [no_control_characters])
    listen_2 = TextAreaField("Level 2: what an answer sounds like", [no_control_characters])
    listen_3 = TextAreaField("Level 3: what an answer sounds like", [no_control_characters])
    listen_4 = TextAreaField("Level 4: what an answer sounds like", [no_control_characters])

    def validate(self, extra_validators: Any = None) -> bool:
        """The scoring key is all four levels or none."""
        valid: bool = super().validate(extra_validators)
        given = [n for n in LEVELS if (getattr(self, f"listen_{n}").data or "").strip()]
        if given and len(given) < len(LEVELS):
            for n in LEVELS:
                if n not in given:
                    getattr(self, f"listen_{n}").errors.append(
                        f"Describe what to listen for at level {n}, or leave all four levels empty"
                    )
            valid = False
        return valid

    def fill(self, question: Any) -> None:
        """Show a stored question (plain text or {text, probes, listen_for}) in the fields."""
        details: dict[str, Any] = (
            question if isinstance(question, dict) else {"text": str(question)}
        )
        self.text.data = details.get("text", "")
        self.probes.data = list(details.get("probes") or [])
        listen_for = details.get("listen_for") or {}
        for n in LEVELS:
            getattr(self, f"listen_{n}").data = listen_for.get(str(n), "")

    def values(self) -> str | dict[str, Any]:
        """The question as stored: plain text when it has no probes and no scoring key."""
        text = (self.text.data or "").strip()
        probes = list(self.probes.data or [])
        listen_for = {
            str(n): (getattr(self, f"listen_{n}").data or "").strip()
            for n in LEVELS
            if (getattr(self, f"listen_{n}").data or "").strip()
        }
        if not probes and not listen_for:
            return text
        result: dict[str, Any] = {"text": text, "probes": probes}
        if listen_for:
            result["listen_for"] = listen_for
        return result
