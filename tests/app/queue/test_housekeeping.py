"""Daily housekeeping runs on the worker: saved input, session and task records, exports."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app import tasks
from app.auth import records
from app.extensions import db
from app.models import UserSession
from app.models.base import utcnow
from app.queue import after_commit, huey


def test_every_housekeeping_task_is_on_the_workers_schedule(app: Flask) -> None:
    # The worker creates the app, which imports every area's tasks.
    scheduled = {f"{t.__module__}.{t.__name__}" for t in huey._registry._periodic_tasks}
    assert {
        "app.tasks.purge_saved_input",
        "app.tasks.purge_ended_sessions",
        "app.tasks.purge_task_records",
        "app.reports.tasks.purge_old_exports",
        "app.reports.tasks.resume_stalled_exports",
    } <= scheduled


def test_session_records_are_kept_for_the_configured_days_after_they_end(
    app: Flask,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    now = utcnow()
    with app.app_context():
        user = make_user("hr")

        def session(label: str, *, ended_days: float | None, seen_days: float) -> None:
            _raw, record = records.open_record(user, "10.0.0.1", label)
            record.last_seen_at = now - timedelta(days=seen_days)
            if ended_days is not None:
                record.ended_at = now - timedelta(days=ended_days)

        session("signed out long ago", ended_days=31, seen_days=31)
        session("signed out last week", ended_days=7, seen_days=7)
        session("expired long ago", ended_days=None, seen_days=40)
        session("in use", ended_days=None, seen_days=0)
        db.session.commit()
        after_commit(tasks.purge_ended_sessions)
        db.session.commit()
        kept = sorted(db.session.scalars(select(UserSession.user_agent)))
        assert kept == ["in use", "signed out last week"]
        app.config["SESSION_RECORD_KEEP_DAYS"] = 5
        try:
            assert records.purge_ended() == 1
        finally:
            app.config["SESSION_RECORD_KEEP_DAYS"] = 30
        db.session.commit()
        assert list(db.session.scalars(select(UserSession.user_agent))) == ["in use"]
