"""The exec's journey: where they are on their home, their label and pages after the decision."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, User
from tests.fixtures.builders import Scenario, answer, full_answers, nominate
from tests.fixtures.client import Browser, sign_in


def _stages(page) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(title, state shown, link words) per stage of the journey."""
    return [
        (
            li.select_one(".sl-journey__title").get_text(" ", strip=True).split(" ", 1)[1],
            li.select_one(".govuk-tag").get_text(strip=True),
            li.select_one(".sl-journey__link a").get_text(strip=True)
            if li.select_one(".sl-journey__link a")
            else "",
        )
        for li in page.select(".sl-journey__stage")
    ]


def test_a_new_candidate_sees_the_whole_journey_and_where_to_start(
    app: Flask, browser_as, make_user
) -> None:
    candidate = make_user("exec", name="James Carter")
    assessment_id = nominate(app, candidate)
    page = browser_as(candidate).get("/")
    assert _stages(page) == [
        ("Self-assessment", "Now", "Start your self-assessment"),
        ("Interviews", "Not started", ""),
        ("Decision", "Not started", ""),
        ("Induction", "Not started", ""),
        ("Coaching", "Not started", ""),
    ]
    where = page.select_one(".sl-journey__where").get_text(" ", strip=True)
    assert where.startswith("You are at step 1 of 5: self-assessment.")
    current = page.select_one('.sl-journey__stage[aria-current="step"]')
    assert current.select_one("a")["href"] == f"/assessments/{assessment_id}/self"


def test_after_submitting_the_exec_sees_their_status_and_a_link_to_their_answers(
    app: Flask, browser_as, make_user
) -> None:
    candidate = make_user("exec", name="James Carter")
    assessment_id = nominate(app, candidate)
    answer(app, assessment_id, full_answers(2), submit=True)
    page = browser_as(candidate).get("/")
    # Nothing left to do on it, but the page says where things stand instead of going quiet.
    assert "Complete your self-assessment" not in page.get_text()
    stages = _stages(page)
    assert stages[0] == ("Self-assessment", "Done", "View your answers")
    assert stages[1][:2] == ("Interviews", "Waiting for others")
    link = page.select_one(".sl-journey__stage a")["href"]
    assert link == f"/assessments/{assessment_id}/self/check"
    assert "arranging your interview panel" in page.get_text()


def test_a_selected_exec_is_no_longer_called_a_candidate(app: Flask, scenario: Scenario) -> None:
    sarah = Browser(app.test_client())
    sign_in(sarah.client, scenario.sarah)
    page = sarah.get("/")
    assert page.select_one(".sl-user__role").get_text() == "Product Director (selected)"
    assert page.select_one(".govuk-caption-l").get_text() == "Product Director (selected)"
    assert "Candidate executive" not in page.get_text()
    stages = _stages(page)
    assert [s[0] for s in stages] == [
        "Self-assessment",
        "Interviews",
        "Decision",
        "Induction",
        "Coaching",
    ]
    assert stages[2][1:] == ("Done", "Read the decision")
    assert stages[3][2] == "Your induction checklist"
    assert stages[4][2] == "Your coaching plan"
    decision_link = page.find("a", string="Read the decision")["href"]
    assert decision_link == f"/assessments/{scenario.sarah_assessment}#decision"

    # The assessment page: "Selected", and what follows, never the panel's rationale.
    mine = sarah.get(f"/assessments/{scenario.sarah_assessment}")
    assert mine.select_one(".sl-page-header .govuk-tag").get_text() == "Selected"
    decision = mine.find(id="decision")
    assert "Selected" in decision.get_text()
    assert decision.find("a", string="Your coaching plan") is not None
    with app.app_context():
        rationale = db.session.get(Assessment, scenario.sarah_assessment).decision_rationale
    assert rationale and rationale not in mine.get_text()


def test_a_candidate_not_selected_is_told_so_and_the_journey_ends_there(
    app: Flask, browser_as, make_user
) -> None:
    candidate = make_user("exec", name="James Carter")
    assessment_id = nominate(app, candidate)
    answer(app, assessment_id, full_answers(2), submit=True)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.decision = "not-selected"
        assessment.decision_rationale = "Another candidate fits the stream better now."
        db.session.commit()
    me = browser_as(candidate)
    page = me.get("/")
    assert [s[0] for s in _stages(page)] == ["Self-assessment", "Interviews", "Decision"]
    assert "you were not selected this time" in page.select_one(".sl-journey__where").get_text()
    assert page.select_one(".sl-user__role").get_text() == "Candidate executive"
    assessment_page = me.get(f"/assessments/{assessment_id}")
    assert assessment_page.select_one(".sl-page-header .govuk-tag").get_text() == "Not selected"


def test_a_decided_self_assessment_is_not_offered_for_reopening(
    app: Flask, browser_as, scenario: Scenario
) -> None:
    with app.app_context():
        cpo = db.session.scalar(select(User).where(User.email == scenario.cpo))
    page = browser_as(cpo).get(f"/assessments/{scenario.sarah_assessment}")
    assert page.find("button", string="Reopen self-assessment") is None
    undecided = browser_as(cpo).get(f"/assessments/{scenario.david_assessment}")
    assert undecided.find("button", string="Reopen self-assessment") is not None
    # Sent anyway (an old page): refused with the reason, nothing changes.
    with app.app_context():
        sa = db.session.get(Assessment, scenario.sarah_assessment).self_assessment
        version = sa.version
    response = browser_as(cpo).post(
        f"/assessments/{scenario.sarah_assessment}/reopen-self-assessment",
        {"version": str(version)},
        follow=True,
        status=200,
    )
    assert "can no longer be reopened" in response.get_data(as_text=True)
    with app.app_context():
        sa = db.session.get(Assessment, scenario.sarah_assessment).self_assessment
        assert sa.status == "submitted"


def test_the_exec_reads_their_plan_in_the_second_person_and_staff_in_the_third(
    app: Flask, browser_as, scenario: Scenario
) -> None:
    url = f"/assessments/{scenario.sarah_assessment}/plan"
    with app.app_context():
        sarah, cpo = (
            db.session.scalar(select(User).where(User.email == email))
            for email in (scenario.sarah, scenario.cpo)
        )
    own = browser_as(sarah).get(url).get_text(" ", strip=True)
    staff = browser_as(cpo).get(url).get_text(" ", strip=True)
    assert "You and the CPO have agreed the coaching plan" in own
    assert "Your former function" in own
    assert "the exec" not in own.lower()
    assert "The exec and the CPO have agreed the coaching plan" in staff
    assert "The exec's former function" in staff
