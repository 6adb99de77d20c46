"""Steps 6-10 as a CPO and an exec meet them: who decides, five review decisions with their
consequences, actions with owners and evidence, stretch goals, gains, and older plans."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.coaching import plans
from app.extensions import db
from app.models import CoachingPlan, ProgressReview, User
from assessments.progress import REVIEW_DECISION_CONSEQUENCES
from tests.app.coaching.test_reviews import _issued_exec, _review_data
from tests.fixtures.builders import selected_exec
from tests.fixtures.client import Browser, parse
from tests.fixtures.pdf import pdf_text

# What a plan issued before owners, stretch goals, gains and a named decision-maker held.
OLD_PLAN_GOAL_ACTIONS = [
    "Present the stream's monthly P&L to the CPO and explain the two biggest movements.",
    "Pick one roadmap item and write its expected value, cost and payback.",
]


@pytest.fixture
def cpo(make_user) -> User:
    return make_user("cpo", name="Priya Raman")


@pytest.fixture
def exec_user(make_user) -> User:
    return make_user("exec", name="David Mensah")


def _fail_fast_review(app: Flask, browser: Browser, assessment_id: int) -> ProgressReview:
    browser.post(f"/assessments/{assessment_id}/reviews/new", _review_data(90, 0))
    with app.app_context():
        review = db.session.scalar(select(ProgressReview).order_by(ProgressReview.id.desc()))
        db.session.expunge(review)
        return review


def test_the_review_offers_five_decisions_each_with_what_it_sets_in_motion(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=95)
    browser: Browser = browser_as(cpo)
    review = _fail_fast_review(app, browser, assessment_id)

    page = browser.get(f"/assessments/{assessment_id}/reviews/{review.id}")
    radios = page.select("input[name=decision]")
    assert [r["value"] for r in radios] == ["continue", "extend", "pair", "return", "exit"]
    labels = [page.select_one(f"label[for={r['id']}]").get_text(strip=True) for r in radios]
    assert labels[2:4] == ["Pair with an experienced Product Director", "Return to the former role"]
    for radio in radios:
        hint = page.select_one(f"#{radio['aria-describedby']}").get_text(strip=True)
        assert hint == REVIEW_DECISION_CONSEQUENCES[radio["value"]]
    assert "The plan names Priya Raman (Chief Product Officer)" in page.get_text()


def test_returning_to_the_former_role_ends_the_plan_but_pairing_does_not(
    app: Flask, browser_as, cpo, exec_user, make_user
) -> None:
    browser: Browser = browser_as(cpo)
    paired_id = _issued_exec(app, make_user("exec", name="Ann Paired"), cpo, days_ago=95)
    returned_id = _issued_exec(app, exec_user, cpo, days_ago=95)
    for assessment_id, decision in ((paired_id, "pair"), (returned_id, "return")):
        review = _fail_fast_review(app, browser, assessment_id)
        browser.post(
            f"/assessments/{assessment_id}/reviews/{review.id}/decision",
            {"decision": decision, "rationale": "Agreed with the exec.", "version": "1"},
        )
        page = browser.get(f"/assessments/{assessment_id}/reviews/{review.id}")
        assert (
            REVIEW_DECISION_CONSEQUENCES[decision] in page.select_one("#decision ~ dl").get_text()
        )

    paired = browser.get(f"/assessments/{paired_id}/plan")
    assert "Record the day 180 review" in paired.get_text()
    assert (
        "Pair with an experienced Product Director"
        in paired.select_one("#reviews ~ table").get_text()
    )

    returned = browser.get(f"/assessments/{returned_id}/plan")
    assert "Record the day 180 review" not in returned.get_text()
    day_180 = returned.select_one("#checkpoint-180")
    assert "Closed" in day_180.get_text()


def test_the_plan_names_who_decides_and_warns_when_the_mentor_also_judges(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=10)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/plan")
    decider = page.select_one("#decider").get_text(" ", strip=True)
    assert "Decides at checkpoints Priya Raman (Chief Product Officer)" in decider
    assert "The mentor also decides at checkpoints" in decider
    # The exec reads who decides, without the advice meant for the CPO.
    own = browser_as(exec_user).get(f"/assessments/{assessment_id}/plan")
    assert "Priya Raman (Chief Product Officer)" in own.select_one("#decider").get_text()
    assert "The mentor also decides" not in own.get_text()


def test_a_separate_mentor_and_decider_are_saved_and_shown(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    from tests.app.coaching.test_plans import _form_data, _plans

    with app.app_context():
        assessment = selected_exec(
            db.session.get(User, exec_user.id), cpo=db.session.get(User, cpo.id)
        )
        db.session.commit()
        assessment_id = assessment.id
    (plan,) = _plans(app, assessment_id)
    browser: Browser = browser_as(cpo)
    browser.post(
        f"/assessments/{assessment_id}/plan/v1/edit",
        _form_data(
            app,
            plan,
            mentor_kind="internal",
            coach_name="Tom Reyes",
            decider_name="Priya Raman",
            decider_role="Chief Product Officer",
        ),
    )
    page = browser.get(f"/assessments/{assessment_id}/plan")
    summary = page.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "Mentor Tom Reyes (mentor in the organisation)" in summary
    assert "Decides at checkpoints Priya Raman (Chief Product Officer)" in summary
    assert "The mentor also decides" not in summary


def test_actions_show_owner_time_box_and_evidence_and_met_competencies_a_stretch(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=10)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/plan")
    first = page.select_one("#goal-value-and-pnl").get_text(" ", strip=True)
    # value-and-pnl is two levels short: the large-gap actions.
    assert "Meet weekly for six weeks to build a one-page P&L for each journey" in first
    assert "Finance partner · within 6 weeks · Evidence: One P&L page per journey" in first
    stretch = [h.get_text(strip=True) for h in page.select("#stretch ~ .govuk-summary-card h3")]
    assert stretch[0] == "Holding the tension with the business"  # met, and a must-have
    assert (
        "Say no to a senior stakeholder"
        in page.select_one("#stretch-stakeholder-tension").get_text()
    )

    own = browser_as(exec_user).get(f"/assessments/{assessment_id}/plan")
    assert "Your written account of how the numbers were defended" in own.get_text()


def test_the_trade_offs_register_shows_gains_and_the_risk_of_losing_digital_staff(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=10)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/plan")
    cards = {
        card.h3.get_text(strip=True): card.get_text(" ", strip=True)
        for card in page.select("#tradeoffs ~ .govuk-summary-card")
        if card.h3 and "goal" not in (card.get("id") or "")
    }
    assert "What we gain A senior leader who knows the business" in cards["Delivery forecast"]
    assert "Senior digital staff leave" in cards["Keeping digital staff"]


def _make_old_plan(content: dict[str, Any]) -> dict[str, Any]:
    old = {k: v for k, v in content.items() if k not in ("stretch", "decider")}
    old["schema"] = 1
    old["goals"] = [{**g, "actions": OLD_PLAN_GOAL_ACTIONS} for g in content["goals"]]
    old["tradeoffs"] = [{k: v for k, v in t.items() if k != "gain"} for t in content["tradeoffs"]]
    return old


def test_a_plan_issued_before_owners_and_deciders_still_reads_downloads_and_edits(
    app: Flask, browser_as, cpo, exec_user
) -> None:
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=10)
    with app.app_context():
        plan = db.session.scalar(
            select(CoachingPlan).where(CoachingPlan.assessment_id == assessment_id)
        )
        plan.content = _make_old_plan(plan.content)
        db.session.commit()
        plan_id = plan.id
    browser: Browser = browser_as(cpo)
    page = browser.get(f"/assessments/{assessment_id}/plan")
    assert OLD_PLAN_GOAL_ACTIONS[0] in page.select_one("#goal-value-and-pnl").get_text()
    assert "Priya Raman (Chief Product Officer)" in page.select_one("#decider").get_text()
    assert page.select_one("#stretch") is None
    response = browser.client.get(f"/reports/plans/{plan_id}/coaching-plan.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data())
    assert "Present the stream's monthly P&L to the CPO" in text
    assert "Decides at checkpoints" in text

    # A new version starts from the old content; saving it asks for what is now required.
    browser.post(f"/assessments/{assessment_id}/plan/v1/revise", {"version": "2"})
    editor = browser.get(f"/assessments/{assessment_id}/plan/v2/edit")
    assert editor.select_one("#goals-0-actions-0-do").get_text().strip() == OLD_PLAN_GOAL_ACTIONS[0]
    form = {
        i["name"]: i.get("value", "")
        for i in editor.select("form.sl-plan-form input")
        if i.get("type") not in ("checkbox", "radio", "submit") and i.get("name")
    }
    form.update({t["name"]: t.get_text() for t in editor.select("form.sl-plan-form textarea")})
    form.update({s["name"]: "" for s in editor.select("form.sl-plan-form select")})
    form.update(mentor_kind="cpo")
    for goal in range(6):
        form[f"goals-{goal}-target_level"] = "3"
    response = browser.post(f"/assessments/{assessment_id}/plan/v2/edit", form, status=200)
    summary = [li.get_text(strip=True) for li in parse(response).select(".govuk-error-summary li")]
    assert "Choose who makes action 1 for Owning value and the P&L happen" in summary
    assert (
        "Enter the time box of action 1 for Owning value and the P&L as a whole number of weeks"
        " from 1 to 26"
    ) in summary
    assert any(m.startswith("Enter what the organisation gains for trade-off 1") for m in summary)
    with app.app_context():
        assert plans.read_content(db.session.get(CoachingPlan, plan_id).content)["schema"] == 1
