"""Signing in and moving around in a real browser, with accessibility checks on every page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import LiveServer, assert_accessible


def test_sign_in_errors_then_success_are_accessible(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – Streamlead")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your email address")
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_accessible(page)
    live_server.sign_in(page, "admin@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alex Admin")
    assert_accessible(page)


def test_admin_pages_are_accessible(page: Page, live_server: LiveServer) -> None:
    live_server.sign_in(page, "admin@example.org")
    for path in ("/admin/users", "/admin/users/new", "/admin/audit", "/account/password"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/admin/users/new")
    page.get_by_role("button", name="Create account and show invite link").click()
    expect(page).to_have_title("Error: Invite a person – Streamlead")
    assert_accessible(page)


def test_sign_out_works_without_javascript(browser, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    live_server.sign_in(page, "hr@example.org")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")
    context.close()
