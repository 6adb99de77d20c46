"""Stored scores: every change to an assessment's evidence rewrites its snapshot in the same
commit, so lists show what the results page works out, and a failed change leaves them alone."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from app import score_snapshots
from app.candidates import nominations, self_assessment
from app.extensions import db
from app.interviews import kit, panels
from app.models import Assessment, Interview, InterviewRating, ScoreSnapshot, User, ValueStream
from app.models.loaders import load_assessment_for_results
from app.scores import result_from_snapshot, score_for
from app.selection import services as selection
from app.transactions import transaction
from tests.app.interviews.helpers import submit_through_check
from tests.fixtures.builders import (
    ROLE,
    all_ratings,
    panel_scene,
    person,
    publish_mini_role,
    published_role,
)


def _stored(app: Flask, assessment_id: int) -> dict[str, Any] | None:
    """The snapshot as committed, read on a connection of its own."""
    with app.app_context(), db.engine.connect() as conn:
        table = ScoreSnapshot.__table__
        row = conn.execute(select(table).where(table.c.assessment_id == assessment_id))
        found = row.mappings().first()
        return dict(found) if found is not None else None


def _fresh(app: Flask, assessment_id: int) -> dict[str, Any]:
    """The score the results page works out now, as snapshot columns."""
    with app.app_context():
        assessment = load_assessment_for_results(assessment_id)
        assert assessment is not None
        return score_snapshots.result_values(score_for(assessment))


def _matches_results_page(app: Flask, assessment_id: int) -> dict[str, Any]:
    stored = _stored(app, assessment_id)
    assert stored is not None, "no snapshot"
    fresh = _fresh(app, assessment_id)
    assert {k: stored[k] for k in fresh} == fresh
    return stored


def _kit_form(version: int, level: str) -> dict[str, str]:
    data = {"version": str(version), "action": "submit"}
    for comp in ROLE.competencies:
        data[f"rating-{comp.key}"] = level
        data[f"notes-{comp.key}"] = f"Example for {comp.key}"
    data.update(strengths="Customer focus", weaknesses="Delivery", recommendation="yes")
    return data


def test_a_nomination_stores_a_snapshot_of_no_evidence(app: Flask) -> None:
    with app.app_context():
        candidate = person("exec")
        stream = ValueStream(name="Payments")
        db.session.add(stream)
        assessment = nominations.nominate(candidate, stream, published_role(), actor=None)
        db.session.commit()
        assessment_id = assessment.id
    stored = _matches_results_page(app, assessment_id)
    assert stored["band"] == "insufficient-evidence"
    assert stored["readiness"] == 0.0
    assert stored["interviews_assigned"] == stored["interviews_submitted"] == 0
    assert stored["self_submitted"] is False


def test_submitting_an_interview_in_the_kit_moves_the_cpo_home_and_the_shortlist(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    before = _matches_results_page(app, scene.assessment_id)
    assert before["interviews_submitted"] == 1

    submit_through_check(browser_as(scene.tom), scene.tom_interview_id, _kit_form(1, "3"))

    after = _matches_results_page(app, scene.assessment_id)
    assert after["interviews_submitted"] == 2
    assert after["readiness"] > before["readiness"]
    cpo = browser_as(scene.cpo)
    home = cpo.get("/")
    step = next(
        card
        for card in home.select(".sl-card")
        if "Record a decision for Sarah Whitfield" in card.get_text()
    )
    assert f"{after['readiness']:.1f}% " in step.get_text()
    shortlist = cpo.get(f"/value-streams/{scene.stream_id}/shortlist")
    row = shortlist.select_one("table tbody tr")
    assert "Sarah Whitfield" in row.get_text()
    assert f"{after['readiness']:.1f}%" in row.get_text()


def test_a_change_that_fails_leaves_the_stored_score_as_it_was(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    before = _stored(app, scene.assessment_id)
    with app.app_context():
        interview = panels.load_interview(scene.tom_interview_id)
        assert interview is not None
        ratings = {c.key: ("4", "") for c in published_role().role.competencies}
        with pytest.raises(RuntimeError), transaction():
            kit.save_interview(
                interview,
                ratings,
                strengths="",
                weaknesses="",
                recommendation="yes",
                submit=True,
                actor=None,
            )
            score_snapshots.settle()  # written in the transaction...
            raise RuntimeError("the request fails after the change")
    assert _stored(app, scene.assessment_id) == before  # ...and rolled back with it


def test_submitting_and_reopening_the_self_assessment_moves_the_flags(
    app: Flask, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        cpo = db.session.get(User, scene.cpo.id)
        assessment = db.session.get(Assessment, scene.assessment_id)
        assert assessment is not None and cpo is not None
        self_assessment.reopen_self(assessment, actor=cpo)
        db.session.commit()
    reopened = _matches_results_page(app, scene.assessment_id)
    assert reopened["self_submitted"] is False
    assert "blind-spot" not in reopened["flags"]
    with app.app_context():
        assessment = db.session.get(Assessment, scene.assessment_id)
        sa = assessment.self_assessment
        self_assessment.submit_self(assessment, expected_version=sa.version, actor=None)
        db.session.commit()
    submitted = _matches_results_page(app, scene.assessment_id)
    assert submitted["self_submitted"] is True
    # Self 4 against Mei's 2 everywhere: a blind spot on every competency.
    assert len(submitted["flags"]["blind-spot"]) == len(submitted["competencies"])


def test_a_panel_change_moves_the_counts(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        assessment = load_assessment_for_results(scene.assessment_id)
        panels.assign_panel(assessment, [scene.mei.id, scene.cpo.id], actor=None)
        db.session.commit()
    stored = _matches_results_page(app, scene.assessment_id)
    assert (stored["interviews_assigned"], stored["interviews_submitted"]) == (2, 1)


def test_re_pinning_the_role_version_scores_against_the_new_one(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        mini = publish_mini_role()
        assessment = db.session.get(Assessment, scene.assessment_id)
        assessment.role_version = mini
        db.session.commit()
        mini_id = mini.id
    stored = _matches_results_page(app, scene.assessment_id)
    assert stored["role_version_id"] == mini_id
    assert [c["key"] for c in stored["competencies"]] == ["a", "b", "c", "d"]
    assert stored["band"] == "insufficient-evidence"  # nobody rated a, b, c or d


def test_a_draft_autosave_does_not_rewrite_the_snapshot(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    before = _stored(app, scene.assessment_id)
    with app.app_context():
        interview = panels.load_interview(scene.tom_interview_id)
        assert interview is not None
        first = published_role().role.competencies[0].key
        kit.save_interview(
            interview,
            {first: ("1", "A draft note")},
            strengths="",
            weaknesses="",
            recommendation=None,
            submit=False,
            actor=None,
        )
        db.session.commit()
    assert _stored(app, scene.assessment_id) == before  # not even computed_at moved


def test_a_list_read_in_the_changing_transaction_shows_the_change(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        interview = db.session.get(Interview, scene.tom_interview_id)
        assert interview is not None
        interview.status = "submitted"
        for key, level in all_ratings(published_role(), 4).items():
            interview.ratings.append(InterviewRating(competency_key=key, level=level))
        stream = db.session.get(ValueStream, scene.stream_id)
        cpo = db.session.get(User, scene.cpo.id)
        rows = selection.shortlist_page(stream, published_role(), cpo, None).rows
        assessment = load_assessment_for_results(scene.assessment_id)
        assert rows[0].result.readiness == score_for(assessment).readiness
        db.session.rollback()


def test_a_core_write_is_caught_by_the_check_and_fixed_by_a_refresh(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        db.session.execute(
            update(Interview)
            .where(Interview.id == scene.tom_interview_id)
            .values(status="submitted")
        )
        stale = score_snapshots.check()
        assert {(d.assessment_id, d.field) for d in stale} >= {
            (scene.assessment_id, "interviews_submitted")
        }
        score_snapshots.refresh([scene.assessment_id])
        assert score_snapshots.check() == []
        db.session.commit()


def test_the_stored_result_is_the_whole_result(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        assessment = load_assessment_for_results(scene.assessment_id)
        snapshot = db.session.get(ScoreSnapshot, scene.assessment_id)
        assert result_from_snapshot(snapshot) == score_for(assessment)


def test_two_panel_members_submitting_at_once_both_count(app: Flask, make_user) -> None:
    """Each commit re-reads the evidence under a lock on the assessment, so the later one sees
    the earlier one's interview (no lost update)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time; the row lock is PostgreSQL's")
        scene = panel_scene(make_user, mei_submitted=False)
    first_has_locked = threading.Event()
    errors: list[BaseException] = []

    def submit(interview_id: int, hold: bool) -> None:
        try:
            with app.app_context():
                interview = db.session.get(Interview, interview_id)
                assert interview is not None
                interview.status = "submitted"
                if hold:
                    score_snapshots.settle()  # locks the assessment, computes without the other
                    first_has_locked.set()
                    threading.Event().wait(0.5)  # the other commit must wait for this one
                db.session.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    first = threading.Thread(target=submit, args=(scene.tom_interview_id, True))
    first.start()
    first_has_locked.wait(5)
    second = threading.Thread(target=submit, args=(scene.mei_interview_id, False))
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    assert _matches_results_page(app, scene.assessment_id)["interviews_submitted"] == 2
