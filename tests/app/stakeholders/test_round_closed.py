"""Once the feedback round has closed nobody more can be asked or given time (issue 18): one
more answer would change the results shown by exactly what that person said."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment
from app.models.stakeholders import StakeholderInvitation
from app.stakeholders import invitations
from tests.app.stakeholders.conftest import ASKED, Scene, answer_data, invite_data, links, people
from tests.fixtures.client import Browser

REFUSED = "The feedback round for Priya Shah has closed and its results are shown"


def _answer(anonymous: Browser, link: str) -> None:
    anonymous.post(link, {**answer_data("2"), "action": "check"})
    anonymous.post(f"{link}/check", {}, follow=True, status=200)


def test_when_everyone_asked_has_answered_the_round_closes_and_no_one_more_is_invited(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    for link in links(app).values():
        _answer(anonymous, link)
    page = scene.cpo.get(scene.manage_url)
    assert page.find("h2", string="Feedback round closed")
    assert page.find("h2", string="Invite more stakeholders") is None
    response = scene.cpo.post(scene.invite_url, invite_data(["late@example.org"]), status=400)
    assert REFUSED in response.get_data(as_text=True).replace("&#39;", "'")
    with app.app_context():
        assert (
            db.session.scalar(
                select(StakeholderInvitation).where(
                    StakeholderInvitation.email == "late@example.org"
                )
            )
            is None
        )


def test_closing_ends_the_open_links_discards_drafts_and_refuses_more_time(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(4)))
    sent = links(app)
    for email in people(3):
        _answer(anonymous, sent[email])
    late = sent["stakeholder4@example.org"]
    anonymous.post(late, {f"level-{ASKED[0]}": "1", "action": "draft"})
    with app.app_context():
        saved = db.session.scalars(
            select(StakeholderInvitation.draft).where(
                StakeholderInvitation.email == "stakeholder4@example.org"
            )
        ).one()
        assert saved, "a draft to discard"
    page = scene.cpo.get(scene.manage_url)
    assert page.find("h2", string="When results appear")
    close = page.find("a", string="Close feedback and show results")["href"]
    flashed = scene.cpo.post(close, {}, follow=True, status=200).get_data(as_text=True)
    assert "Feedback closed: the results now show what stakeholders said." in flashed
    assert "1 unanswered link no longer works." in flashed

    problem = anonymous.client.get(late)
    assert problem.status_code == 410
    assert "Feedback is closed" in problem.get_data(as_text=True)
    with app.app_context():
        invitation = db.session.scalars(
            select(StakeholderInvitation).where(
                StakeholderInvitation.email == "stakeholder4@example.org"
            )
        ).one()
        assert invitation.draft == {}
        assert invitations.status_of(invitation) == "closed"
        invitation_id = invitation.id
    page = scene.cpo.get(scene.manage_url)
    assert "Round closed" in page.get_text()
    assert "Give more time" not in page.get_text()
    extend = f"/assessments/{scene.assessment_id}/stakeholders/{invitation_id}/extend"
    response = scene.cpo.post(
        extend, {"due_on-day": "1", "due_on-month": "1", "due_on-year": "2099"}, status=400
    )
    assert "has closed" in response.get_data(as_text=True)
    response = scene.cpo.post(scene.invite_url, invite_data(["late@example.org"]), status=400)
    assert REFUSED in response.get_data(as_text=True).replace("&#39;", "'")


def test_the_close_button_posts_a_csrf_token_and_a_post_without_it_is_refused(
    app: Flask, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    url = f"/assessments/{scene.assessment_id}/stakeholders/close"
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    token = scene.cpo.get(url).select_one('form[method="post"] input[name="csrf_token"]')["value"]
    assert scene.cpo.client.post(url, data={}).status_code == 400
    with app.app_context():
        assert db.session.get(Assessment, scene.assessment_id).stakeholder_closed_at is None
    assert scene.cpo.client.post(url, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, scene.assessment_id).stakeholder_closed_at is not None
