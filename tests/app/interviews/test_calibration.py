"""The CPO's calibration view: raters side by side, flags, and append-only notes."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, CalibrationNote, InterviewRating
from tests.fixtures.builders import add_interview, make_assessment, new_stream, publish_mini_role

# Mini role: a (value, w3, req 3, must), b (value, w2, req 2), c (workflow, w1.5, req 3),
# d (leadership, w1, req 2, must).


def _scene(app: Flask, make_user) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    cpo = make_user("cpo", name="Priya Raman")
    tom = make_user("interviewer", name="Tom Okafor")
    mei = make_user("interviewer", name="Mei Lin")
    ana = make_user("interviewer", name="Ana Silva")
    exec_ = make_user("exec", name="David Mensah")
    with app.app_context():
        version = publish_mini_role()
        assessment = make_assessment(
            exec_.id,
            version,
            new_stream("Payments and billing"),
            self_ratings={"a": 4, "b": 2, "c": 1, "d": None},
        )
        add_interview(assessment, tom.id, {"a": 2, "b": 3, "c": 3, "d": 2})
        add_interview(assessment, mei.id, {"a": 3, "b": "na", "c": 4, "d": 1})
        add_interview(assessment, ana.id, {"a": 2, "b": 4, "c": 2, "d": 4}, status="draft")
        db.session.commit()
        return assessment.id, cpo


def test_calibration_shows_each_rater_beside_self_and_required(
    app: Flask, browser_as, make_user
) -> None:
    assessment_id, cpo = _scene(app, make_user)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/calibration")
    table = page.find("caption", string="Ratings side by side").parent
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == [
        "Competency",
        "Required",
        "Self",
        "Mei Lin",
        "Tom Okafor",
        "Panel level",
        "Flags",
    ]
    rows = {
        tr.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in table.select("tbody tr")
    }
    assert rows["Competency A (must-have)"] == ["3", "4", "3", "2", "2.5", "Blind spot"]
    assert rows["Competency B"] == ["2", "2", "Not assessed", "3", "3", ""]
    assert rows["Competency C"] == ["3", "1", "4", "3", "3.5", "Hidden strength"]
    assert rows["Competency D (must-have)"] == ["2", "Not given", "1", "2", "1.5", ""]
    flagged = [tr.th.get_text(" ", strip=True) for tr in table.select("tbody tr.sl-flagged")]
    assert flagged == ["Competency A (must-have)", "Competency C"]
    # Ana's draft is waiting, not shown.
    assert "Waiting for Ana Silva" in page.get_text()
    assert "Ana Silva" not in headers
    # Each rater's evidence per competency.
    section = page.find(id="comp-a")
    evidence = [td.get_text(strip=True) for td in section.select("tbody td.sl-prewrap")]
    assert evidence == ["Evidence noted in the interview (a)"] * 2


def test_calibrate_flag_when_raters_are_two_levels_apart(app: Flask, browser_as, make_user):
    cpo = make_user("cpo")
    tom = make_user("interviewer")
    mei = make_user("interviewer")
    candidate = make_user("exec")
    with app.app_context():
        version = publish_mini_role()
        assessment = make_assessment(candidate.id, version, self_ratings={})
        add_interview(assessment, tom.id, {"a": 1})
        add_interview(assessment, mei.id, {"a": 3})
        db.session.commit()
        assessment_id = assessment.id
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/calibration")
    row = page.find("a", href="#comp-a").find_parent("tr")
    assert row.select(".sl-flag")[0].get_text() == "Calibrate"


def test_calibration_notes_are_appended_with_author_and_audited(
    app: Flask, browser_as, make_user
) -> None:
    assessment_id, cpo = _scene(app, make_user)
    browser = browser_as(cpo)
    url = f"/assessments/{assessment_id}/calibration/a/notes"
    response = browser.post(url, {"a-note": "Tom and Mei agree the P&L answer was thin."})
    assert response.location.endswith(f"/assessments/{assessment_id}/calibration#comp-a")
    browser.post(url, {"a-note": "Second look: keep the panel level."})
    page = browser.get(f"/assessments/{assessment_id}/calibration")
    notes = page.find(id="comp-a").select(".sl-notes__item")
    assert [n.p.get_text() for n in notes] == [
        "Tom and Mei agree the P&L answer was thin.",
        "Second look: keep the panel level.",
    ]
    assert notes[0].select("p")[1].get_text().startswith(cpo.name + ",")
    with app.app_context():
        # The ratings themselves are untouched.
        levels = sorted(
            r.level
            for r in db.session.scalars(
                select(InterviewRating).where(InterviewRating.competency_key == "a")
            )
        )
        assert levels == [2, 2, 3]
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "calibration.note")
        ).all()
        assert [e.new_value for e in events] == [
            {"competency": "a", "note": "Tom and Mei agree the P&L answer was thin."},
            {"competency": "a", "note": "Second look: keep the panel level."},
        ]
        assert all(e.actor_id == cpo.id for e in events)


def test_an_empty_note_is_refused_with_a_message(app: Flask, browser_as, make_user) -> None:
    assessment_id, cpo = _scene(app, make_user)
    page = browser_as(cpo).post(
        f"/assessments/{assessment_id}/calibration/c/notes", {"c-note": "   "}, status=400
    )
    from tests.fixtures.client import parse

    html = parse(page)
    assert [a.get_text() for a in html.select(".govuk-error-summary a")] == [
        "Enter a calibration note"
    ]
    assert html.select_one(".govuk-error-summary a")["href"] == "#c-note"
    assert html.title.get_text().startswith("Error:")
    with app.app_context():
        assert db.session.scalar(select(CalibrationNote.id)) is None


def test_unknown_competency_is_not_found(app: Flask, browser_as, make_user) -> None:
    assessment_id, cpo = _scene(app, make_user)
    browser_as(cpo).post(
        f"/assessments/{assessment_id}/calibration/zz/notes", {"zz-note": "x" * 30}, status=404
    )


def test_only_the_cpo_calibrates(app: Flask, browser_as, make_user) -> None:
    assessment_id, _cpo = _scene(app, make_user)
    for role in ("hr", "admin", "interviewer"):
        browser_as(role).get(f"/assessments/{assessment_id}/calibration", status=403)
    browser_as("hr").post(
        f"/assessments/{assessment_id}/calibration/a/notes", {"a-note": "x" * 30}, status=403
    )
