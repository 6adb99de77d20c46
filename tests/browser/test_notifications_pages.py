"""Notifications, preferences and the outbox in a real browser: axe-core, no JavaScript needed."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.notifications import notify
from app.notifications.accounts import send_account_link
from tests.browser.live import LiveServer, assert_accessible


def _notify_tom(server: LiveServer) -> None:
    with server.app.app_context():
        tom = db.session.scalars(select(User).where(User.email == "interviewer1@example.org")).one()
        for name in ("Sarah Whitfield", "David Mensah"):
            notify(
                tom,
                "interview.assigned",
                title=f"You are on the panel for {name}",
                link="/interviews",
                template="notice",
                context={"lines": ["Open your interview kit."]},
            )
        send_account_link(tom, "reset", "x" * 43)
        db.session.commit()


def test_notifications_preferences_and_outbox_are_accessible(
    page: Page, live_server: LiveServer
) -> None:
    page.set_default_timeout(10_000)
    _notify_tom(live_server)
    live_server.sign_in(page, "interviewer1@example.org")
    header_link = page.get_by_role("link", name="Notifications 2 unread")
    expect(header_link).to_be_visible()
    header_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as read").first.click()
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    page.get_by_role("link", name="Choose which emails you get").click()
    page.get_by_role("group", name="You are on an interview panel").get_by_label(
        "In one daily digest email"
    ).check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("preferences are saved")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    live_server.sign_in(page, "admin@example.org")
    page.get_by_role("link", name="Outbox").click()
    assert_accessible(page)
    page.get_by_role("link", name="Choose a new Streamlead password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new Streamlead password")
    assert_accessible(page)
