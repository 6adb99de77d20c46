"""Sign-in and password forms."""

from __future__ import annotations

from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from app.forms_common import BaseForm, new_password_fields


class LoginForm(BaseForm):
    """Sign in with email and password."""

    email = EmailField(
        "Email address",
        validators=[InputRequired(message="Enter your email address"), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(message="Enter your password"), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(BaseForm):
    """Change one's own password."""

    current_password = PasswordField(
        "Current password",
        validators=[InputRequired(message="Enter your current password"), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, confirm_password = new_password_fields()


class SetPasswordForm(BaseForm):
    """Choose a password from an invite or reset link."""

    new_password, confirm_password = new_password_fields("Choose a password", "Your password")
