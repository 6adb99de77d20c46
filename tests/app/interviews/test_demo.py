"""The demo organisation's panels, scores and decisions tell the intended story."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.demo import load_demo
from app.extensions import db
from app.interviews.panels import submitted_panel
from app.models import Assessment, AuditEvent, CalibrationNote, Interview, User
from app.models.loaders import results_options
from app.scores import score_for
from tests.fixtures.builders import PASSWORD


def _assessment(email: str) -> Assessment:
    assessment = db.session.scalar(
        select(Assessment)
        .join(User, Assessment.candidate_id == User.id)
        .where(User.email == email)
        .options(*results_options())
    )
    assert assessment is not None
    return assessment


@pytest.fixture
def demo(app: Flask) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()


def _started_on(assessment: Assessment) -> date:
    """The start date the selection handed to induction (the checklist coaching creates)."""
    checklist = getattr(assessment, "checklist", None)
    assert checklist is not None, "selecting starts the induction checklist"
    return checklist.start_date


def test_sarah_is_ready_with_support_and_selected(app: Flask, demo) -> None:
    with app.app_context():
        sarah = _assessment("exec1@example.org")
        result = score_for(sarah)
        assert result.band == "ready-with-support"
        unmet = [c for c in result.competencies if c.key in result.must_have_unmet]
        assert len(unmet) == 1 and unmet[0].gap is not None and 0 < unmet[0].gap <= 1
        assert len(submitted_panel(sarah)) == 3
        assert any("calibrate" in c.flags for c in result.competencies)
        assert sarah.decision == "selected" and sarah.decided_by.email == "cpo@example.org"
        assert _started_on(sarah) == date.today() - timedelta(days=100)


def test_david_is_not_yet_ready_with_blind_spots_and_selected_with_the_risk_named(
    app: Flask, demo
) -> None:
    with app.app_context():
        david = _assessment("exec2@example.org")
        result = score_for(david)
        assert result.band == "not-yet-ready"
        gaps = {c.key: c.gap for c in result.competencies if c.must_have}
        assert gaps["multidisciplinary-leadership"] == 2.0
        assert len(result.blind_spots) >= 3
        assert david.decision == "selected"
        assert "risk" in david.decision_rationale
        assert _started_on(david) == date.today() - timedelta(days=95)


def test_tom_has_a_draft_interview_of_laura(app: Flask, demo) -> None:
    with app.app_context():
        laura = _assessment("exec3@example.org")
        [interview] = laura.interviews
        assert interview.interviewer.email == "interviewer1@example.org"
        assert interview.status == "draft"
        assert any(r.level is not None for r in interview.ratings)


def test_demo_runs_again_without_adding_anything(app: Flask, demo) -> None:
    def counts() -> tuple[int, int, int]:
        return (
            db.session.scalar(select(func.count()).select_from(Interview)),
            db.session.scalar(select(func.count()).select_from(CalibrationNote)),
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "decision.record")
            ),
        )

    with app.app_context():
        before = counts()
        assert before == (7, 2, 2)
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        assert counts() == before
