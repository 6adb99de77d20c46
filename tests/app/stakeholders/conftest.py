"""Shared set-up for the stakeholder tests: a candidate, the CPO, and competencies with prompts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import OutboxMessage
from tests.fixtures.builders import ROLE, UserFactory, nominate
from tests.fixtures.client import Browser

# The shipped role's competencies with stakeholder prompts (all that a colleague can observe).
ASKED = [c.key for c in ROLE.competencies if c.stakeholder_prompts]
ASKED_NAMES = [c.name for c in ROLE.competencies if c.stakeholder_prompts]


@dataclass
class Scene:
    """A nominated candidate and the CPO's browser."""

    assessment_id: int
    candidate_name: str
    candidate_email: str
    cpo: Browser

    @property
    def manage_url(self) -> str:
        return f"/assessments/{self.assessment_id}/stakeholders"

    @property
    def invite_url(self) -> str:
        return f"/assessments/{self.assessment_id}/stakeholders/invite"


@pytest.fixture
def scene(app: Flask, make_user: UserFactory, browser_as: Callable[..., Browser]) -> Scene:
    candidate = make_user("exec", name="Priya Shah", email="priya@example.org")
    assessment_id = nominate(app, candidate)
    cpo = browser_as("cpo", name="Carol Officer")
    return Scene(assessment_id, "Priya Shah", "priya@example.org", cpo)


def invite_data(
    emails: list[str], *, due_in_days: int = 14, relationship: str = "business-peer"
) -> dict[str, str]:
    """The invite form's fields for these people."""
    due = localtime.today() + timedelta(days=due_in_days)
    data = {
        "due_on-day": str(due.day),
        "due_on-month": str(due.month),
        "due_on-year": str(due.year),
        "rows": str(max(5, len(emails))),
    }
    for n, email in enumerate(emails, start=1):
        data[f"email_{n}"] = email
        data[f"name_{n}"] = f"Person {n}"
        data[f"relationship_{n}"] = relationship
    return data


def people(n: int) -> list[str]:
    return [f"stakeholder{i}@example.org" for i in range(1, n + 1)]


def links(app: Flask, kind: str = "stakeholder.invite") -> dict[str, str]:
    """Email address -> the app path of the newest link emailed to it, read from the email."""
    found: dict[str, str] = {}
    with app.app_context():
        for message in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        ):
            match = re.search(r"https?://[^/\s]+(/feedback/[A-Za-z0-9_-]+)", message.text_body)
            assert match, message.text_body
            found[message.to_address] = match.group(1)
    return found


def answer_data(level: str = "3", comment: str = "") -> dict[str, str]:
    """A level (and comment) for every asked competency."""
    data = {f"level-{key}": level for key in ASKED}
    if comment:
        data.update({f"comment-{key}": comment for key in ASKED})
    return data
