"""What the interviews and selection areas add to the candidates area's assessment page."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import Interview
from tests.fixtures.builders import add_interview, panel_scene


def _sections(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        s.h2.get_text(strip=True): s.get_text(" ", strip=True)
        for s in page.select("section.sl-assessment-section")
    }


def test_staff_see_panel_score_and_decision(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    page = browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}")
    sections = _sections(page)
    assert "Mei Lin Submitted" in sections["Interviews"]
    assert "Tom Okafor Not submitted yet" in sections["Interviews"]
    assert "Band Ready with support Readiness 76.2%" in sections["Score"]
    assert "No decision yet." in sections["Decision"]
    links = [a["href"] for a in page.select("section.sl-assessment-section a")]
    assert f"/assessments/{scene.assessment_id}/results" in links
    assert f"/assessments/{scene.assessment_id}/decision" in links
    assert f"/assessments/{scene.assessment_id}/panel" in links


def test_a_cpo_on_the_panel_sees_no_score_before_submitting(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        assessment = db.session.get(Interview, scene.mei_interview_id).assessment
        add_interview(assessment, scene.cpo.id, status="draft", recommendation=None)
        db.session.commit()
    sections = _sections(browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}"))
    assert "stays hidden from you until you submit your own interview" in sections["Score"]
    assert "Band" not in sections["Score"]


def test_the_exec_sees_none_of_it(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    page = browser_as(scene.candidate).get(f"/assessments/{scene.assessment_id}")
    assert _sections(page) == {}
    assert "Mei Lin" not in page.get_text()
