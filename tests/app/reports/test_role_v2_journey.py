"""A candidate nominated on Product Director v2 walks from nomination to a readiness report and a
coaching plan: every page and PDF on the way works with the v2 content."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, CoachingPlan, Interview, RoleVersion
from app.roles import lifecycle
from assessments.role_files import load_default_role, load_shipped_role
from tests.app.interviews.helpers import submit_through_check
from tests.fixtures.builders import make_stream
from tests.fixtures.dates import date_parts
from tests.fixtures.pdf import pdf_text

V2 = load_shipped_role("product-director-v2.yaml")
# Ratings faithful to a candidate strong on customers and weak on money: a 4 where the
# evidence earned it, gaps on a must-have so the plan has goals.
LEVELS = {c.key: 3 for c in V2.competencies} | {"value-and-pnl": 2, "customer-evidence": 4}


def _publish_both(app: Flask) -> int:
    with app.app_context():
        lifecycle.add_version(load_default_role(), publish=True, actor=None)
        v2 = lifecycle.add_version(V2, publish=True, actor=None)
        db.session.commit()
        return int(v2.id)


def _kit_data(version: str) -> dict[str, str]:
    data = {"version": version, "action": "submit"}
    for c in V2.competencies:
        data[f"rating-{c.key}"] = str(LEVELS[c.key])
        data[f"notes-{c.key}"] = f"Told of a case for {c.key}: what she did, with whom, the result."
    data.update(
        strengths="Runs research with the team.",
        weaknesses="Has not yet built a business case.",
        recommendation="yes",
    )
    return data


def test_a_v2_candidate_walks_to_a_readiness_report_and_a_plan(
    app: Flask, browser_as, make_user
) -> None:
    v2_id = _publish_both(app)
    stream_id = make_stream(app)
    cpo_user = make_user("cpo", name="Priya Raman")
    cpo = browser_as(cpo_user)
    panel = [
        make_user("interviewer", name="Tom Okafor"),
        make_user("interviewer", name="Mei Lin"),
        cpo_user,
    ]
    laura = make_user("exec", name="Laura Byrne")

    # A new nomination uses the latest published version.
    form = cpo.get(f"/candidates/nominate?stream={stream_id}")
    assert form.select_one("#role_version option[selected]")["value"] == str(v2_id)
    response = cpo.post(
        "/candidates/nominate",
        {
            "candidate": str(laura.id),
            "new_name": "",
            "new_email": "",
            "value_stream": str(stream_id),
            "role_version": str(v2_id),
        },
    )
    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        assert assessment.role_version.number == 2
        assessment_id = assessment.id

    # A panel of three is too small for 22 focus places: the page says so plainly.
    cpo.post(f"/assessments/{assessment_id}/panel", {"members": [str(u.id) for u in panel]})
    page = cpo.get(f"/assessments/{assessment_id}/panel")
    too_small = page.find(id="panel-too-small").get_text(" ", strip=True)
    assert "needs 22 focus places" in too_small
    assert "3 members with at most six each have room for 18" in too_small
    assert "leaves 4 competencies to nobody" in too_small
    assert "add 1 more member (a panel of 4)" in too_small
    assert "4 competencies are in nobody's focus" in page.find(id="outside-focus").get_text()
    assert len(page.select("#outside-focus-list li")) == 4

    # Each member's kit shows their focus first; each submits every rating.
    with app.app_context():
        interviews = {
            i.interviewer_id: i.id
            for i in db.session.scalars(
                select(Interview).where(Interview.assessment_id == assessment_id)
            )
        }
    for member in panel:
        browser = browser_as(member)
        kit = browser.get(f"/interviews/{interviews[member.id]}")
        headings = [h.get_text(strip=True) for h in kit.select("h2")]
        assert "Your focus competencies" in headings
        assert "Optional: rate if you saw evidence" in headings
        text = kit.get_text(" ", strip=True)
        assert "Learning fast in a new role" in text
        version = kit.find("input", attrs={"name": "version"})["value"]
        submit_through_check(browser, interviews[member.id], _kit_data(version))

    # Results, calibration, decision.
    results = cpo.get(f"/assessments/{assessment_id}/results").get_text(" ", strip=True)
    assert "Commitment to the role as a full-time job" in results
    cpo.get(f"/assessments/{assessment_id}/calibration")
    response = cpo.post(
        f"/assessments/{assessment_id}/decision",
        {
            "version": "1",
            "decision": "selected",
            "rationale": "Strong with customers; the plan closes the gap on money.",
            **date_parts("start_date", date.today()),
        },
    )
    assert response.status_code == 302

    # The readiness report and the printed guide, on v2.
    report = cpo.client.get(f"/reports/assessments/{assessment_id}/readiness-report.pdf")
    assert report.status_code == 200, report.status_code
    report_text = pdf_text(report.get_data())
    assert "Laura Byrne" in report_text and "Learning fast in a new role" in report_text
    guide = cpo.client.get(f"/reports/roles/{v2_id}/interview-guide.pdf")
    assert guide.status_code == 200
    assert "Probes" in pdf_text(guide.get_data())

    # The plan: generated from the v2 gaps, on the page and as a PDF.
    plan_page = cpo.get(f"/assessments/{assessment_id}/plan").get_text(" ", strip=True)
    assert "Owning value, money and benefits" in plan_page
    with app.app_context():
        plan = db.session.scalars(
            select(CoachingPlan).where(CoachingPlan.assessment_id == assessment_id)
        ).first()
        assert plan is not None
        plan_id = plan.id
        assert db.session.get(RoleVersion, v2_id) is not None
    plan_pdf = cpo.client.get(f"/reports/plans/{plan_id}/coaching-plan.pdf")
    assert plan_pdf.status_code == 200
    assert "Laura Byrne" in pdf_text(plan_pdf.get_data())
