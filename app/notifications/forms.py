"""The email preferences form: one question per kind the person's role can receive."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.validators import InputRequired

from app.forms_common import BaseForm, choices
from app.models import EMAIL_CHOICES

CHOICES = choices(EMAIL_CHOICES)


def field_name(kind: str) -> str:
    """The form field for a kind ("self.nominated" -> "kind-self-nominated")."""
    return "kind-" + kind.replace(".", "-")


class PreferencesForm(BaseForm):
    """Email straight away, in a daily digest, or not at all, for each kind."""

    kinds: list[tuple[str, str]]


def preferences_form(kinds: list[tuple[str, str]], current: dict[str, str]) -> PreferencesForm:
    """A form with one radio question per (kind, label), showing the current choices."""

    class Form(PreferencesForm):
        pass

    for kind, label in kinds:
        setattr(
            Form,
            field_name(kind),
            RadioField(
                label,
                choices=CHOICES,
                default=current.get(kind, "now"),
                validators=[InputRequired(message=f"Choose how you get “{label}”")],
            ),
        )
    form = Form()
    form.kinds = kinds
    return form
