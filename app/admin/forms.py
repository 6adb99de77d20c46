"""Account administration forms."""

from __future__ import annotations

from wtforms import EmailField, RadioField, StringField
from wtforms.validators import Email, InputRequired, Length

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
