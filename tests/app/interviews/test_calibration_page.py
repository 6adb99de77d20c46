"""Calibration keeps its length down: note forms folded until opened, progress always in view."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from tests.fixtures.builders import add_interview, make_assessment, new_stream, publish_mini_role
from tests.fixtures.client import parse


def _scene(app: Flask, make_user, *, draft: bool = False):  # type: ignore[no-untyped-def]
    cpo = make_user("cpo", name="Priya Raman")
    tom = make_user("interviewer", name="Tom Okafor")
    mei = make_user("interviewer", name="Mei Lin")
    exec_ = make_user("exec", name="David Mensah")
    with app.app_context():
        assessment = make_assessment(
            exec_.id, publish_mini_role(), new_stream("Payments"), self_ratings={"a": 3}
        )
        # a and c: two levels apart, so flagged to calibrate.
        add_interview(assessment, tom.id, {"a": 1, "b": 2, "c": 4, "d": 2})
        add_interview(
            assessment,
            mei.id,
            {"a": 3, "b": 2, "c": 2, "d": 2},
            status="draft" if draft else "submitted",
        )
        db.session.commit()
        return assessment.id, cpo


def test_note_forms_are_folded_and_the_bar_says_what_is_left(
    app: Flask, browser_as, make_user
) -> None:
    assessment_id, cpo = _scene(app, make_user)
    me = browser_as(cpo)
    url = f"/assessments/{assessment_id}/calibration"
    page = me.get(url)
    folds = page.select("details.sl-note-details")
    assert len(folds) == 4 and all(d.get("open") is None for d in folds)
    assert folds[0].summary.get_text(" ", strip=True) == "Add a calibration note on Competency A"
    bar = page.select_one(".sl-action-bar").get_text(" ", strip=True)
    assert "2 of 2 interviews submitted" in bar
    assert "2 of 2 flagged differences without a note" in bar
    record = page.select_one(".sl-action-bar a.govuk-button")
    assert record.get_text(strip=True) == "Record a decision"
    assert "govuk-button--secondary" in record["class"]  # differences still to settle

    me.post(f"{url}/a/notes", {"a-note": "Tom saw the budget, Mei the forecast."})
    me.post(f"{url}/c/notes", {"c-note": "Agreed on 3 after the panel talked."})
    page = me.get(url)
    assert "without a note" not in page.select_one(".sl-action-bar").get_text()
    assert (
        "govuk-button--secondary" not in page.select_one(".sl-action-bar a.govuk-button")["class"]
    )


def test_a_refused_note_opens_its_fold(app: Flask, browser_as, make_user) -> None:
    assessment_id, cpo = _scene(app, make_user)
    response = browser_as(cpo).post(
        f"/assessments/{assessment_id}/calibration/b/notes", {"b-note": " "}, status=400
    )
    page = parse(response)
    opened = [d for d in page.select("details.sl-note-details") if d.get("open") is not None]
    assert len(opened) == 1 and "Competency B" in opened[0].summary.get_text()
