"""Dates as three boxes, lists as rows (with and without JavaScript), the audit log in words,
all checked with axe-core in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import LiveServer, assert_accessible

ROLE = "/roles/product-director"


def _new_draft(page: Page, live_server: LiveServer) -> None:
    # The demo publishes v1 and later v2, so the next draft is v3.
    page.goto(f"{live_server.url}{ROLE}/v2")
    page.get_by_role("button", name="Edit (creates draft v3)").click()
    page.goto(f"{live_server.url}{ROLE}/v3/edit")


def test_add_another_and_remove_in_place_with_javascript(
    page: Page, live_server: LiveServer
) -> None:
    live_server.sign_in(page, "cpo@example.org")
    _new_draft(page, live_server)
    assert_accessible(page)
    functions = page.locator("textarea[name=functions]")
    count = functions.count()
    page.get_by_role("button", name="Add another function").click()
    expect(functions).to_have_count(count + 1)
    new = page.get_by_label(f"Function {count + 1}", exact=True)
    expect(new).to_be_focused()
    new.fill("Legal and compliance")
    first = functions.nth(0).input_value()
    page.get_by_role("button", name="Remove function 1", exact=True).click()
    expect(functions).to_have_count(count)
    expect(page.get_by_label("Function 1", exact=True)).not_to_have_value(first)
    assert_accessible(page)
    page.get_by_role("button", name="Save role details").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Role details saved.")
    expect(page.locator("main")).to_contain_text("Legal and compliance")


def test_add_another_works_without_javascript(browser, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    live_server.sign_in(page, "cpo@example.org")
    _new_draft(page, live_server)
    page.get_by_label("Purpose").fill("Typed before adding a row.")
    count = page.locator("textarea[name=functions]").count()
    page.get_by_role("button", name="Add another function").click()
    expect(page.locator("textarea[name=functions]")).to_have_count(count + 1)
    expect(page.get_by_label("Purpose")).to_have_value("Typed before adding a row.")
    expect(page.get_by_label(f"Function {count + 1}", exact=True)).to_be_focused()
    page.get_by_label(f"Function {count + 1}", exact=True).fill("Legal and compliance")
    # Enter in a one-line box saves the form (it does not press a row's Remove button).
    page.get_by_label("Name of the role").press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Role details saved.")
    expect(page.locator("main")).to_contain_text("Legal and compliance")
    context.close()


def test_dates_and_the_audit_log_are_accessible(page: Page, live_server: LiveServer) -> None:
    live_server.sign_in(page, "cpo@example.org")
    page.goto(f"{live_server.url}/candidates")
    page.goto(f"{live_server.url}/reports")
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_label("Year").first.fill("2026")
    page.get_by_role("button", name="Filter").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The from date must be a real date")
    summary.get_by_role("link").click()
    expect(page.locator("#date_from-day")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    live_server.sign_in(page, "admin@example.org")
    page.goto(f"{live_server.url}/admin/audit")
    expect(page.locator(".sl-audit__kind").first).to_have_text("Signed in")
    expect(page.locator("main")).not_to_contain_text("auth.login")
    page.locator(".sl-audit__details summary").first.click()
    assert_accessible(page)
