"""Long lists in a real browser: the GOV.UK pagination passes axe-core and keeps the filters."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, SelfAssessment, User, ValueStream
from app.roles.lookups import latest_published
from tests.browser.live import LiveServer, assert_accessible


def _add_candidates(server: LiveServer, count: int) -> None:
    with server.app.app_context():
        version = latest_published("product-director")
        stream = db.session.scalars(
            select(ValueStream).where(ValueStream.name == "Payments and billing")
        ).one()
        for n in range(count):
            user = User(email=f"paged{n:03d}@example.org", name=f"Paged {n:03d}", role="exec")
            assessment = Assessment(candidate=user, role_version=version, value_stream=stream)
            db.session.add_all([user, assessment, SelfAssessment(assessment=assessment)])
        db.session.commit()


def test_paged_candidates_and_accounts_are_accessible(page: Page, live_server: LiveServer) -> None:
    page.set_default_timeout(10_000)
    _add_candidates(live_server, 110)
    live_server.sign_in(page, "cpo@example.org")
    page.goto(f"{live_server.url}/candidates")
    page.get_by_label("Status").select_option(label="Self-assessment in progress")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("caption")).to_have_text("110 candidates, page 1 of 3")
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("caption")).to_have_text("110 candidates, page 2 of 3")
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert "status=self-in-progress" in page.url
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    live_server.sign_in(page, "admin@example.org")
    page.goto(f"{live_server.url}/admin/users?page=3")
    expect(page.locator("caption")).to_contain_text("page 3 of 3")
    assert_accessible(page)
    page.goto(f"{live_server.url}/admin/audit")
    assert_accessible(page)
