"""Each home offers only what its reader may do, one card per person it is about."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app import steps
from app.demo import DEMO_PEOPLE, load_demo
from app.extensions import db
from app.models import User
from app.steps import NextStep, home_cards, next_steps, person
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser, sign_in

EXEC_NAMES = [name for _email, name, role in DEMO_PEOPLE if role == "exec"]


@pytest.fixture
def demo(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    yield


def _home(app: Flask, email: str) -> tuple[Browser, list[list[str]]]:
    browser = Browser(app.test_client())
    assert sign_in(browser.client, email).status_code == 302
    page = browser.get("/")
    cards = [
        [a.get_text(strip=True) for a in card.select(".sl-card__title, .sl-card__more a")]
        for card in page.select("li.sl-card")
    ]
    return browser, cards


def test_hr_is_asked_only_what_hr_does_and_sees_its_own_overdue_items(
    app: Flask, demo: None
) -> None:
    _browser, cards = _home(app, "hr@example.org")
    assert cards == [
        ["David Mensah's induction: 1 of your items is overdue"],
        ["Sarah Whitfield's induction: 1 of your items is overdue"],
        ["2 execs have overdue induction items"],
    ]


def test_the_cpo_sees_one_card_per_person_with_the_decision_first(app: Flask, demo: None) -> None:
    _browser, cards = _home(app, "cpo@example.org")
    assert cards[:2] == [
        [
            "Fail-fast warning: decide on David Mensah",
            "David Mensah's induction: 3 of your items are overdue",
        ],
        [
            "Overdue review: Sarah Whitfield, day 90",
            "Sarah Whitfield's induction: 3 of your items are overdue",
        ],
    ]


@pytest.mark.parametrize("email", [email for email, _name, _role in DEMO_PEOPLE])
def test_every_home_link_opens_for_its_reader_and_no_person_has_two_cards(
    app: Flask, demo: None, email: str
) -> None:
    browser, cards = _home(app, email)
    for name in EXEC_NAMES:
        assert sum(any(name in title for title in card) for card in cards) <= 1, (name, cards)
    page = browser.get("/")
    for link in page.select(".sl-steps a, .sl-journey a"):
        href = link["href"].split("#")[0]
        response = browser.client.get(href)
        assert response.status_code == 200, (email, link.get_text(strip=True), href)


def test_a_step_the_policy_refuses_is_not_offered(
    app: Flask, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered = [
        NextStep("Record a decision for Jo", "", "/x", permission="decision.record", subject="p"),
        NextStep("Tick Jo's induction item", "", "/y", permission="induction.tick", subject="p"),
    ]
    monkeypatch.setattr(steps, "_PROVIDERS", [(frozenset({"cpo", "hr"}), lambda user: offered)])
    with app.test_request_context():
        hr = db.session.get(User, make_user("hr").id)
        cpo = db.session.get(User, make_user("cpo").id)
        assert [s.title for s in next_steps(hr)] == ["Tick Jo's induction item"]
        (card,) = home_cards(next_steps(cpo))
        assert card.step.title == "Record a decision for Jo"
        assert [s.title for s in card.more] == ["Tick Jo's induction item"]
        assert person(12) == "person:12"
