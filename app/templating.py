"""Template globals and filters."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user

from app import localtime, policy
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
    ("admin.list_tasks", "Background tasks", "tasks.view"),
)


# Pages that belong under a nav item besides its own endpoint, so "where am I" stays right.
NAV_SECTIONS: dict[str, list[str]] = {
    "roles.list_roles": [
        "roles.list_roles",
        "roles.new_role",
        "roles.show_version",
        "roles.preview_version",
        "roles.edit_role_fields",
        "roles.add_competency",
        "roles.edit_competency",
        "roles.remove_competency",
        "roles.publish_version",
        "roles.retire_version",
        "roles.discard_draft",
        "roles.compare_versions",
    ],
    "candidates.list_streams": [
        "candidates.list_streams",
        "candidates.new_stream",
        "candidates.show_stream",
        "candidates.edit_stream",
        "selection.shortlist",
    ],
    "candidates.list_assessments": [
        "candidates.list_assessments",
        "candidates.nominate",
        "candidates.show_assessment",
        "interviews.assign_panel",
        "interviews.calibrate",
        "selection.show_results",
        "selection.record_decision",
    ],
    "interviews.my_interviews": ["interviews.my_interviews", "interviews.conduct_interview"],
    "coaching.progress_overview": [
        "coaching.progress_overview",
        "coaching.show_plan",
        "coaching.show_plan_version",
        "coaching.edit_plan",
        "coaching.record_review",
        "coaching.show_review",
        "induction.show_checklist",
        "induction.list_templates",
        "induction.show_template",
        "induction.edit_template_item",
        "induction.add_template_item",
    ],
    "reports.download_centre": ["reports.download_centre"],
    "admin.list_users": [
        "admin.list_users",
        "admin.new_user",
        "admin.show_user",
        "admin.remove_person",
    ],
    "admin.audit_log": ["admin.audit_log"],
    "admin.list_tasks": ["admin.list_tasks"],
}


def nav_items() -> list[tuple[str, str, str]]:
    """(endpoint, label, permission) for the current user's navigation."""
    return [
        item
        for item in NAV_ITEMS
        if item[0] in current_app.view_functions and policy.may(current_user, item[2])
    ]


def init_app(app: Flask) -> None:
    """Register globals and filters."""
    app.jinja_env.globals.update(
        may=lambda permission, obj=None: policy.may(current_user, permission, obj),
        nav_items=nav_items,
        nav_sections=NAV_SECTIONS,
        role_labels=ROLE_LABELS,
        organisation_name=lambda: app.config["ORGANISATION_NAME"],
    )
    localtime.init_app(app)
    app.jinja_env.filters["dict_without"] = lambda d, *keys: {
        k: v for k, v in d.items() if k not in keys
    }

    @app.context_processor
    def current_endpoint() -> dict[str, object]:
        return {"current_endpoint": request.endpoint}
