"""Progress reviews: re-ratings, actual load, the fail-fast rule, and the CPO's decision."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app import localtime
from app.coaching import plans
from app.extensions import db
from app.models import AuditEvent, ProgressReview, User
from tests.fixtures.builders import COACHING_PANEL, GOAL_ORDER, selected_exec
from tests.fixtures.client import Browser, parse
from tests.fixtures.dates import date_parts
from tests.fixtures.pdf import pdf_text


def _issued_exec(app: Flask, exec_user: User, cpo_user: User, days_ago: int) -> int:
    with app.app_context():
        cpo = db.session.get(User, cpo_user.id)
        assessment = selected_exec(db.session.get(User, exec_user.id), cpo=cpo, days_ago=days_ago)
        plan = assessment.plans[0]
        plans.issue_plan(plan, expected_version=plan.version, actor=cpo)
        db.session.commit()
        return assessment.id


@pytest.fixture
def cpo(make_user) -> User:
    return make_user("cpo", name="Priya Raman")


@pytest.fixture
def exec_user(make_user) -> User:
    return make_user("exec", name="David Mensah")


def _ratings(**raised: int) -> dict[str, str]:
    """Re-ratings per goal (in plan order); unnamed goals stay at their panel level."""
    levels = {key.replace("-", "_"): COACHING_PANEL[key] for key in GOAL_ORDER}
    levels.update(raised)
    return {f"rating_{i}": str(levels[key.replace("-", "_")]) for i, key in enumerate(GOAL_ORDER)}


def _review_data(day: int, held_days_ago: int, load: str = "45", **raised: int) -> dict[str, str]:
    return {
        "checkpoint_day": str(day),
        **date_parts("held_on", localtime.today() - timedelta(days=held_days_ago)),
        "actual_load_share": load,
        "notes": "Private notes for the CPO only.",
        **_ratings(**raised),
    }


def _review(app: Flask) -> ProgressReview:
    with app.app_context():
        review = db.session.scalar(select(ProgressReview).order_by(ProgressReview.id.desc()))
        db.session.expunge(review)
        return review


# Total weighted gap 16; value-and-pnl 1 -> 2 closes 3 (18.75%), adding
# technical-and-design-fluency 1 -> 2 closes 4 (exactly 25%).
@pytest.mark.parametrize(
    ("day", "raised", "fail_fast", "closed", "reasons"),
    [
        (
            90,
            {"value_and_pnl": 2},
            True,
            "18.8%",
            ["Only 18.8% of the weighted gap has closed by day 90 (threshold 25%)."],
        ),
        (90, {"value_and_pnl": 2, "technical_and_design_fluency": 2}, False, "25%", []),
        (89, {"value_and_pnl": 2}, False, "18.8%", []),
        (
            90,
            {
                "multidisciplinary_leadership": 3,
                "continuous_prioritisation": 3,
                "outcome_strategy": 3,
                "iterative_delivery": 3,
                "technical_and_design_fluency": 2,
            },
            True,
            "62.5%",
            ["Owning value and the P&L is still 2 levels below the required level 3."],
        ),
    ],
)
def test_fail_fast_is_raised_exactly_by_the_rule(
    app: Flask,
    browser_as,
    cpo: User,
    exec_user: User,
    day: int,
    raised: dict[str, int],
    fail_fast: bool,
    closed: str,
    reasons: list[str],
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=day)
    browser: Browser = browser_as(cpo)
    response = browser.post(
        f"/assessments/{assessment_id}/reviews/new", _review_data(90, held_days_ago=0, **raised)
    )
    review = _review(app)
    assert response.location == f"/assessments/{assessment_id}/reviews/{review.id}#decision"
    assert review.fail_fast is fail_fast
    assert review.fail_fast_reasons == reasons
    page = browser.get(f"/assessments/{assessment_id}/reviews/{review.id}")
    assert page.select_one(".sl-stat__value").get_text() == closed
    warning = page.select_one(".govuk-warning-text")
    if fail_fast:
        assert "Fail-fast warning: awaiting a decision" in warning.get_text()
        assert [li.get_text() for li in warning.select("li")] == reasons
    else:
        assert warning is None


def test_review_shows_gap_closed_per_goal(app: Flask, browser_as, cpo, exec_user) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=30)
    browser: Browser = browser_as(cpo)
    browser.post(
        f"/assessments/{assessment_id}/reviews/new",
        _review_data(30, 0, value_and_pnl=2, iterative_delivery=3),
    )
    page = browser.get(f"/assessments/{assessment_id}/reviews/{_review(app).id}")
    rows = {
        tr.th.get_text(" ", strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select("tbody tr")
    }
    assert rows["Owning value and the P&L Must-have"] == ["1", "2", "3", "50% of the gap closed"]
    assert rows["Iterative delivery and patience"] == ["2", "3", "3", "100% of the gap closed"]
    assert rows["Technical and design fluency"] == ["1", "1", "2", "0% of the gap closed"]


def test_fail_fast_clears_only_with_a_decision_and_rationale(
    app: Flask, browser_as, cpo, exec_user, make_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=95)
    browser: Browser = browser_as(cpo)
    browser.post(f"/assessments/{assessment_id}/reviews/new", _review_data(90, 0))
    review = _review(app)
    assert review.awaiting_decision
    home = browser.get("/")
    (card,) = [c for c in home.select("li.sl-card.sl-overdue") if "David Mensah" in c.get_text()]
    assert "Fail-fast warning: decide on David Mensah" in card.get_text()
    # HR cannot record the decision, so HR's home does not ask it to.
    assert "Fail-fast warning" not in browser_as("hr").get("/").get_text()

    url = f"/assessments/{assessment_id}/reviews/{review.id}/decision"
    response = browser.post(
        url, {"decision": "exit", "rationale": "   ", "version": str(review.version)}, status=200
    )
    page = parse(response)
    assert [a.get_text() for a in page.select(".govuk-error-summary a")] == [
        "Enter a rationale for the decision"
    ]
    assert page.select_one("input[value=exit]").has_attr("checked")
    assert _review(app).awaiting_decision

    response = browser.post(url, {"rationale": "Why", "version": str(review.version)}, status=200)
    assert (
        "Select a decision: continue, extend, pair, return to the former role, or exit"
        in response.get_data(as_text=True)
    )
    # The summary's link lands on the first choice, not on the page's "Decision" heading.
    link = parse(response).select_one(".govuk-error-summary a")
    assert parse(response).select_one(str(link["href"])).name == "input"
    assert _review(app).awaiting_decision

    browser.post(
        url,
        {
            "decision": "exit",
            "rationale": "No movement on the must-haves. Bring in an experienced Product"
            " Director; David stays close as a stakeholder.",
            "version": str(review.version),
        },
    )
    decided = _review(app)
    assert not decided.awaiting_decision
    assert decided.decision == "exit" and decided.decided_at is not None
    page = browser.get(f"/assessments/{assessment_id}/reviews/{review.id}")
    assert (
        "Exit and bring in an experienced Product Director"
        in page.select_one("#decision ~ dl").get_text()
    )
    assert "Fail-fast warning: decided" in page.select_one(".govuk-warning-text").get_text()
    home = browser.get("/")
    assert "Fail-fast warning: decide on David Mensah" not in home.get_text()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.decide"))
        assert event.old_value == {"decision": None, "fail_fast": True}
        assert event.new_value["decision"] == "exit"

    # A decision is final.
    browser.post(url, {"decision": "continue", "rationale": "Changed my mind", "version": "9"})
    assert _review(app).decision == "exit"


def test_review_form_errors_name_the_problem_and_save_nothing(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=40)
    data = _review_data(30, held_days_ago=-2, load="120")
    del data["rating_0"]
    response = browser_as(cpo).post(f"/assessments/{assessment_id}/reviews/new", data, status=200)
    page = parse(response)
    assert [a.get_text() for a in page.select(".govuk-error-summary a")] == [
        "The date of the review cannot be in the future",
        "Enter the share of time on the former role as a whole number from 0 to 100",
        "Select the level Owning value and the P&L is at now",
    ]
    assert page.select_one("#actual_load_share")["value"] == "120"
    assert page.select_one("input[name=rating_1][value='2']").has_attr("checked")
    with app.app_context():
        assert db.session.scalar(select(ProgressReview)) is None


def test_a_checkpoint_is_reviewed_once_and_needs_an_issued_plan(
    app: Flask, browser_as, cpo, exec_user, make_user
) -> None:
    browser: Browser = browser_as(cpo)
    with app.app_context():
        draft_only = selected_exec(
            db.session.get(User, make_user("exec").id), cpo=db.session.get(User, cpo.id)
        )
        db.session.commit()
        draft_id = draft_only.id
    page = browser.get(f"/assessments/{draft_id}/reviews/new")
    assert "There is no issued coaching plan yet" in page.get_text()

    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=40)
    browser.post(f"/assessments/{assessment_id}/reviews/new", _review_data(30, 5))
    page = browser.get(f"/assessments/{assessment_id}/reviews/new")
    days = [i["value"] for i in page.select("input[name=checkpoint_day]")]
    assert days == ["90", "180"]
    response = browser.post(
        f"/assessments/{assessment_id}/reviews/new", _review_data(30, 1), status=200
    )
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_plan_shows_actual_load_beside_planned_and_exec_sees_no_notes(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=40)
    browser_as(cpo).post(f"/assessments/{assessment_id}/reviews/new", _review_data(30, 10, "57"))
    review = _review(app)

    cpo_page = browser_as(cpo).get(f"/assessments/{assessment_id}/plan")
    month1 = [
        td.get_text(" ", strip=True)
        for td in cpo_page.select("#load ~ div tbody tr")[0].select("td")
    ]
    assert month1 == ["60%", "57%"]

    exec_browser: Browser = browser_as(exec_user)
    page = exec_browser.get(f"/assessments/{assessment_id}/plan")
    history = page.select_one("#reviews ~ table tbody tr")
    assert [c.get_text(" ", strip=True) for c in history.select("th, td")][:2] == [
        "Day 30",
        f"{(date.today() - timedelta(days=10)).strftime('%d %b %Y').lstrip('0')} (day 30)",
    ]
    assert "Private notes for the CPO only." not in page.get_text()
    exec_browser.get(f"/assessments/{assessment_id}/reviews/{review.id}", status=403)


def test_overdue_reviews_stand_out_on_the_home_of_who_records_them(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=100)
    due = (date.today() - timedelta(days=70)).strftime("%d %b %Y").lstrip("0")
    cards = browser_as(cpo).get("/").select("li.sl-card.sl-overdue")
    card = next(c for c in cards if "Overdue review" in c.get_text())
    assert "Overdue review: David Mensah, day 30" in card.get_text(" ", strip=True)
    assert f"was due on {due}" in card.get_text()
    # The CPO records reviews; HR does not, so HR's home does not ask for one.
    assert "Overdue review" not in browser_as("hr").get("/").get_text()
    plan = browser_as(cpo).get(f"/assessments/{assessment_id}/plan")
    overdue = plan.select("li.sl-task.sl-overdue")
    assert [li["id"] for li in overdue] == ["checkpoint-30", "checkpoint-90"]
    assert all(li.select_one(".sl-overdue__label").get_text() == "Overdue" for li in overdue)


def test_a_goal_rated_lower_than_its_baseline_went_back(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    """A regression reads as one ("went back 1"), never "0% gap closed"; no weighted levels."""
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=30)
    browser: Browser = browser_as(cpo)
    browser.post(
        f"/assessments/{assessment_id}/reviews/new",
        _review_data(30, 0, value_and_pnl=0, iterative_delivery=3),
    )
    page = browser.get(f"/assessments/{assessment_id}/reviews/{_review(app).id}")
    rows = {
        tr.th.get_text(" ", strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select("tbody tr")
    }
    assert rows["Owning value and the P&L Must-have"] == ["1", "0", "3", "went back 1"]
    assert rows["Iterative delivery and patience"][-1] == "100% of the gap closed"
    text = page.get_text(" ", strip=True)
    assert "weighted levels" not in text
    assert "1 of 6 goals moved up · 1 went back" in text
    plan = browser.get(f"/assessments/{assessment_id}/plan").get_text(" ", strip=True)
    assert "Rated 0 at the day 30 review: went back 1" in plan
    assert "1 goal went back" in plan
    with app.app_context():
        plan_id = db.session.get(ProgressReview, _review(app).id).plan_id
    pdf = pdf_text(browser.client.get(f"/reports/plans/{plan_id}/coaching-plan.pdf").get_data())
    assert "Owning value and the P&L went back 1" in pdf
    assert "latest re-rating 0 at the day 30 review: went back 1" in pdf
