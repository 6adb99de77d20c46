"""Rendering an email's two parts from `templates/email/<name>.txt` and `.html`.

Rendered straight from the Jinja environment, not with `render_template`, so it works the same
in a request, a command and the worker (no request context is needed). Links are absolute,
built from BASE_URL, since the reader is outside the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from app.models import User

PREFERENCES_PATH = "/notifications/preferences"


def absolute_url(path: str) -> str:
    """BASE_URL plus an app path ("/assessments/3/self")."""
    if path.startswith(("http://", "https://")):
        return path
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def app_path(endpoint: str, **values: Any) -> str:
    """The app path of an endpoint, outside any request (e.g. in a command or the worker)."""
    return str(current_app.url_map.bind("localhost").build(endpoint, values))


def render_email(
    template: str,
    *,
    title: str,
    link: str,
    recipient: User | None = None,
    context: Mapping[str, Any] | None = None,
) -> tuple[str, str]:
    """The (text, html) parts of one email."""
    values: dict[str, Any] = {
        **(context or {}),
        "recipient": recipient,
        "organisation": current_app.config["ORGANISATION_NAME"],
        "url": absolute_url(link),
        "title": title,
        "preferences_url": absolute_url(PREFERENCES_PATH),
        "has_account": recipient is not None,
    }
    env = current_app.jinja_env
    text = env.get_template(f"email/{template}.txt").render(values)
    html = env.get_template(f"email/{template}.html").render(values)
    return text.strip() + "\n", html
