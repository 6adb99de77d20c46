"""Validators and base form shared by every area."""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField, PasswordField, SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from app.params import parse_id
from app.passwords import MAX_LENGTH, MIN_LENGTH, weakness


class BaseForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no types
    """Every form: CSRF from Flask-WTF, fields rendered by templates/components/forms.html."""


class VersionedForm(BaseForm):
    """A form that changes a versioned record: carries the version the page showed, so a save
    based on a stale version is refused rather than overwriting someone else's change."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        """The record's version when the page was opened; None when missing or garbled."""
        return parse_id(self.version.data)


def strong_password(name: str) -> Callable[[Form, Field], None]:
    """Validator: refuse passwords that are easy to guess, naming the field as `name`.

    Words related to the person come from the form's `password_related` attribute, which the
    view sets (their email and name).
    """

    def check(form: Form, field: Field) -> None:
        password = field.data or ""
        if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
            return  # the length rule already says what is wrong
        related = tuple(getattr(form, "password_related", ()))
        problem = weakness(password, related)
        if problem:
            raise ValidationError(f"{name} {problem}")

    return check


def new_password_fields(
    label: str = "New password", name: str = "Your new password"
) -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation, with the length and strength rules."""
    return (
        PasswordField(
            label,
            validators=[
                InputRequired(message="Enter a new password"),
                Length(
                    min=MIN_LENGTH,
                    max=MAX_LENGTH,
                    message=f"Password must be between {MIN_LENGTH} and {MAX_LENGTH} characters",
                ),
                strong_password(name),
            ],
            description=f"At least {MIN_LENGTH} characters. A few unrelated words work well.",
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            "Confirm new password",
            validators=[
                InputRequired(message="Enter the new password again"),
                EqualTo("new_password", message="The two passwords do not match"),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


def no_control_characters(form: Form, field: Field) -> None:
    """Reject invisible control characters that would corrupt reports."""
    value = field.data or ""
    items = value if isinstance(value, list | tuple) else [value]
    texts = [text for text in items if isinstance(text, str)]
    if any(ord(ch) < 32 and ch not in "\t\r\n" for text in texts for ch in text):
        raise ValidationError(f"{field.label.text} contains characters that cannot be stored")


def choices(options: dict[str, str] | list[tuple[str, str]]) -> list[SelectChoice]:
    """Choices for radios and selects from (value, label) pairs."""
    pairs = options.items() if isinstance(options, dict) else options
    return [SelectChoice(value, label) for value, label in pairs]
