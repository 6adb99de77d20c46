"""Each role's home, in a real browser: only actions that role can take, every one of them
opens, one card per person, the exec's journey, and nothing wider than a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.demo import DEMO_PEOPLE
from tests.browser.live import LiveServer, assert_accessible

# What each role's home may ask of it in the demo organisation; anything else is a step the
# role cannot take (the CPO may be asked anything the CPO can do: each link is opened below).
ALLOWED: dict[str, tuple[str, ...]] = {
    "admin": (r"^Manage accounts$", r"invited (person has|people have) not set a password"),
    "interviewer": (r"^Interview .+",),
    "exec": (
        r"^Induction: \d+ of \d+ done",
        r"^Read your coaching plan v\d+$",
        r"^Complete your self-assessment for ",
        r"^Tell us about your experience$",
    ),
    "hr": (
        r"^.+'s induction: \d+ of your items (is|are) overdue$",
        r"^\d+ execs? (has|have) overdue induction items$",
    ),
}
EXEC_NAMES = [name for _email, name, role in DEMO_PEOPLE if role == "exec"]


def _cards(page: Page) -> list[list[tuple[str, str]]]:
    """Per card, (title, link) of its first step and of any more about the same person."""
    return [
        [
            (a.inner_text().strip(), a.get_attribute("href") or "")
            for a in card.locator(".sl-card__title a, .sl-card__more a").all()
        ]
        for card in page.locator("li.sl-card").all()
    ]


@pytest.mark.parametrize(("email", "role"), [(email, role) for email, _n, role in DEMO_PEOPLE])
def test_each_home_offers_only_what_its_reader_can_do(
    page: Page, live_server: LiveServer, email: str, role: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    live_server.sign_in(page, email)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    cards = _cards(page)
    titles = [title for card in cards for title, _href in card]
    if role in ALLOWED:
        strange = [t for t in titles if not any(re.search(p, t) for p in ALLOWED[role])]
        assert strange == [], (email, strange)
    for name in EXEC_NAMES:
        about = [card for card in cards if any(name in title for title, _h in card)]
        assert len(about) <= 1, (email, name, about)
    # Every link the home page offers (cards, the exec's journey, the main navigation) is one
    # the reader's policy allows: each opens, none is refused.
    offered = page.eval_on_selector_all(
        "#main-content a[href], nav a[href]",
        "els => els.map(a => [a.innerText.trim(), a.getAttribute('href')])",
    )
    assert {href for _t, href in [s for c in cards for s in c]} <= {h for _t, h in offered}
    for title, href in offered:
        response = page.goto(f"{live_server.url}{href}")
        assert response is not None and response.status == 200, (email, title, href)
        expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_hr_sees_its_own_overdue_items_and_is_not_asked_to_decide(
    page: Page, live_server: LiveServer
) -> None:
    live_server.sign_in(page, "hr@example.org")
    steps = page.locator(".sl-steps")
    expect(steps).to_contain_text("of your items")
    expect(steps).not_to_contain_text("decide")
    expect(steps).not_to_contain_text("Overdue review")
    # HR's own item is marked on the checklist it leads to.
    steps.get_by_role("link", name=re.compile("Sarah Whitfield's induction")).click()
    target = page.locator("li.sl-task:target")
    expect(target).to_contain_text("Who: HR")
    expect(target.locator(".sl-overdue__label")).to_have_text("Overdue")
    done = page.locator("details.sl-done-tasks")
    expect(done.locator("li.sl-task").first).to_be_hidden()
    assert_accessible(page)


def test_a_selected_exec_follows_their_journey_to_their_plan(
    page: Page, live_server: LiveServer
) -> None:
    live_server.sign_in(page, "exec1@example.org")
    expect(page.locator(".sl-user__role")).to_have_text("Product Director (selected)")
    journey = page.locator(".sl-journey")
    expect(journey.locator(".sl-journey__where")).to_contain_text("You are at step 4 of 5")
    expect(journey.locator('[aria-current="step"]')).to_contain_text("Induction")
    journey.get_by_role("link", name="Read the decision").click()
    expect(page.locator("#decision")).to_contain_text("Selected")
    expect(page.get_by_role("button", name="Reopen self-assessment")).to_have_count(0)
    page.locator("#decision").get_by_role("link", name="Your coaching plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your coaching plan")
    expect(page.locator("#main-content")).to_contain_text("You and the CPO have agreed")
    expect(page.locator("#main-content")).not_to_contain_text("The exec")
    assert_accessible(page)


def test_a_new_candidate_is_shown_where_to_start(page: Page, live_server: LiveServer) -> None:
    live_server.sign_in(page, "exec4@example.org")
    journey = page.locator(".sl-journey")
    expect(journey.locator('[aria-current="step"]')).to_contain_text("Self-assessment")
    journey.get_by_role("link", name="Start your self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_calibration_keeps_notes_folded_and_its_bar_in_view(
    page: Page, live_server: LiveServer
) -> None:
    live_server.sign_in(page, "cpo@example.org")
    page.goto(f"{live_server.url}/candidates")
    page.get_by_role("link", name="Sarah Whitfield").first.click()
    page.get_by_role("link", name="Calibrate the panel's ratings").click()
    bar = page.locator(".sl-action-bar")
    expect(bar).to_be_in_viewport()
    expect(bar).to_contain_text("3 of 3 interviews submitted")
    note = page.get_by_label("Add a calibration note on Owning value and the P&L")
    expect(note).to_be_hidden()
    page.locator("#comp-value-and-pnl summary").click()
    expect(note).to_be_visible()
    assert_accessible(page)
