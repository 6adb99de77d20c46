"""Forms: the CPO's invitation list, the due-date change, and a stakeholder's answers."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.form_fields import DateInputField
from app.forms_common import BaseForm, choices, no_control_characters
from app.models.stakeholders import RELATIONSHIPS
from app.stakeholders.answers import COMMENT_MAX, NOT_OBSERVED, OVERALL
from app.stakeholders.invitations import MAX_STAKEHOLDERS, Invitee
from assessments.model import RATING_SCALE, Competency

FIRST_ROWS = 5  # rows shown at first; "Add more rows" shows MORE_ROWS more, up to the maximum
MORE_ROWS = 3


def _email_ok(value: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


class InviteForm(BaseForm):
    """Up to MAX_STAKEHOLDERS rows of email, name and relationship, and a due date."""

    due_on = DateInputField(
        "Answers due by",
        description="Two weeks is usual. Reminders go 3 days before and on the day; the link "
        "keeps working for a week after it.",
        subject="The due date",
        required="Enter the date answers are due",
    )

    def rows(self) -> list[tuple[int, Field, Field, Field]]:
        """(number, email, name, relationship) for every row."""
        return [
            (n, self[f"email_{n}"], self[f"name_{n}"], self[f"relationship_{n}"])
            for n in range(1, MAX_STAKEHOLDERS + 1)
        ]

    def shown_rows(self, requested: int) -> int:
        """How many rows the page shows: those asked for, and never fewer than are filled."""
        filled = max((n for n, e, p, _ in self.rows() if e.data or p.data), default=0)
        return min(MAX_STAKEHOLDERS, max(FIRST_ROWS, requested, filled))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then each filled row needs a valid email and a relationship."""
        ok = bool(super().validate(extra_validators))
        for n, email, name, relationship in self.rows():
            address = (email.data or "").strip()
            if not address:
                if (name.data or "").strip():
                    email.errors.append(f"Enter an email address for stakeholder {n}")
                continue
            if not _email_ok(address):
                email.errors.append(
                    f"Enter stakeholder {n}'s email address in the correct format, "
                    "like name@example.org"
                )
            if relationship.data not in RELATIONSHIPS:
                relationship.errors.append(f"Choose how stakeholder {n} works with the candidate")
        return ok and not any(f.errors for f in self)

    def invitees(self) -> list[Invitee]:
        """The filled rows as people to invite."""
        return [
            Invitee((e.data or "").strip(), (p.data or "").strip(), r.data or "")
            for _, e, p, r in self.rows()
            if (e.data or "").strip()
        ]


RELATIONSHIP_CHOICES = choices([("", "Choose"), *RELATIONSHIPS.items()])

for _n in range(1, MAX_STAKEHOLDERS + 1):
    setattr(
        InviteForm,
        f"email_{_n}",
        EmailField(
            f"Email address of stakeholder {_n}",
            validators=[Length(max=254, message="Email addresses are 254 characters or fewer")],
            render_kw={"autocomplete": "off", "spellcheck": "false"},
        ),
    )
    setattr(
        InviteForm,
        f"name_{_n}",
        StringField(
            f"Name of stakeholder {_n} (optional)",
            validators=[
                Length(max=120, message="Names are 120 characters or fewer"),
                no_control_characters,
            ],
            render_kw={"autocomplete": "off"},
        ),
    )
    setattr(
        InviteForm,
        f"relationship_{_n}",
        SelectField(
            f"How stakeholder {_n} works with the candidate",
            choices=RELATIONSHIP_CHOICES,
            validate_choice=False,
        ),
    )


class ExtendForm(BaseForm):
    """A later due date for one invitation."""

    due_on = DateInputField(
        "New due date", subject="The new due date", required="Enter the new due date"
    )


# --- Answering -----------------------------------------------------------------------------

LEVEL_VALUES = (*(str(level) for level in RATING_SCALE), NOT_OBSERVED)


class AnswerForm(BaseForm):
    """A level (0-4 or not observed) and an optional comment per asked competency."""

    competencies: tuple[Competency, ...] = ()

    def level_field(self, competency: Competency) -> Field:
        """The level radios of a competency."""
        return self[f"level-{competency.key}"]

    def comment_field(self, competency: Competency) -> Field:
        """The comment box of a competency."""
        return self[f"comment-{competency.key}"]

    def levels(self) -> dict[str, int | str | None]:
        """Well-formed levels as entered (None: nothing chosen)."""
        found: dict[str, int | str | None] = {}
        for c in self.competencies:
            field = self.level_field(c)
            if field.errors:
                continue
            raw = field.data
            found[c.key] = None if raw in (None, "") else raw if raw == NOT_OBSERVED else int(raw)
        return found

    def comments(self) -> dict[str, str]:
        """Well-formed comments as entered (the overall one under OVERALL)."""
        found = {
            c.key: (self.comment_field(c).data or "")
            for c in self.competencies
            if not self.comment_field(c).errors
        }
        overall = self["comment-overall"]
        if not overall.errors:
            found[OVERALL] = overall.data or ""
        return found

    def problems(self) -> list[str]:
        """Every error message on the page, in page order."""
        return [message for field in self for message in field.errors if field.name != "csrf_token"]


def _level_validator(competency: Competency):  # type: ignore[no-untyped-def]
    def check(form: AnswerForm, field: Field) -> None:
        if field.data not in (None, "", *LEVEL_VALUES):
            field.data = None
            raise ValidationError(
                f"Choose a level from 0 to 4 for {competency.name}, or 'Not observed'"
            )

    return check


def _comment_validators(name: str) -> list[Any]:
    return [
        Length(max=COMMENT_MAX, message=f"{name} must be {COMMENT_MAX:,} characters or fewer"),
        no_control_characters,
    ]


def answer_form(competencies: tuple[Competency, ...], **kwargs: Any) -> AnswerForm:
    """The answer form for these competencies."""

    class Form(AnswerForm):
        pass

    Form.competencies = competencies
    for c in competencies:
        setattr(
            Form,
            f"level-{c.key}",
            RadioField(
                f"What you have seen for {c.name}",
                choices=choices([(v, v) for v in LEVEL_VALUES]),
                validate_choice=False,
                validators=[Optional(), _level_validator(c)],
            ),
        )
        setattr(
            Form,
            f"comment-{c.key}",
            TextAreaField(
                f"Comment on {c.name} (optional)",
                description="What you saw them do, and what it meant for you or your team.",
                validators=_comment_validators(f"The comment on {c.name}"),
            ),
        )
    setattr(
        Form,
        "comment-overall",
        TextAreaField(
            "Anything else you want to say (optional)",
            description="For example, what they should keep doing, or one thing to do differently.",
            validators=_comment_validators("The last comment"),
        ),
    )
    return Form(**kwargs)
