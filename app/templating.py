"""Template globals and filters."""

from __future__ import annotations

import re

from flask import Flask, current_app, g, request
from flask_login import current_user
from sqlalchemy import select

from app import localtime, policy
from app.extensions import db
from app.models import ROLE_LABELS, Assessment, RoleDefinition, RoleVersion
from app.notifications.emails import absolute_url
from assessments import rater_guide
from assessments.evidence import band_sentence, mean_level, must_have_count, ratings_to_mean
from assessments.scale import SCALE_WORDS
from assessments.voice import second_person

NAV_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("main.home", "Home", "home.view"),
    ("roles.list_roles", "Role definitions", "roles.list"),
    ("candidates.list_streams", "Value streams", "streams.view"),
    ("candidates.list_assessments", "Candidates", "assessments.list"),
    ("interviews.my_interviews", "Interviews", "interviews.mine"),
    ("interviews.rater_guide_page", "Rater guide", "interviews.mine"),
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
    "interviews.my_interviews": [
        "interviews.my_interviews",
        "interviews.conduct_interview",
        "interviews.check_interview",
    ],
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
    user = current_user._get_current_object()  # once, not through the proxy for every item
    views = current_app.view_functions
    return [item for item in NAV_ITEMS if item[0] in views and policy.may(user, item[2])]


def short_role_name(name: str) -> str:
    """A role's name as said of a person: "Product Director (value stream)" -> "Product
    Director"."""
    return re.sub(r"\s*\([^)]*\)$", "", name) or name


def person_label() -> str:
    """What the signed-in person is here: their role, or for an exec who has been selected, the
    role they were selected for (e.g. "Product Director (selected)"), no longer a candidate."""
    if not current_user.is_authenticated:
        return ""
    if current_user.role != "exec":
        return str(current_user.role_label)
    if "person_label" not in g:
        # One small query per page, for execs only; the header shows it on every page.
        name = db.session.scalar(
            select(RoleDefinition.name)
            .join(RoleVersion, RoleVersion.definition_id == RoleDefinition.id)
            .join(Assessment, Assessment.role_version_id == RoleVersion.id)
            .where(Assessment.candidate_id == current_user.id, Assessment.decision == "selected")
            .order_by(Assessment.decided_at.desc(), Assessment.id.desc())
            .limit(1)
        )
        g.person_label = f"{short_role_name(name)} (selected)" if name else current_user.role_label
    return str(g.person_label)


def init_app(app: Flask) -> None:
    """Register globals and filters."""
    app.jinja_env.globals.update(
        may=lambda permission, obj=None: policy.may(
            current_user._get_current_object(), permission, obj
        ),
        nav_items=nav_items,
        person_label=person_label,
        nav_sections=NAV_SECTIONS,
        role_labels=ROLE_LABELS,
        organisation_name=lambda: app.config["ORGANISATION_NAME"],
        scale_words=SCALE_WORDS,
        must_have_count=must_have_count,
        rater_guide=rater_guide,
    )
    localtime.init_app(app)
    app.jinja_env.filters["second_person"] = second_person
    # An app path as an absolute URL under BASE_URL, for emails (app/notifications/emails.py).
    app.jinja_env.filters["email_url"] = absolute_url
    # Scores as a person reads them (pages and PDFs share the environment): see
    # assessments/evidence.py.
    app.jinja_env.filters["band_reason"] = band_sentence
    app.jinja_env.filters["ratings_mean"] = lambda c: ratings_to_mean(c.ratings, c.panel)
    app.jinja_env.filters["mean_level"] = mean_level
    app.jinja_env.filters["dict_without"] = lambda d, *keys: {
        k: v for k, v in d.items() if k not in keys
    }

    @app.context_processor
    def current_endpoint() -> dict[str, object]:
        return {"current_endpoint": request.endpoint}
