"""A stakeholder answers by link, with no account: one page, saved without JavaScript or
automatically, checked, submitted once into rows that lead back to nobody."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect, select

from app import create_app
from app.extensions import db
from app.models.base import utcnow
from app.models.stakeholders import StakeholderComment, StakeholderInvitation, StakeholderRating
from app.stakeholders import answers, invitations
from app.stakeholders.answers import NOT_OBSERVED
from config import TestConfig
from tests.app.stakeholders.conftest import (
    ASKED,
    ASKED_NAMES,
    Scene,
    answer_data,
    invite_data,
    links,
    people,
)
from tests.fixtures.builders import ROLE, count, make_assessment, person, published_role
from tests.fixtures.client import Browser, parse


@pytest.fixture
def link(app: Flask, scene: Scene) -> str:
    """The first stakeholder's link, from their email."""
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    return links(app)["stakeholder1@example.org"]


def _invitation(app: Flask, email: str = "stakeholder1@example.org") -> StakeholderInvitation:
    with app.app_context():
        invitation = db.session.scalars(
            select(StakeholderInvitation).where(StakeholderInvitation.email == email)
        ).one()
        db.session.expunge(invitation)
        return invitation


def test_the_page_asks_only_about_competencies_with_prompts(
    link: str, anonymous: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = anonymous.get(link)
    text = page.get_text(" ", strip=True)
    assert "Your view of Priya Shah" in text
    assert "Your answers are anonymous" in text and "at least 3 people" in text
    assert [h.get_text(strip=True) for h in page.select("section h3")] == ASKED_NAMES
    first = ROLE.competencies[0]
    assert first.stakeholder_prompts[0] in text
    assert first.levels[3] in text, "the role's own level words are shown"
    assert "3 Practitioner" in text
    assert len(page.select(f'input[name="level-{first.key}"]')) == 6  # 0-4 and Not observed
    assert page.select_one(f'input[value="{NOT_OBSERVED}"]') is not None
    assert page.select_one("label[for='comment-overall']") is not None
    assert page.select_one("form[data-autosave-url]") is not None
    # A competency without prompts is not asked about.
    without = ROLE.competencies[1]
    monkeypatch.setattr(
        answers, "prompts_of", lambda c: () if c.key == without.key else c.stakeholder_prompts
    )
    headings = [h.get_text(strip=True) for h in anonymous.get(link).select("section h3")]
    assert without.name not in headings and len(headings) == len(ASKED) - 1


def test_save_and_come_back_later_works_without_javascript(
    app: Flask, link: str, anonymous: Browser
) -> None:
    data = {
        f"level-{ASKED[0]}": "2",
        f"level-{ASKED[1]}": NOT_OBSERVED,
        f"comment-{ASKED[0]}": "Explains changes well",
        "action": "draft",
    }
    response = anonymous.post(link, data, follow=True, status=200)
    assert "Saved at" in response.get_data(as_text=True)
    draft = _invitation(app).draft
    assert draft["levels"] == {ASKED[0]: 2, ASKED[1]: NOT_OBSERVED}
    assert draft["comments"] == {ASKED[0]: "Explains changes well"}
    page = anonymous.get(link)
    assert page.select_one(f'input[name="level-{ASKED[0]}"][value="2"][checked]') is not None
    assert (
        page.select_one(f'input[name="level-{ASKED[1]}"][value="{NOT_OBSERVED}"][checked]')
        is not None
    )
    assert "Explains changes well" in page.get_text()
    assert f"2 of {len(ASKED)} answered" in page.get_text()


def test_autosave_saves_the_draft_and_answers_json(
    app: Flask, link: str, anonymous: Browser
) -> None:
    response = anonymous.client.post(
        f"{link}/autosave", data={f"level-{ASKED[2]}": "4", f"level-{ASKED[0]}": "9"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True and body["progress"] == f"1 of {len(ASKED)} answered"
    assert any("Choose a level from 0 to 4" in p for p in body["problems"])
    assert _invitation(app).draft["levels"] == {ASKED[2]: 4}


def test_check_lists_what_is_missing_and_refuses_to_send(
    app: Flask, link: str, anonymous: Browser
) -> None:
    anonymous.post(link, {f"level-{ASKED[0]}": "3", "action": "check"})
    page = anonymous.get(f"{link}/check")
    text = page.get_text(" ", strip=True)
    assert f"Choose a level for {ASKED_NAMES[1]}, or 'Not observed'" in text
    assert page.select_one("button[type=submit]") is None
    anonymous.post(f"{link}/check", {}, status=400)
    assert count(app, StakeholderRating) == 0


def test_all_not_observed_cannot_be_sent(link: str, anonymous: Browser) -> None:
    anonymous.post(link, {**answer_data(NOT_OBSERVED), "action": "check"})
    assert "Choose a level for at least one competency" in anonymous.get(f"{link}/check").get_text()


def test_submitting_stores_unlinked_rows_and_the_link_works_once(
    app: Flask, link: str, anonymous: Browser
) -> None:
    data = {
        **answer_data("3", comment="Brings the teams into decisions"),
        "comment-overall": "Keep going",
    }
    data[f"level-{ASKED[3]}"] = NOT_OBSERVED
    anonymous.post(link, {**data, "action": "check"})
    page = anonymous.get(f"{link}/check")
    assert "Brings the teams into decisions" in page.get_text()
    response = anonymous.post(f"{link}/check", {}, follow=True, status=200)
    assert "Your answers have been sent" in response.get_data(as_text=True)
    with app.app_context():
        ratings = db.session.scalars(select(StakeholderRating)).all()
        assert sorted((r.competency_key, r.level) for r in ratings) == sorted(
            (k, 3) for k in ASKED if k != ASKED[3]
        )
        comments = db.session.scalars(select(StakeholderComment)).all()
        assert sorted((c.competency_key or "", c.text) for c in comments) == sorted(
            [(k, "Brings the teams into decisions") for k in ASKED] + [("", "Keep going")]
        )
    invitation = _invitation(app)
    assert invitation.submitted_at is not None
    assert invitation.draft == {} and invitation.token_hash is None
    # The link stops working: a clear page, not a 500, and nothing is stored twice.
    assert "This link does not work" in anonymous.get(link, status=404).get_text()
    anonymous.client.post(f"{link}/check", data={})
    assert count(app, StakeholderRating) == len(ASKED) - 1


def test_no_column_ties_an_answer_to_its_invitation_or_a_time() -> None:
    for model in (StakeholderRating, StakeholderComment):
        columns = {c.name for c in inspect(model).columns}
        assert columns <= {"id", "assessment_id", "competency_key", "level", "text"}, columns
        foreign = {fk.column.table.name for c in inspect(model).columns for fk in c.foreign_keys}
        assert foreign == {"assessment"}


def test_an_expired_link_shows_a_clear_page_and_keeps_the_draft(
    app: Flask, link: str, anonymous: Browser
) -> None:
    anonymous.post(link, {f"level-{ASKED[0]}": "1", "action": "draft"})
    with app.app_context():
        invitation = db.session.scalars(
            select(StakeholderInvitation).where(
                StakeholderInvitation.email == "stakeholder1@example.org"
            )
        ).one()
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = anonymous.get(link, status=410)
    text = page.get_text(" ", strip=True)
    assert "This link has expired" in text
    assert "Nothing you saved is lost" in text
    assert "ask Carol Officer for more time" in text
    # What is posted after expiry still goes into the draft (nothing typed is lost), unsent.
    anonymous.post(link, {f"level-{ASKED[0]}": "4", "action": "draft"}, status=410)
    assert _invitation(app).draft["levels"] == {ASKED[0]: 4}
    response = anonymous.client.post(f"{link}/autosave", data={f"level-{ASKED[1]}": "2"})
    assert response.status_code == 410 and "expired" in response.get_json()["message"]
    assert _invitation(app).draft["levels"] == {ASKED[1]: 2}
    anonymous.post(f"{link}/check", {}, status=410)
    assert count(app, StakeholderRating) == 0


@pytest.mark.parametrize("token", ["nonsense", "a" * 64, "x" * 500, "%00"])
def test_a_link_that_never_existed_gets_a_clear_page(
    app: Flask, anonymous: Browser, token: str
) -> None:
    page = anonymous.get(f"/feedback/{token}", status=404)
    assert "This link does not work" in page.get_text()
    response = anonymous.client.post(f"/feedback/{token}/autosave", data={})
    assert response.status_code == 404 and response.get_json()["saved"] is False


def test_the_link_pages_are_kept_out_of_caches_and_referrers(link: str, anonymous: Browser) -> None:
    response = anonymous.client.get(link)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_links_that_do_not_work_are_rate_limited_but_answering_is_not(
    app: Flask, link: str, anonymous: Browser
) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        for _ in range(5):
            anonymous.get(link)  # a working link is never slowed
        for _ in range(3):
            anonymous.get("/feedback/guess", status=404)
        anonymous.get("/feedback/another-guess", status=429)
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"


def test_a_signed_in_user_sees_the_same_page(link: str, browser_as) -> None:  # type: ignore[no-untyped-def]
    page = browser_as("interviewer").get(link)
    assert "Your view of Priya Shah" in page.get_text()


def test_the_answer_form_carries_a_csrf_token_and_a_post_without_it_is_refused(
    tmp_path: Path,
) -> None:
    class Config(TestConfig):
        WTF_CSRF_ENABLED = True
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'csrf.sqlite'}"

    csrf_app = create_app(Config)
    with csrf_app.test_request_context():
        db.create_all()
        candidate = person("exec", "Sam Candidate")
        cpo = person("cpo", "Carol Officer")
        assessment = make_assessment(candidate, published_role())
        (invitation,) = invitations.invite(
            assessment,
            [invitations.Invitee(e, "", "other") for e in people(3)],
            invitations.default_due_on(),
            cpo,
        )[:1]
        link = invitations.link_path(invitation)
        invitation_id = invitation.id
        db.session.commit()
    assert link is not None
    client = csrf_app.test_client()
    page = parse(client.get(link))
    token = page.select_one('form[data-autosave-url] input[name="csrf_token"]')["value"]
    refused = client.post(link, data={f"level-{ASKED[0]}": "2", "action": "draft"})
    assert refused.status_code == 400
    assert "your session had ended" in refused.get_data(as_text=True)
    saved = client.post(
        link, data={f"level-{ASKED[0]}": "2", "action": "draft", "csrf_token": token}
    )
    assert saved.status_code == 302
    # The browser session (only there for the CSRF token) ends while the page is still open:
    # what was posted comes back on a fresh page to save again, and nothing is lost.
    fresh = csrf_app.test_client()
    typed = {f"level-{ASKED[1]}": "3", f"comment-{ASKED[1]}": "Keeps us in the loop"}
    stale = fresh.post(link, data={**typed, "action": "draft", "csrf_token": token})
    assert stale.status_code == 400
    again = parse(stale)
    assert "What you entered is kept below" in again.select_one(".govuk-error-summary").get_text()
    assert again.select_one(f'input[name="level-{ASKED[1]}"][value="3"][checked]') is not None
    assert "Keeps us in the loop" in again.get_text()
    autosave = fresh.post(f"{link}/autosave", data={**typed, "csrf_token": token})
    assert autosave.status_code == 400 and autosave.get_json()["saved"] is False
    new_token = again.select_one('input[name="csrf_token"]')["value"]
    resaved = fresh.post(link, data={**typed, "action": "draft", "csrf_token": new_token})
    assert resaved.status_code == 302
    with csrf_app.app_context():
        assert db.session.get(StakeholderInvitation, invitation_id).draft["levels"] == {
            ASKED[1]: 3  # the page posted holds every answer: the earlier one was not on it
        }
        db.session.remove()
        db.drop_all()
