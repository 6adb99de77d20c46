"""A stakeholder answers by link in real Chromium: autosave, no sideways scroll on a phone,
no serious accessibility fault, and the send."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.stakeholders import StakeholderInvitation, StakeholderRating
from app.stakeholders import invitations
from tests.browser.live import LiveServer, assert_accessible, assessment_of

PHONE = {"width": 390, "height": 844}


def _invite(server: LiveServer) -> tuple[str, int, int]:
    """Invite three stakeholders for exec3's assessment; the first one's link and invitation."""
    assessment_id = assessment_of(server, "exec3@example.org")
    with server.app.test_request_context():
        from app.models import Assessment

        cpo = db.session.scalar(select(User).where(User.email == "cpo@example.org"))
        made = invitations.invite(
            db.session.get(Assessment, assessment_id),
            [invitations.Invitee(f"s{n}@example.org", "", "digital-team") for n in range(3)],
            invitations.default_due_on(),
            cpo,
        )
        link, invitation_id = invitations.link_path(made[0]), made[0].id
        db.session.commit()
    assert link is not None
    return link, invitation_id, assessment_id


def _ratings(server: LiveServer, assessment_id: int) -> int:
    with server.app.app_context():
        rows = db.session.scalars(
            select(StakeholderRating.id).where(StakeholderRating.assessment_id == assessment_id)
        ).all()
        return len(rows)


def _draft(server: LiveServer, invitation_id: int) -> dict[str, object]:
    with server.app.app_context():
        return dict(db.session.get(StakeholderInvitation, invitation_id).draft or {})


def test_a_stakeholder_answers_with_autosave_and_sends(page: Page, live_server: LiveServer) -> None:
    link, invitation_id, assessment_id = _invite(live_server)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your view of")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert_accessible(page)
    radios = page.locator("input[type=radio][value='3']")
    first_key = radios.first.get_attribute("name").removeprefix("level-")
    radios.first.check()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=15000)
    assert _draft(live_server, invitation_id)["levels"] == {first_key: 3}
    asked = radios.count()
    for n in range(asked):
        radios.nth(n).check()
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(page)
    before = _ratings(live_server, assessment_id)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert _ratings(live_server, assessment_id) == before + asked
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
