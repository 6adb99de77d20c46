"""Each role's home page lists what to do next."""

from __future__ import annotations

import pytest

from tests.fixtures.client import Browser


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("admin", "Administrator"),
        ("cpo", "Chief Product Officer"),
        ("interviewer", "Panel interviewer"),
        ("exec", "Candidate executive"),
        ("hr", "HR"),
    ],
)
def test_home_names_the_person_and_role(browser_as, role: str, label: str) -> None:
    browser: Browser = browser_as(role, name="Jo Bloggs")
    page = browser.get("/")
    assert page.h1.get_text() == "Welcome, Jo Bloggs"
    assert page.select_one(".govuk-caption-l").get_text() == label


def test_admin_home_points_to_pending_invites(browser_as, make_user) -> None:
    make_user("exec", password=None)
    page = browser_as("admin").get("/")
    titles = [h.get_text(strip=True) for h in page.select(".sl-card__title")]
    assert "1 invited person has not set a password" in titles


def test_navigation_shows_only_what_the_role_may_use(browser_as) -> None:
    exec_nav = [a.get_text() for a in browser_as("exec").get("/").select(".sl-nav a")]
    admin_nav = [a.get_text() for a in browser_as("admin").get("/").select(".sl-nav a")]
    assert "Accounts" not in exec_nav
    assert "Accounts" in admin_nav


def test_page_has_skip_link_and_landmarks(browser_as) -> None:
    page = browser_as("hr").get("/")
    skip = page.select_one("a.govuk-skip-link")
    assert skip["href"] == "#main-content" and page.find(id="main-content").name == "main"
    assert page.html["lang"] == "en-GB"
