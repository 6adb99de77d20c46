"""Personal data: a stakeholder's export holds their invitations, never their answers; other
people's exports hold no stakeholder's details or answers."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.app.stakeholders.conftest import ASKED, Scene, answer_data, invite_data, links, people
from tests.fixtures.client import Browser

SECRET = "Talks over the delivery leads in every planning meeting"


def _answered_and_drafted(app: Flask, scene: Scene, anonymous: Browser) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    sent = links(app)
    anonymous.post(
        sent["stakeholder1@example.org"], {**answer_data("1", comment=SECRET), "action": "check"}
    )
    anonymous.post(f"{sent['stakeholder1@example.org']}/check", {})
    anonymous.post(
        sent["stakeholder2@example.org"],
        {f"level-{ASKED[0]}": "0", f"comment-{ASKED[0]}": SECRET + " (draft)", "action": "draft"},
    )


def test_a_stakeholders_export_holds_their_invitation_not_their_answers(
    app: Flask, scene: Scene, anonymous: Browser, browser_as: Callable[..., Browser]
) -> None:
    _answered_and_drafted(app, scene, anonymous)
    admin = browser_as("admin")
    users = admin.get("/admin/users")
    assert users.find("a", string="find a stakeholder's personal data by email") is not None
    page = admin.get("/admin/stakeholder-data?email=Stakeholder1@example.org")
    assert "1 invitation for stakeholder1@example.org" in page.get_text(" ", strip=True)
    for email, status in (
        ("stakeholder1@example.org", "Answered"),
        ("stakeholder2@example.org", "Sent"),
    ):
        response = admin.client.get(f"/admin/stakeholder-data?email={email}&download=1")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        data = json.loads(response.get_data(as_text=True))
        (record,) = data["records"]["stakeholder_invitations"]
        assert record["email"] == email
        assert record["relationship"] == "Business peer"
        assert record["status"] == status
        assert record["invited_at"] and record["due_on"]
        text = response.get_data(as_text=True)
        assert SECRET not in text and "levels" not in text and "draft" not in text
        assert "token" not in text
    assert (
        "Nothing is held about"
        in admin.get("/admin/stakeholder-data?email=nobody@example.org").get_text()
    )


def test_only_the_admin_exports_a_stakeholder(
    scene: Scene, browser_as: Callable[..., Browser]
) -> None:
    for role in ("cpo", "hr", "exec", "interviewer"):
        browser_as(role).get("/admin/stakeholder-data?email=a@example.org", status=403)


def test_the_candidates_and_the_cpos_exports_hold_no_stakeholder_details_or_answers(
    app: Flask, scene: Scene, anonymous: Browser, browser_as: Callable[..., Browser]
) -> None:
    _answered_and_drafted(app, scene, anonymous)
    admin = browser_as("admin")
    with app.app_context():
        candidate_id = db.session.scalar(select(User.id).where(User.email == scene.candidate_email))
    for user_id in (candidate_id, scene.cpo.user.id):
        text = admin.client.get(f"/admin/users/{user_id}/personal-data.json").get_data(as_text=True)
        assert SECRET not in text
        assert "stakeholder1@example.org" not in text
        assert '"level"' not in text or "stakeholder_rating" not in text
    candidate = json.loads(
        admin.client.get(f"/admin/users/{candidate_id}/personal-data.json").get_data(as_text=True)
    )
    assert candidate["records"]["stakeholder_feedback_requested"] == [
        {"assessment_id": scene.assessment_id, "stakeholders_asked": 3, "stakeholders_answered": 1}
    ]
    assert "stakeholder_rating" not in candidate["records"]
    assert "stakeholder_invitation" not in candidate["records"]
