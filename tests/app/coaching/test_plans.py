"""Coaching plans: generated as drafts, edited and issued by the CPO, frozen once issued."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.coaching.plan_forms import PlanForm
from app.extensions import db
from app.models import AuditEvent, CoachingPlan, User
from tests.fixtures.builders import GOAL_ORDER, selected_exec
from tests.fixtures.client import Browser, parse


@pytest.fixture
def people(make_user) -> dict[str, User]:
    return {
        "cpo": make_user("cpo", name="Priya Raman"),
        "exec": make_user("exec", name="Sarah Whitfield"),
        "other": make_user("exec", name="David Mensah"),
    }


@pytest.fixture
def assessment_id(app: Flask, people: dict[str, User]) -> int:
    with app.app_context():
        assessment = selected_exec(
            db.session.get(User, people["exec"].id), cpo=db.session.get(User, people["cpo"].id)
        )
        db.session.commit()
        return assessment.id


def _plans(app: Flask, assessment_id: int) -> list[CoachingPlan]:
    with app.app_context():
        plans = list(
            db.session.scalars(
                select(CoachingPlan)
                .where(CoachingPlan.assessment_id == assessment_id)
                .order_by(CoachingPlan.number)
            )
        )
        for plan in plans:
            db.session.expunge(plan)
        return plans


def _form_data(app: Flask, plan: CoachingPlan, **changes: Any) -> dict[str, Any]:
    """What the editor posts when nothing is changed, with `changes` applied."""
    with app.test_request_context():
        form = PlanForm.from_content(plan.content, plan.version, "Priya Raman")
    data: dict[str, Any] = {}

    def add(fields: Any) -> None:
        for field in fields:
            if field.type == "FieldList":
                for entry in field:
                    add(entry.form)
            elif field.type == "BooleanField":
                if field.data:
                    data[field.name] = "y"
            elif field.type != "CSRFTokenField":
                data[field.name] = field.data or ""

    add(form)
    data.update(changes)
    return data


def test_draft_is_generated_from_the_score_must_haves_first(app: Flask, assessment_id: int) -> None:
    (plan,) = _plans(app, assessment_id)
    content = plan.content
    assert plan.number == 1 and plan.status == "draft"
    assert [g["key"] for g in content["goals"]] == GOAL_ORDER
    first = content["goals"][0]
    assert (first["baseline"], first["target_level"], first["gap"]) == (1.0, 3, 2.0)
    assert 2 <= len(first["actions"]) <= 3 and first["progress_evidence"]
    assert all(a["owner"] and a["within_weeks"] and a["evidence"] for a in first["actions"])
    assert content["decider"] == {"name": "Priya Raman", "role": "Chief Product Officer"}
    assert content["schema"] == 2
    assert [g["key"] for g in content["gather_evidence"]] == [
        "delivery-health",
        "growing-product-people",
    ]
    assert content["mentor"] == {
        "kind": "cpo",
        "name": "Priya Raman",
        "cadence": "Fortnightly, 60 minutes",
    }
    assert [s["planned_share"] for s in content["load_schedule"]] == [
        60,
        54,
        48,
        41,
        35,
        29,
        23,
        16,
        10,
    ]
    assert [c["day"] for c in content["checkpoints"]] == [30, 90, 180]
    assert len(content["tradeoffs"]) == 5
    assert all(t["gain"] for t in content["tradeoffs"])


def test_plan_page_lists_goals_in_order_with_must_haves_first(
    browser_as, people: dict[str, User], assessment_id: int
) -> None:
    page = browser_as(people["cpo"]).get(f"/assessments/{assessment_id}/plan")
    titles = [h.get_text(strip=True) for h in page.select("#goals ~ .govuk-summary-card h3")]
    assert titles[:3] == [
        "1. Owning value and the P&L",
        "2. Leading multi-disciplinary teams",
        "3. Continuous prioritisation",
    ]
    cards = page.select("#goals ~ .govuk-summary-card")
    assert [bool(c.select_one(".govuk-tag--orange")) for c in cards[:6]] == [True] * 3 + [False] * 3
    assert "Draft" in page.h1.get_text()


@pytest.fixture
def checkpoint_days(app: Flask) -> Iterator[None]:
    app.config["COACHING_CHECKPOINT_DAYS"] = (45, 120)
    yield
    del app.config["COACHING_CHECKPOINT_DAYS"]


def test_checkpoint_days_are_configurable(
    app: Flask, checkpoint_days: None, assessment_id: int
) -> None:
    (plan,) = _plans(app, assessment_id)
    assert [c["title"] for c in plan.content["checkpoints"]] == [
        "Day 45: progress review",
        "Day 120: progress review",
    ]


def test_cpo_edits_the_draft(app: Flask, browser_as, people, assessment_id: int) -> None:
    (plan,) = _plans(app, assessment_id)
    cpo: Browser = browser_as(people["cpo"])
    url = f"/assessments/{assessment_id}/plan/v1/edit"
    assert cpo.get(url).h1.get_text(strip=True) == "Edit draft coaching plan v1"
    data = _form_data(
        app,
        plan,
        **{
            "goals-0-target_level": "4",
            "goals-0-actions-0-do": "Run the budget round.",
            "goals-0-actions-0-owner": "finance",
            "goals-0-actions-0-within_weeks": "8",
            "goals-0-actions-0-evidence": "The budget paper.",
            "goals-0-actions-1-do": "Present the P&L monthly.",
            "goals-0-actions-1-owner": "exec",
            "goals-0-actions-1-within_weeks": "4",
            "goals-0-actions-1-evidence": "The slides and the CPO's notes.",
            "goals-0-actions-2-do": "",
            "goals-0-actions-2-within_weeks": "",
            "goals-0-actions-2-evidence": "",
            "mentor_kind": "external",
            "coach_name": "Jo Coach",
            "cadence": "Weekly, 45 minutes",
            "decider_name": "Sam Okafor",
            "decider_role": "Chief Operating Officer",
            "load-6-planned_share": "",
            "load-7-planned_share": "",
            "load-8-planned_share": "",
            "tradeoffs-1-remove": "y",
            "tradeoffs-5-area": "Hiring",
            "tradeoffs-5-gain": "A team shaped by the exec.",
            "tradeoffs-5-expected_impact": "Two roles stay open longer.",
            "tradeoffs-5-risk": "Teams stretch thin.",
            "tradeoffs-5-mitigation": "HR covers interviews.",
            "checkpoints-3-day": "60",
            "checkpoints-3-success_criteria": "Stakeholder map agreed",
        },
    )
    cpo.post(url, data)
    (saved,) = _plans(app, assessment_id)
    content = saved.content
    assert content["goals"][0]["target_level"] == 4
    assert content["goals"][0]["gap"] == 3.0
    assert content["goals"][0]["actions"] == [
        {
            "do": "Run the budget round.",
            "owner": "finance",
            "within_weeks": 8,
            "evidence": "The budget paper.",
        },
        {
            "do": "Present the P&L monthly.",
            "owner": "exec",
            "within_weeks": 4,
            "evidence": "The slides and the CPO's notes.",
        },
    ]
    assert content["decider"] == {"name": "Sam Okafor", "role": "Chief Operating Officer"}
    assert content["mentor"] == {
        "kind": "external",
        "name": "Jo Coach",
        "cadence": "Weekly, 45 minutes",
    }
    assert [s["month"] for s in content["load_schedule"]] == [1, 2, 3, 4, 5, 6]
    assert [t["area"] for t in content["tradeoffs"]] == [
        "Delivery forecast",
        "Team relationships",
        "Revenue forecast",
        "Keeping digital staff",
        "Hiring",
    ]
    assert content["tradeoffs"][-1]["gain"] == "A team shaped by the exec."
    assert [c["day"] for c in content["checkpoints"]] == [30, 60, 90, 180]
    assert content["checkpoints"][1]["title"] == "Day 60: progress review"
    assert saved.status == "draft" and saved.version == plan.version + 1
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.edit"))
        assert event.old_value["mentor"]["name"] == "Priya Raman"
        assert event.new_value["mentor"]["name"] == "Jo Coach"


def test_invalid_edits_are_refused_with_named_messages(
    app: Flask, browser_as, people, assessment_id: int
) -> None:
    (plan,) = _plans(app, assessment_id)
    data = _form_data(
        app,
        plan,
        **{
            "goals-0-actions-1-do": "",
            "goals-0-actions-1-within_weeks": "",
            "goals-0-actions-1-evidence": "",
            "goals-0-actions-2-do": "",
            "goals-0-actions-2-within_weeks": "",
            "goals-0-actions-2-evidence": "",
            "goals-1-actions-0-owner": "",
            "goals-1-actions-0-within_weeks": "40",
            "goals-1-actions-0-evidence": "",
            "goals-1-target_level": "2",
            "mentor_kind": "external",
            "coach_name": "",
            "load-3-planned_share": "70",
            "tradeoffs-5-area": "Hiring",
        },
    )
    response = browser_as(people["cpo"]).post(
        f"/assessments/{assessment_id}/plan/v1/edit", data, status=200
    )
    page = parse(response)
    assert page.title.get_text().startswith("Error: ")
    summary = [li.get_text(strip=True) for li in page.select(".govuk-error-summary li")]
    assert summary == [
        "Enter the name of the mentor or coach",
        "Enter 2 or 3 development actions for Owning value and the P&L (there is 1)",
        "The target for Leading multi-disciplinary teams must be above its baseline of 2",
        "Choose who makes action 1 for Leading multi-disciplinary teams happen",
        "Enter the time box of action 1 for Leading multi-disciplinary teams as a whole number"
        " of weeks from 1 to 26",
        "Enter the evidence a reviewer can check for action 1 for Leading multi-disciplinary teams",
        "Month 4's share (70%) cannot be more than month 3's (48%): time on the former role"
        " should go down, not up",
        "Enter what the organisation gains for trade-off 6 (“Hiring”)",
        "Enter what it costs for trade-off 6 (“Hiring”)",
        "Enter the risk for trade-off 6 (“Hiring”)",
        "Enter the agreed mitigation for trade-off 6 (“Hiring”)",
    ]
    assert page.select_one("#goals-1-actions-0-within_weeks")["value"] == "40"
    assert page.select_one("#load-3-planned_share")["value"] == "70"
    assert _plans(app, assessment_id)[0].content == plan.content


def test_stale_edit_is_refused(app: Flask, browser_as, people, assessment_id: int) -> None:
    (plan,) = _plans(app, assessment_id)
    cpo: Browser = browser_as(people["cpo"])
    url = f"/assessments/{assessment_id}/plan/v1/edit"
    cpo.post(url, _form_data(app, plan, cadence="Weekly, 30 minutes"))
    response = cpo.post(url, _form_data(app, plan, cadence="Monthly, 2 hours"), status=409)
    page = parse(response)
    assert (
        "Someone else saved this plan after you opened it"
        in page.select_one(".govuk-error-summary").get_text()
    )
    assert page.select_one("#cadence")["value"] == "Monthly, 2 hours"
    assert "Weekly, 30 minutes" in page.select_one("details").get_text()
    assert _plans(app, assessment_id)[0].content["mentor"]["cadence"] == "Weekly, 30 minutes"


def test_issue_freezes_and_edits_make_a_new_version(
    app: Flask, browser_as, people, assessment_id: int
) -> None:
    cpo: Browser = browser_as(people["cpo"])
    exec_browser: Browser = browser_as(people["exec"])
    base = f"/assessments/{assessment_id}/plan"
    exec_browser.get(base, status=403)  # nothing issued yet
    # Every step about Sarah shares one card: this one is listed under her first step.
    cards = cpo.get("/").select("li.sl-card")
    card = next(c for c in cards if "Sarah Whitfield" in c.select_one(".sl-card__title").get_text())
    cpo_steps = [a.get_text(strip=True) for a in card.select(".sl-card__title a, .sl-card__more a")]
    assert "Issue Sarah Whitfield's coaching plan v1" in cpo_steps
    assert sum("Sarah Whitfield" in c.get_text() for c in cards) == 1

    (draft,) = _plans(app, assessment_id)
    cpo.post(f"{base}/v1/issue", {"version": str(draft.version)})
    (v1,) = _plans(app, assessment_id)
    assert v1.status == "issued" and v1.issued_by_id == people["cpo"].id
    assert v1.issued_at is not None
    page = exec_browser.get(base)
    assert page.h1.get_text(" ", strip=True) == "Your coaching plan Issued"
    exec_steps = [h.get_text(strip=True) for h in exec_browser.get("/").select(".sl-card__title")]
    assert "Read your coaching plan v1" in exec_steps

    # An issued version cannot be edited.
    response = cpo.post(
        f"{base}/v1/edit", _form_data(app, v1, cadence="Daily"), follow=True, status=200
    )
    assert "Version 1 has been issued and cannot be changed" in response.get_data(as_text=True)
    assert _plans(app, assessment_id)[0].content == v1.content

    # Changing it starts v2 as a copy; v1 stays readable and unchanged.
    response = cpo.post(f"{base}/v1/revise")
    assert response.location == f"{base}/v2/edit"
    v1_again, v2 = _plans(app, assessment_id)
    assert (v1_again.status, v2.status, v2.content) == ("issued", "draft", v1.content)
    cpo.post(f"{base}/v2/edit", _form_data(app, v2, cadence="Weekly, 45 minutes"))
    exec_browser.get(f"{base}/v2", status=403)  # the exec never sees a draft
    assert "Fortnightly, 60 minutes" in exec_browser.get(base).get_text()

    v2 = _plans(app, assessment_id)[1]
    cpo.post(f"{base}/v2/issue", {"version": str(v2.version)})
    v1_final, v2_final = _plans(app, assessment_id)
    assert (v1_final.status, v2_final.status) == ("superseded", "issued")
    assert v1_final.content == v1.content
    assert "Weekly, 45 minutes" in exec_browser.get(base).get_text()
    old = exec_browser.get(f"{base}/v1")
    assert "Superseded" in old.h1.get_text()
    assert "Fortnightly, 60 minutes" in old.get_text()
    assert "This is an earlier version" in old.get_text()
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("plan.issue") == 2 and "plan.supersede" in actions


def test_exec_sees_only_their_own_issued_plan(
    app: Flask, browser_as, people, assessment_id: int
) -> None:
    with app.app_context():
        other = selected_exec(
            db.session.get(User, people["other"].id), cpo=db.session.get(User, people["cpo"].id)
        )
        db.session.commit()
        other_id = other.id
    (plan,) = _plans(app, other_id)
    browser_as(people["cpo"]).post(
        f"/assessments/{other_id}/plan/v1/issue", {"version": str(plan.version)}
    )
    exec_browser: Browser = browser_as(people["exec"])
    exec_browser.get(f"/assessments/{other_id}/plan", status=403)
    exec_browser.get(f"/assessments/{other_id}/plan/v1", status=403)
    exec_browser.get(f"/assessments/{assessment_id}/plan/v1", status=403)  # own draft
    browser_as(people["other"]).get(f"/assessments/{other_id}/plan/v1")
    browser_as("hr").get(f"/assessments/{assessment_id}/plan/v1")  # staff read drafts
    browser_as("hr").post(f"/assessments/{assessment_id}/plan/v1/issue", status=403)


def test_stale_issue_is_refused(app: Flask, browser_as, people, assessment_id: int) -> None:
    (plan,) = _plans(app, assessment_id)
    cpo: Browser = browser_as(people["cpo"])
    cpo.post(f"/assessments/{assessment_id}/plan/v1/edit", _form_data(app, plan, cadence="Weekly"))
    response = cpo.post(
        f"/assessments/{assessment_id}/plan/v1/issue",
        {"version": str(plan.version)},
        follow=True,
        status=200,
    )
    assert "it has not been issued" in response.get_data(as_text=True)
    assert _plans(app, assessment_id)[0].status == "draft"


def test_plan_goals_read_levels_without_meaningless_decimals(
    app: Flask, browser_as, make_user
) -> None:
    """Goals read 'From 2 (the panel's mean) to 3 (Practitioner): 1 level to go', not
    'Baseline 2, target 3 (a gap of 1 level)' with decimals such as 0.67 levels."""
    cpo = make_user("cpo")
    candidate = make_user("exec", name="Nadia Osei")
    with app.app_context():
        assessment = selected_exec(
            db.session.get(User, candidate.id),
            cpo=db.session.get(User, cpo.id),
            panel={"value-and-pnl": 2},
        )
        db.session.commit()
        assessment_id = assessment.id
    text = browser_as(cpo).get(f"/assessments/{assessment_id}/plan").get_text(" ", strip=True)
    assert "From 2 (the panel's mean) to 3 – Practitioner: 1 level to go" in text
    assert "a gap of" not in text
