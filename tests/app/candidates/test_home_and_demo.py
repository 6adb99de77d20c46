"""Next steps on the home page, and the demo organisation's candidates."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app import localtime
from app.candidates import self_assessment
from app.demo import load_demo
from app.extensions import db
from app.models import Assessment, ExecProfile, User, ValueStream
from tests.fixtures.builders import PASSWORD, answer, full_answers, make_stream, nominate


def _cards(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        card.select_one(".sl-card__title").get_text(strip=True): card.select_one(
            ".sl-card__body"
        ).get_text(strip=True)
        for card in page.select(".sl-card")
    }


def test_exec_home_asks_for_the_self_assessment_with_progress(
    app: Flask, browser_as, make_user
) -> None:
    me = make_user("exec")
    assessment_id = nominate(app, me, make_stream(app, name="Customer onboarding"))
    browser = browser_as(me)
    cards = _cards(browser.get("/"))
    assert "Complete your self-assessment for Customer onboarding" in cards
    assert "Tell us about your experience" in cards
    answer(app, assessment_id, {"value-and-pnl": (2, ""), "outcome-strategy": (1, "")})
    page = browser.get("/")
    with app.app_context():
        due = localtime.due_label(localtime.today() + timedelta(days=14))
    assert _cards(page)["Complete your self-assessment for Customer onboarding"] == (
        f"2 of 13 answered (15%). Pick up where you left off. Due {due}."
    )
    link = page.find("a", string="Complete your self-assessment for Customer onboarding")
    assert link["href"] == f"/assessments/{assessment_id}/self/value"
    answer(app, assessment_id, full_answers(), submit=True)
    assert "Complete your self-assessment for Customer onboarding" not in _cards(browser.get("/"))


def test_cpo_home_counts_submitted_self_assessments_and_empty_streams(
    app: Flask, browser_as, make_user
) -> None:
    busy = make_stream(app, name="Customer onboarding")
    make_stream(app, name="Payments and billing")
    for _ in range(3):
        answer(app, nominate(app, make_user("exec"), busy), full_answers(), submit=True)
    nominate(app, make_user("exec"), busy)
    cards = _cards(browser_as("cpo").get("/"))
    assert "3 self-assessments submitted, ready for interviews" in cards
    assert "Nominate candidates for Payments and billing (no candidates yet)" in cards
    assert "Nominate candidates for Customer onboarding (no candidates yet)" not in cards


def test_demo_candidates_are_in_every_state_and_load_once(app: Flask) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        load_demo(PASSWORD)
        db.session.commit()
        streams = {s.name: s for s in db.session.scalars(select(ValueStream))}
        assert set(streams) >= {
            "Customer onboarding",
            "Payments and billing",
            "Self-service support",
        }
        assert set(streams["Customer onboarding"].missing_hats) == {"data", "delivery"}
        assert len(streams["Self-service support"].missing_hats) == 4
        assert db.session.query(ExecProfile).count() == 4

        def of(email: str) -> Assessment:
            user = db.session.scalar(select(User).where(User.email == email))
            return db.session.scalars(
                select(Assessment).where(Assessment.candidate_id == user.id)
            ).one()

        sarah, david, laura, james = (of(f"exec{n}@example.org") for n in (1, 2, 3, 4))
        assert sarah.self_assessment.status == david.self_assessment.status == "submitted"
        assert sarah.value_stream.name == laura.value_stream.name == "Customer onboarding"
        assert self_assessment.progress(laura).text == "6 of 13 answered (46%)"
        assert laura.self_assessment.status == "draft"
        assert james.self_assessment is None and james.value_stream.name == "Self-service support"
        overconfident = [r.level for r in david.self_assessment.ratings]
        assert min(overconfident) >= 3 and sum(overconfident) > sum(
            r.level for r in sarah.self_assessment.ratings
        )
