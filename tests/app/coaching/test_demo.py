"""The demo organisation: exec1 part-way through, exec2 with a fail-fast warning awaiting."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.coaching import standing
from app.demo import load_demo
from app.extensions import db
from app.models import Assessment, AuditEvent, User
from tests.fixtures.builders import PASSWORD


def _selected(email: str) -> Assessment:
    assessment = db.session.scalar(
        select(Assessment)
        .join(User, Assessment.candidate_id == User.id)
        .where(User.email == email, Assessment.decision == "selected")
    )
    assert assessment is not None, f"{email} is not selected in the demo"
    return assessment


def test_demo_has_induction_plans_and_reviews_and_runs_twice(app: Flask) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        events = db.session.scalar(select(func.count()).select_from(AuditEvent))
        load_demo(PASSWORD)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events

        exec1 = _selected("exec1@example.org")
        done = sum(t.done for t in exec1.checklist.tasks)
        assert done == round(len(exec1.checklist.tasks) * 0.6)
        assert all(t.note for t in exec1.checklist.tasks if t.done)
        state = standing.plan_state(exec1)
        assert [(p.number, p.status) for p in exec1.plans] == [(1, "issued")]
        assert [(r.checkpoint_day, r.decision) for r in state.reviews] == [(30, "continue")]

        exec2 = _selected("exec2@example.org")
        state = standing.plan_state(exec2)
        assert state.issued is not None and state.issued.number == 1
        (review,) = state.reviews
        assert review.checkpoint_day == 90
        assert review.awaiting_decision
        assert review.closed_share < 0.25
