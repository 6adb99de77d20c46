"""Account administration forms."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from app import audit
from app.form_fields import DATE_PARTS, DateInputField
from app.forms_common import BaseForm, choices, no_control_characters
from app.models import ROLE_LABELS

ROLE_CHOICES = choices(ROLE_LABELS)


class NewUserForm(BaseForm):
    """Invite a person with a role."""

    name = StringField(
        "Full name",
        validators=[
            InputRequired(message="Enter the person's full name"),
            Length(max=120),
            no_control_characters,
        ],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        "Email address",
        validators=[
            InputRequired(message="Enter an email address"),
            Length(max=254),
            Email(
                message="Enter an email address in the correct format, like name@example.org",
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        validators=[InputRequired(message="Choose a role")],
    )


class ChangeRoleForm(BaseForm):
    """Give a person another role."""

    role = RadioField(
        "Role", choices=ROLE_CHOICES, validators=[InputRequired(message="Choose a role")]
    )


class ConfirmPersonForm(BaseForm):
    """Type the person's email to confirm an action that cannot be undone."""

    confirm_email = StringField(
        "Type their email address to confirm",
        validators=[InputRequired(message="Type the person's email address to confirm")],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class AuditFilterForm(BaseForm):
    """Narrow the audit log (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    action = SelectField("What happened", default="")
    person = StringField(
        "Done by (name or email)", validators=[Length(max=254)], filters=[lambda v: v or ""]
    )
    since = DateInputField("From", subject="The from date")
    until = DateInputField("To", subject="The to date")

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In words, alphabetically; a stale code in a link still filters (it is a choice).
        chosen = self.action.data or ""
        codes = sorted({*actions, *([chosen] if chosen else [])}, key=audit.describe)
        self.action.choices = choices([("", "Anything"), *((c, audit.describe(c)) for c in codes)])

    def validate_until(self, field: DateInputField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            field.error_parts = DATE_PARTS
            raise ValidationError("The to date must be the same as or after the from date")
