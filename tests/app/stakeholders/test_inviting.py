"""The CPO invites 3-12 stakeholders, sees who has answered (never what), withdraws, resends,
extends; nobody else can."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow
from app.models.stakeholders import StakeholderInvitation
from app.stakeholders import answers
from tests.app.stakeholders.conftest import (
    ASKED,
    ASKED_NAMES,
    Scene,
    answer_data,
    invite_data,
    links,
    people,
)
from tests.fixtures.builders import count
from tests.fixtures.client import Browser


def _errors(page) -> str:  # type: ignore[no-untyped-def]
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None, "expected an error summary"
    return summary.get_text(" ", strip=True)


def test_the_cpo_invites_five_and_each_is_emailed_a_link(app: Flask, scene: Scene) -> None:
    page = scene.cpo.get(scene.manage_url)
    assert "Invite stakeholders" in page.get_text()
    response = scene.cpo.post(scene.invite_url, invite_data(people(5)), follow=True, status=200)
    text = response.get_data(as_text=True)
    assert "Invited 5 stakeholders" in text
    assert text.count(">Sent</strong>") == 5
    assert count(app, StakeholderInvitation) == 5
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [m.to_address for m in messages] == people(5)
        first = messages[0]
        assert first.kind == "stakeholder.invite"
        assert "Priya Shah" in first.subject
        body = first.text_body
        assert "Hello Person 1" in body
        assert "Priya Shah is being considered for the role of" in body
        assert "Carol Officer would like your view" in body
        assert "Your answers are anonymous" in body
        assert "at least 3 people" in body
        assert "10 to 15 minutes" in body
        assert "Please answer by" in body
        assert "/feedback/" in body
        assert "Give your view</a>" in first.html_body
        # Only the hash is stored: the token in the email is not in the database.
        token = links(app)[people(1)[0]].rsplit("/", 1)[1]
        stored = db.session.scalars(select(StakeholderInvitation.token_hash)).all()
        assert token not in stored and all(len(h or "") == 64 for h in stored)


@pytest.mark.parametrize(
    ("emails", "message"),
    [
        (people(2), "Name at least 3 stakeholders in all"),
        ([], "Enter at least one stakeholder's email address"),
        (["a@example.org", "b@example.org", "A@example.org"], "a@example.org is in the list twice"),
        (["a@example.org", "b@example.org", "priya@example.org"], "Priya Shah's own address"),
        (
            ["a@example.org", "b@example.org", "not-an-email"],
            "Enter stakeholder 3's email address in the correct format",
        ),
    ],
)
def test_a_list_that_cannot_be_sent_says_why(
    app: Flask, scene: Scene, emails: list[str], message: str
) -> None:
    response = scene.cpo.post(scene.invite_url, invite_data(emails), status=400)
    from tests.fixtures.client import parse

    page = parse(response)
    assert page.title is not None and page.title.get_text().startswith("Error:")
    assert message in _errors(page)
    assert count(app, StakeholderInvitation) == 0
    assert count(app, OutboxMessage) == 0


def test_more_than_twelve_in_all_is_refused(app: Flask, scene: Scene) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(10)))
    more = invite_data([f"more{i}@example.org" for i in range(3)])
    response = scene.cpo.post(scene.invite_url, more, status=400)
    assert (
        "Name no more than 12 stakeholders in all: 10 already invited and 3 more makes 13"
        in response.get_data(as_text=True)
    )
    # One more is fine: the minimum counts those already asked.
    scene.cpo.post(scene.invite_url, invite_data(["more0@example.org"]))
    assert count(app, StakeholderInvitation) == 11


def test_a_name_without_an_email_and_a_missing_relationship_are_errors(scene: Scene) -> None:
    data = invite_data(people(3))
    data["name_4"] = "Somebody"
    data["relationship_2"] = ""
    text = scene.cpo.post(scene.invite_url, data, status=400).get_data(as_text=True)
    assert "Enter an email address for stakeholder 4" in text
    assert "Choose how stakeholder 2 works with the candidate" in text


def test_a_due_date_in_the_past_is_refused(scene: Scene) -> None:
    text = scene.cpo.post(
        scene.invite_url, invite_data(people(3), due_in_days=-1), status=400
    ).get_data(as_text=True)
    assert "The due date must be in the future" in text


def test_add_more_rows_without_javascript_keeps_what_was_typed(scene: Scene) -> None:
    data = invite_data(people(5))
    data["action"] = "more"
    page = scene.cpo.post(scene.invite_url, data, status=200)
    text = page.get_data(as_text=True)
    assert 'value="stakeholder5@example.org"' in text
    assert "Stakeholder 8" in text and "Stakeholder 9" not in text


def test_a_role_without_stakeholder_prompts_has_nothing_to_ask(
    app: Flask, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answers, "prompts_of", lambda c: ())
    assert "has no statements for stakeholders" in scene.cpo.get(scene.manage_url).get_text()
    scene.cpo.post(scene.invite_url, invite_data(people(3)), status=400)
    assert count(app, StakeholderInvitation) == 0


def test_the_status_page_shows_who_answered_but_never_what(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    link = links(app)["stakeholder1@example.org"]
    secret = "They shouted at the platform team in the review"
    anonymous.post(
        link, {**answer_data("1", comment=secret), "comment-overall": secret, "action": "check"}
    )
    anonymous.post(f"{link}/check", {})
    page = scene.cpo.get(scene.manage_url)
    rows = {
        r.th.get_text(" ", strip=True): r.get_text(" ", strip=True) for r in page.select("tbody tr")
    }
    assert "Answered" in rows["Person 1 stakeholder1@example.org"]
    assert "Sent" in rows["Person 2 stakeholder2@example.org"]
    text = page.get_text(" ", strip=True)
    assert "1 of 3 answered" in text
    assert secret not in text
    assert "1 Awareness" not in text and "Awareness" not in text
    for name in ASKED_NAMES:
        assert f"{name}:" not in text
    # The assessment page's section counts, too, and says nothing more.
    section = scene.cpo.get(f"/assessments/{scene.assessment_id}").get_text(" ", strip=True)
    assert "1 of 3 stakeholders asked has answered" in section
    assert secret not in section


@pytest.mark.parametrize("role", ["exec", "interviewer", "hr", "admin"])
def test_other_roles_cannot_see_or_invite(
    app: Flask, scene: Scene, browser_as: Callable[..., Browser], role: str
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    with app.app_context():
        invitation_id = db.session.scalars(select(StakeholderInvitation.id)).first()
    other = browser_as(role)
    other.get(scene.manage_url, status=403)
    other.post(
        scene.invite_url,
        invite_data(["x@example.org", "y@example.org", "z@example.org"]),
        status=403,
    )
    for action in ("withdraw", "resend"):
        other.post(f"{scene.manage_url}/{invitation_id}/{action}", status=403)
    other.get(f"{scene.manage_url}/{invitation_id}/extend", status=403)
    assert "Stakeholder feedback" not in other.client.get(
        f"/assessments/{scene.assessment_id}"
    ).get_data(as_text=True)


def test_withdrawing_ends_the_link_and_discards_the_draft(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    link = links(app)["stakeholder2@example.org"]
    anonymous.post(link, {**answer_data("2"), "action": "draft"})
    with app.app_context():
        invitation = db.session.scalars(
            select(StakeholderInvitation).where(
                StakeholderInvitation.email == "stakeholder2@example.org"
            )
        ).one()
        invitation_id = invitation.id
        assert invitation.draft["levels"]
    scene.cpo.post(f"{scene.manage_url}/{invitation_id}/withdraw", follow=True, status=200)
    page = anonymous.get(link, status=410)
    assert "Your view is no longer needed" in page.get_text()
    with app.app_context():
        assert db.session.get(StakeholderInvitation, invitation_id).draft == {}
    assert "Withdrawn" in scene.cpo.get(scene.manage_url).get_text()


def test_resending_sends_a_new_link_and_keeps_the_draft(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    old = links(app)["stakeholder1@example.org"]
    anonymous.post(old, {f"level-{ASKED[0]}": "4", "action": "draft"})
    with app.app_context():
        invitation_id = db.session.scalars(
            select(StakeholderInvitation.id).where(
                StakeholderInvitation.email == "stakeholder1@example.org"
            )
        ).one()
    scene.cpo.post(f"{scene.manage_url}/{invitation_id}/resend", follow=True, status=200)
    new = links(app)["stakeholder1@example.org"]
    assert new != old
    assert "This link does not work" in anonymous.get(old, status=404).get_text()
    page = anonymous.get(new)
    assert page.select('input[type="radio"][value="4"][checked]'), "the draft survives a resend"


def test_extending_an_expired_link_opens_it_again_with_the_draft(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    link = links(app)["stakeholder3@example.org"]
    anonymous.post(link, {**answer_data("2", comment="Clear about trade-offs"), "action": "draft"})
    with app.app_context():
        invitation = db.session.scalars(
            select(StakeholderInvitation).where(
                StakeholderInvitation.email == "stakeholder3@example.org"
            )
        ).one()
        invitation.expires_at = utcnow() - timedelta(hours=1)
        invitation_id = invitation.id
        db.session.commit()
    assert "Expired" in scene.cpo.get(scene.manage_url).get_text()
    page = scene.cpo.get(f"{scene.manage_url}/{invitation_id}/extend")
    assert "Give Person 3 more time" in page.get_text()
    later = localtime.today() + timedelta(days=20)
    scene.cpo.post(
        f"{scene.manage_url}/{invitation_id}/extend",
        {
            "due_on-day": str(later.day),
            "due_on-month": str(later.month),
            "due_on-year": str(later.year),
        },
    )
    reminder = links(app, "stakeholder.reminder")
    assert reminder["stakeholder3@example.org"] == link, "the same link works again"
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "stakeholder.reminder")
        ).one()
        assert "You now have until" in message.text_body
    page = anonymous.get(link)
    assert "Clear about trade-offs" in page.get_text()


def test_a_panel_member_cannot_also_be_a_stakeholder(
    app: Flask, scene: Scene, make_user: Callable[..., object]
) -> None:
    from app.models import Assessment, User
    from tests.fixtures.builders import add_interview

    panel = make_user("interviewer", email="ivan@example.org")
    with app.app_context():
        add_interview(
            db.session.get(Assessment, scene.assessment_id),
            db.session.get(User, panel.id),  # type: ignore[attr-defined]
            status="draft",
        )
        db.session.commit()
    emails = ["a@example.org", "b@example.org", "Ivan@example.org"]
    text = scene.cpo.post(scene.invite_url, invite_data(emails), status=400).get_data(as_text=True)
    assert "ivan@example.org is on Priya Shah&#39;s interview panel" in text


def test_someone_whose_answers_were_imported_cannot_be_invited(app: Flask, scene: Scene) -> None:
    with app.app_context():
        db.session.add(
            StakeholderInvitation(
                assessment_id=scene.assessment_id,
                email="imported@example.org",
                relationship="other",
                expires_at=utcnow(),
                submitted_at=utcnow(),
                imported=True,
            )
        )
        db.session.commit()
    emails = ["a@example.org", "b@example.org", "imported@example.org"]
    text = scene.cpo.post(scene.invite_url, invite_data(emails), status=400).get_data(as_text=True)
    assert "imported@example.org has already answered" in text
    assert (
        "Also 1 stakeholder answer imported from a file"
        in scene.cpo.get(scene.manage_url).get_text()
    )
