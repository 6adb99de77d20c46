"""What browser journeys share: the running server they drive and the accessibility check."""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, SelfRating, User
from tests.fixtures.builders import PASSWORD


@dataclass
class LiveServer:
    """A running Streamlead with the demo organisation loaded."""

    url: str
    app: Flask

    def sign_in(self, page: Page, email: str) -> None:
        """Sign in through the real form."""
        page.goto(f"{self.url}/login")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{self.url}/")


AXE = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    results = AXE.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: {bad}"


def assessment_of(server: LiveServer, email: str) -> int:
    """The id of the one assessment of the exec with this email."""
    with server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return int(
            db.session.scalars(
                select(Assessment.id).where(Assessment.candidate_id == user.id)
            ).one()
        )


def self_rating(server: LiveServer, assessment_id: int, key: str) -> tuple[int | None, str] | None:
    """The saved (level, evidence) of one self-rating, or None when nothing is saved."""
    with server.app.app_context():
        rating = db.session.scalar(
            select(SelfRating)
            .where(SelfRating.competency_key == key)
            .where(SelfRating.self_assessment.has(assessment_id=assessment_id))
        )
        return (rating.level, rating.evidence) if rating else None
