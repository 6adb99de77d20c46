"""An exec's journey starts from the emails their nomination sends: set a password, then follow
the nomination email's link straight to the self-assessment."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from tests.browser.live import LiveServer, assert_accessible

NEW_EXEC = "nadia.okafor@example.org"
NEW_PASSWORD = "lantern orchard copper valley"


def _link(server: LiveServer, kind: str) -> str:
    """The link to act on in the plain-text part of the newest email of this kind (every email
    also links to the notification preferences in its footer)."""
    with server.app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind, OutboxMessage.to_address == NEW_EXEC)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None, f"no {kind} email to {NEW_EXEC}"
        found = set(re.findall(rf"{re.escape(server.url)}/\S+", message.text_body))
    links = {link for link in found if not link.endswith("/notifications/preferences")}
    assert len(links) == 1, found
    return links.pop()


def test_a_newly_nominated_exec_starts_from_the_nomination_email(
    page: Page, live_server: LiveServer
) -> None:
    # Emails link to BASE_URL: here, the running test server.
    live_server.app.config["BASE_URL"] = live_server.url
    live_server.sign_in(page, "cpo@example.org")
    page.goto(f"{live_server.url}/candidates/nominate")
    page.get_by_label("Executive").select_option(label="Someone not in Streamlead yet")
    page.get_by_label("Full name").fill("Nadia Okafor")
    page.get_by_label("Email address").fill(NEW_EXEC)
    page.get_by_label("Value stream").select_option(index=1)
    page.get_by_label("Role version").select_option(index=1)
    page.get_by_role("button", name="Nominate").click()
    expect(page.locator("main")).to_contain_text("Nadia Okafor")
    page.context.clear_cookies()  # the CPO's browser is now the exec's

    # The nomination email asks for the self-assessment; the exec has no password yet, so its
    # link leads to sign in, and the invitation email's link sets the password.
    nomination = _link(live_server, "self.nominated")
    page.goto(nomination)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Streamlead")
    page.goto(_link(live_server, "account.invite"))
    assert_accessible(page)
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name=re.compile("password", re.I)).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")

    # Back to the nomination email: signing in lands on the self-assessment it links to.
    page.goto(nomination)
    page.get_by_label("Email address").fill(NEW_EXEC)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/assessments/\d+/self"))
    expect(page.locator("main")).to_contain_text("self-assessment")
    assert_accessible(page)
