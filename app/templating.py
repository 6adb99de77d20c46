"""Template globals and filters."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, request
from flask_login import current_user

from app import policy
from app.models import ROLE_LABELS

NAV_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("main.home", "Home", "home.view"),
    ("roles.list_roles", "Role definitions", "roles.list"),
    ("candidates.list_streams", "Value streams", "streams.view"),
    ("candidates.list_assessments", "Candidates", "assessments.list"),
    ("interviews.my_interviews", "Interviews", "interviews.mine"),
    ("coaching.progress_overview", "Progress", "progress.overview"),
    ("reports.download_centre", "Reports", "reports.download"),
    ("admin.list_users", "Accounts", "users.manage"),
    ("admin.audit_log", "Audit log", "audit.view"),
)


def nav_items() -> list[tuple[str, str, str]]:
    """(endpoint, label, permission) for the current user's navigation."""
    return [
        item
        for item in NAV_ITEMS
        if item[0] in current_app.view_functions and policy.may(current_user, item[2])
    ]


def format_datetime(value: datetime | None) -> str:
    """A date and time as people read it, in UTC."""
    if value is None:
        return "never"
    return value.strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def format_date(value: object) -> str:
    """A date as people read it."""
    if value is None:
        return ""
    return str(value.strftime("%d %b %Y")).lstrip("0")  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Register globals and filters."""
    app.jinja_env.globals.update(
        may=lambda permission, obj=None: policy.may(current_user, permission, obj),
        nav_items=nav_items,
        role_labels=ROLE_LABELS,
        organisation_name=lambda: app.config["ORGANISATION_NAME"],
    )
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["dict_without"] = lambda d, *keys: {
        k: v for k, v in d.items() if k not in keys
    }

    @app.context_processor
    def current_endpoint() -> dict[str, object]:
        return {"current_endpoint": request.endpoint}
