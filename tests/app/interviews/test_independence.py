"""Independence: nobody on the panel sees the others' ratings or the self-ratings before
submitting their own; the CPO sees everything submitted; execs never see interview notes."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import Interview
from assessments.role_files import load_default_role
from tests.app.interviews.helpers import submit_through_check
from tests.fixtures.builders import add_interview, all_ratings, panel_scene

ROLE = load_default_role()


def _submit_all(rating: str) -> dict[str, str]:
    data = {"version": "1", "action": "submit"}
    for comp in ROLE.competencies:
        data[f"rating-{comp.key}"] = rating
        data[f"notes-{comp.key}"] = "Tom's own evidence"
    data.update(strengths="S", weaknesses="W", recommendation="no")
    return data


def test_draft_interviewer_sees_neither_panel_nor_self_ratings(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    page = tom.get(f"/interviews/{scene.tom_interview_id}")
    text = page.get_text()
    assert "How the panel and the candidate rated" not in text
    assert "Mei saw" not in text and "Mei Lin" not in text
    # Other panel members' interviews, calibration and results stay closed.
    tom.get(f"/interviews/{scene.mei_interview_id}", status=403)
    tom.get(f"/assessments/{scene.assessment_id}/calibration", status=403)
    tom.get(f"/assessments/{scene.assessment_id}/results", status=403)


def test_after_submitting_the_interviewer_sees_the_others_and_the_self_ratings(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    url = f"/interviews/{scene.tom_interview_id}"
    submit_through_check(tom, scene.tom_interview_id, _submit_all("3"))
    page = tom.get(url)
    table = page.find("h2", string="How the panel and the candidate rated").find_next("table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Competency", "Required", "You", "Mei Lin", "Self"]
    first = [c.get_text(strip=True) for c in table.select("tbody tr")[0].select("th, td")]
    assert first == [ROLE.competencies[0].name, "3", "3", "2", "4"]


def test_interviewer_does_not_see_a_draft_of_another_member(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user, mei_submitted=False)
    tom = browser_as(scene.tom)
    url = f"/interviews/{scene.tom_interview_id}"
    submit_through_check(tom, scene.tom_interview_id, _submit_all("3"))
    page = tom.get(url)
    headers = [th.get_text(strip=True) for th in page.select("table.sl-compact-table thead th")]
    assert headers == ["Competency", "Required", "You", "Self"]
    assert "Still to submit: Mei Lin." in page.get_text(" ", strip=True)


def test_cpo_on_the_panel_waits_for_their_own_submission(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        assessment_id = scene.assessment_id
        cpo_interview = add_interview(
            db.session.get(Interview, scene.mei_interview_id).assessment,
            scene.cpo.id,
            status="draft",
            recommendation=None,
        )
        db.session.commit()
        cpo_interview_id = cpo_interview.id
    cpo = browser_as(scene.cpo)
    for url in (
        f"/assessments/{assessment_id}/calibration",
        f"/assessments/{assessment_id}/results",
    ):
        page = cpo.get(url)
        text = page.get_text(" ", strip=True)
        assert "Submit your own interview" in text or "until you submit your own interview" in text
        assert "Mei saw" not in text
        assert page.select(".sl-band") == []
        assert page.find("a", href=f"/interviews/{cpo_interview_id}") is not None
    cpo.get(f"/assessments/{assessment_id}/decision", status=302)
    shortlist = cpo.get(f"/value-streams/{scene.stream_id}/shortlist")
    assert shortlist.select("table tbody .sl-band") == []
    assert "Waiting for your interview" in shortlist.get_text()
    # Named once, under the wait: not also among those nobody has scored yet.
    assert shortlist.find("h2", string="Not scored yet") is None

    # Once submitted, the CPO sees everything submitted.
    data = _submit_all("3")
    submit_through_check(cpo, cpo_interview_id, data)
    page = cpo.get(f"/assessments/{assessment_id}/calibration")
    assert "Mei saw (value-and-pnl)" in page.get_text()


def test_cpo_off_the_panel_sees_every_submitted_interview(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    page = browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}/calibration")
    assert "Mei saw (value-and-pnl)" in page.get_text()


def test_exec_never_sees_interview_notes(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        assessment = db.session.get(Interview, scene.mei_interview_id).assessment
        add_interview(assessment, scene.cpo.id, all_ratings(assessment.role_version, 3))
        db.session.commit()
    candidate = browser_as(scene.candidate)
    candidate.get(f"/interviews/{scene.mei_interview_id}", status=403)
    candidate.get(f"/assessments/{scene.assessment_id}/calibration", status=403)
    candidate.get(f"/assessments/{scene.assessment_id}/results", status=403)
    candidate.get("/interviews", status=403)
    home = candidate.get("/").get_text()
    assert "Mei saw" not in home and "Evidence noted" not in home
    if "candidates.show_assessment" in app.view_functions:
        with app.test_request_context():
            from flask import url_for

            url = url_for("candidates.show_assessment", assessment_id=scene.assessment_id)
        own = candidate.get(url).get_text()
        assert "Mei saw" not in own and "Evidence noted" not in own
        assert "Strong with customers" not in own and "New to delivery measures" not in own


def test_cpo_home_names_a_candidate_for_calibration_only_once_their_own_interview_is_in(
    app: Flask, browser_as, make_user
) -> None:
    """Two panel members in, the CPO's own seat a draft: the home page asks nothing of them yet."""
    with app.app_context():
        scene = panel_scene(make_user)
        tom_interview = db.session.get(Interview, scene.tom_interview_id)
        tom_interview.status = "submitted"
        cpo_interview = add_interview(
            tom_interview.assessment, scene.cpo.id, status="draft", recommendation=None
        )
        db.session.commit()
        cpo_interview_id = cpo_interview.id
    cpo = browser_as(scene.cpo)
    assert "for Sarah Whitfield" not in cpo.get("/").get_text()
    submit_through_check(cpo, cpo_interview_id, _submit_all("3"))
    home = cpo.get("/").get_text(" ", strip=True)
    assert "Record a decision for Sarah Whitfield Rests on 3 of 3 interviews" in home
