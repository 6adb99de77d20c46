"""Long forms keep what people give them, and keep their actions in reach (real Chromium)."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Interview
from tests.browser.live import LiveServer, assert_accessible, assessment_of, self_rating

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def _focus_is_not_behind_the_bar(page: Page, selector: str) -> None:
    """WCAG 2.2, 2.4.11: a field reached by keyboard is not hidden by the sticky action bar.

    The field is first scrolled to just behind where the bar sits, then reached with Tab from
    the control before it: the browser must bring it out from under the bar."""
    field = page.locator(selector)
    page.evaluate(
        """(el) => {
            const top = el.getBoundingClientRect().top + window.scrollY;
            window.scrollTo(0, top - window.innerHeight + 30);
            const all = [...document.querySelectorAll('input, textarea, button, a[href]')];
            all[all.indexOf(el) - 1].focus({preventScroll: true});
        }""",
        field.element_handle(),
    )
    page.keyboard.press("Tab")
    expect(field).to_be_focused()
    box = field.bounding_box()
    bar = page.locator(".sl-action-bar").bounding_box()
    assert box is not None and bar is not None
    assert box["y"] + box["height"] <= bar["y"] + 1, (selector, box, bar)


def test_a_level_without_evidence_survives_leaving_and_coming_back(
    page: Page, live_server: LiveServer
) -> None:
    laura = assessment_of(live_server, "exec3@example.org")
    live_server.sign_in(page, "exec3@example.org")
    page.goto(f"{live_server.url}/assessments/{laura}/self/quality")
    page.locator("#level-product-quality-4").check()
    # Leave at once for the next page, without waiting for autosave and without an example.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leadership")
    assert self_rating(live_server, laura, "product-quality") == (4, "")
    # Away to the home page and back: the answer is as it was left.
    page.goto(live_server.url)
    page.goto(f"{live_server.url}/assessments/{laura}/self/quality")
    expect(page.locator("#level-product-quality-4")).to_be_checked()
    expect(page.locator("#evidence-product-quality-blocker")).to_contain_text(
        "Give evidence for Product and service quality: levels 3 and 4 need an example"
    )
    assert_accessible(page)
    # Submitting is what needs the evidence: the check page says so, linked to the field.
    page.goto(f"{live_server.url}/assessments/{laura}/self/check")
    expect(page.locator("#main-content")).to_contain_text("Evidence needed for level 4")


def test_the_kit_keeps_its_actions_in_view_and_checks_before_the_final_submit(
    page: Page, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        interview_id = db.session.scalar(
            select(Interview.id).where(Interview.status == "draft").order_by(Interview.id)
        )
    live_server.sign_in(page, "interviewer1@example.org")
    kit = f"{live_server.url}/interviews/{interview_id}"
    page.goto(kit)
    bar = page.locator(".sl-action-bar")
    expect(bar).to_be_in_viewport()
    expect(bar.get_by_role("button", name="Check and submit")).to_be_visible()
    _focus_is_not_behind_the_bar(page, "#notes-value-and-pnl")
    _focus_is_not_behind_the_bar(page, "#notes-growing-product-people")

    # A rating without its evidence: autosaved, and the bar says what blocks submitting.
    page.locator("#rating-value-and-pnl-4").check()
    expect(bar.locator("#autosave-status")).to_contain_text("Saved at", timeout=12000)
    expect(bar).to_contain_text("rating needs evidence")
    expect(page.locator("#notes-value-and-pnl-blocker")).to_be_visible()

    bar.get_by_role("button", name="Check and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Submit interview").click()
    expect(page).to_have_title("Error: Check your interview of Laura Byrne – Streamlead")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the evidence behind your rating of Owning value and the P&L"
    )
    assert_accessible(page)
    page.get_by_role(
        "link", name="Enter the evidence behind your rating of Owning value and the P&L"
    ).click()
    expect(page.get_by_label("Evidence for Owning value and the P&L")).to_be_focused()
    with live_server.app.app_context():
        assert db.session.get(Interview, interview_id).status == "draft"


def test_long_forms_fit_a_phone(browser, live_server: LiveServer) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    laura = assessment_of(live_server, "exec3@example.org")
    live_server.sign_in(page, "exec3@example.org")
    page.goto(f"{live_server.url}/assessments/{laura}/self/workflow")
    expect(page.locator(".sl-action-bar")).to_be_in_viewport()
    _no_sideways_scroll(page)
    _focus_is_not_behind_the_bar(page, "#evidence-delivery-health")
    context.close()


def test_a_level_chosen_just_before_following_a_link_away_is_kept(
    page: Page, live_server: LiveServer
) -> None:
    laura = assessment_of(live_server, "exec3@example.org")
    live_server.sign_in(page, "exec3@example.org")
    page.goto(f"{live_server.url}/assessments/{laura}/self/quality")
    page.locator("#level-product-quality-4").check()
    # Away through the main navigation at once: no button pressed, no autosave waited for.
    page.get_by_role("navigation", name="Main").get_by_role("link").first.click()
    page.wait_for_url(f"{live_server.url}/**")
    assert "/self/quality" not in page.url
    page.go_back()
    page.reload()
    expect(page.locator("#level-product-quality-4")).to_be_checked()
    expect(page.locator("#evidence-product-quality-blocker")).to_contain_text(
        "levels 3 and 4 need an example"
    )
    assert self_rating(live_server, laura, "product-quality") == (4, "")
