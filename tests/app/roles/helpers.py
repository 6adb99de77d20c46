"""Helpers for the roles tests: seed roles, read versions, fill forms (plain functions)."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, RoleDefinition, RoleVersion
from app.roles import lookups

KEY = "product-director"
BASE = f"/roles/{KEY}"


def stored(app: Flask, number: int, key: str = KEY) -> dict[str, Any]:
    """A version's status, lock version and content, read fresh from the database."""
    with app.app_context():
        version = lookups.version_by_number(key, number)
        assert version is not None, f"{key} has no v{number}"
        return {"status": version.status, "version": version.version, "content": version.content}


def counts(app: Flask) -> tuple[int, int, int]:
    """How many role definitions, versions and audit events exist."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(RoleDefinition)) or 0,
            db.session.scalar(select(func.count()).select_from(RoleVersion)) or 0,
            db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def audit_events(app: Flask, action: str) -> list[AuditEvent]:
    """Audit events of one kind, oldest first."""
    with app.app_context():
        events = list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )
        for event in events:
            db.session.expunge(event)
        return events


def hidden_version(page: BeautifulSoup) -> str:
    """The lock version a form carries."""
    field = page.find("input", attrs={"name": "version"})
    assert field is not None, "the form has no version field"
    return str(field["value"])


def competency_data(competency: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """Form data for a competency as stored, with some fields changed."""
    data: dict[str, Any] = {
        "key": competency["key"],
        "name": competency["name"],
        "description": competency["description"],
        "lens": competency["lens"],
        "weight": str(competency["weight"]),
        "required_level": str(competency["required_level"]),
        "level_1": competency["levels"]["1"],
        "level_2": competency["levels"]["2"],
        "level_3": competency["levels"]["3"],
        "level_4": competency["levels"]["4"],
        "interview_questions": [
            q["text"] if isinstance(q, dict) else q for q in competency["interview_questions"]
        ],
        "self_prompts": list(competency["self_prompts"]),
        "stakeholder_prompts": list(competency.get("stakeholder_prompts") or []),
    }
    if competency["must_have"]:
        data["must_have"] = "y"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def new_competency(**overrides: Any) -> dict[str, Any]:
    """Form data for a complete new competency."""
    data: dict[str, Any] = {
        "key": "portfolio-funding",
        "name": "Portfolio funding",
        "description": "Moves money between bets as evidence arrives.",
        "lens": "value",
        "weight": "1.5",
        "required_level": "2",
        "level_1": "Knows how the stream is funded.",
        "level_2": "Argues for funding with evidence.",
        "level_3": "Moves funding between bets as results come in.",
        "level_4": "Shapes funding across several streams.",
        "interview_questions": ["When did you stop funding a bet?", "How do you size a bet?"],
        "self_prompts": ["When did you last move money between bets?"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def role_fields(content: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """Form data for the role's own fields as stored, with some changed."""
    data = {
        "name": content["name"],
        "purpose": content["purpose"],
        "responsibilities": list(content["responsibilities"]),
        "experience": list(content["experience"]),
        "expectations": list(content["expectations"]),
        "functions": list(content["functions"]),
    }
    data.update(overrides)
    return data


def field_error(page: BeautifulSoup, field_id: str) -> str:
    """The inline error message shown for a field, without the hidden 'Error:' prefix."""
    message = page.find(id=f"{field_id}-error")
    assert message is not None, f"no error shown at {field_id}"
    return message.get_text(" ", strip=True).removeprefix("Error:").strip()


def summary_messages(page: BeautifulSoup) -> list[str]:
    """The messages listed in the error summary."""
    return [li.get_text(" ", strip=True) for li in page.select(".govuk-error-summary__list li")]
