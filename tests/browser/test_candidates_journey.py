"""Value streams, candidates and the self-assessment in a real browser, with autosave."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import LiveServer, assert_accessible, assessment_of, self_rating


def test_staff_pages_are_accessible(page: Page, live_server: LiveServer) -> None:
    live_server.sign_in(page, "cpo@example.org")
    sarah = assessment_of(live_server, "exec1@example.org")
    for path in (
        "/streams",
        "/streams/new",
        "/candidates",
        "/candidates/nominate",
        f"/assessments/{sarah}",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/streams")
    page.get_by_role("link", name="Customer onboarding").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "2 of 5 hats missing: Data and analytics, Delivery and agile coaching"
    )
    assert_accessible(page)
    page.goto(f"{live_server.url}/candidates/nominate")
    page.get_by_role("button", name="Nominate").click()
    expect(page).to_have_title("Error: Nominate a candidate – Streamlead")
    assert_accessible(page)


def test_exec_answers_with_autosave_and_checks_answers(page: Page, live_server: LiveServer) -> None:
    laura = assessment_of(live_server, "exec3@example.org")
    live_server.sign_in(page, "exec3@example.org")
    page.get_by_role("link", name="Complete your self-assessment for Customer onboarding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workflow")
    assert_accessible(page)
    page.locator("#level-delivery-health-1").check()
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Saved at", timeout=12000)
    assert self_rating(live_server, laura, "delivery-health") == (1, "")
    expect(page.locator(".sl-progress__value")).to_have_text("7 of 13 answered (54%)")

    # A level 4 without its example is kept by autosave; beside the field, what submitting needs.
    page.locator("#level-ownership-and-pull-4").check()
    blocker = page.locator("#evidence-ownership-and-pull-blocker")
    expect(blocker).to_have_text(
        "Before you submit: Give evidence for Ownership and pull, not push: levels 3 and 4 need"
        " an example",
        timeout=12000,
    )
    expect(status).to_contain_text("Saved at")
    expect(page.locator(".sl-action-bar")).to_contain_text("1 still needs evidence")
    assert self_rating(live_server, laura, "ownership-and-pull") == (4, "")
    assert_accessible(page)
    page.get_by_label("Evidence for Ownership and pull, not push").fill(
        "Gave the acquisition squad its own budget and targets; it now plans its own work."
    )
    expect(blocker).to_be_hidden(timeout=12000)
    expect(page.locator(".sl-action-bar__blocking")).to_be_hidden()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quality")
    assert self_rating(live_server, laura, "ownership-and-pull")[0] == 4  # type: ignore[index]
    page.goto(f"{live_server.url}/assessments/{laura}/self/check")
    assert_accessible(page)


def test_self_assessment_works_without_javascript(browser, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    laura = assessment_of(live_server, "exec3@example.org")
    live_server.sign_in(page, "exec3@example.org")
    page.goto(f"{live_server.url}/assessments/{laura}/self/quality")
    page.locator("#level-product-quality-2").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft saved at")
    assert self_rating(live_server, laura, "product-quality") == (2, "")
    context.close()
