"""Each task run is recorded for admins: queued, running, retried, done, failed or cancelled."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app import task_runs
from app.extensions import db
from app.models import TaskRun
from app.models.base import utcnow
from app.queue import after_commit, stop_task, task

attempts: dict[str, int] = {}
failures_noted: list[str] = []


@task(description="Greet {0}")
def _greet(name: str) -> None:
    attempts[name] = attempts.get(name, 0) + 1


# No delay between attempts, so immediate mode runs the retry at once.
@task(retries=2, retry_delay=0)
def _flaky(name: str) -> None:
    """Fail once, then succeed."""
    attempts[name] = attempts.get(name, 0) + 1
    if attempts[name] == 1:
        raise ConnectionError("the database went away")


def _note_failure(name: str) -> None:
    failures_noted.append(name)


@task(retries=0, on_failure=_note_failure)
def _broken(name: str) -> None:
    """Always fails."""
    raise ValueError(f"no such thing as {name}")


@task()
def _called_off(name: str) -> None:
    """Stops itself."""
    stop_task("the export was cancelled")


def _runs() -> list[TaskRun]:
    db.session.expire_all()
    return list(db.session.scalars(select(TaskRun).order_by(TaskRun.id)))


def test_a_finished_task_is_recorded_with_its_description_and_times(app: Flask) -> None:
    with app.app_context():
        after_commit(_greet, "Ada")
        db.session.commit()
        (run,) = _runs()
        assert run.name == "tests.app.queue.test_task_runs._greet"
        assert run.description == "Greet Ada"
        assert (run.status, run.attempts, run.error) == ("done", 1, "")
        assert run.enqueued_at <= run.started_at <= run.finished_at


def test_a_failed_attempt_is_retried_and_the_run_counts_both(app: Flask) -> None:
    attempts.clear()
    with app.app_context():
        after_commit(_flaky, "Grace")
        db.session.commit()
        (run,) = _runs()
        assert attempts["Grace"] == 2
        assert (run.status, run.attempts) == ("done", 2)
        assert run.description == "Fail once, then succeed."
        assert run.error == "ConnectionError: the database went away"


def test_a_task_that_fails_for_good_says_why_and_calls_its_failure_hook(app: Flask) -> None:
    failures_noted.clear()
    with app.app_context():
        after_commit(_broken, "unicorns")
        db.session.commit()
        (run,) = _runs()
        assert (run.status, run.attempts) == ("failed", 1)
        assert run.error == "ValueError: no such thing as unicorns"
        assert run.finished_at is not None
    assert failures_noted == ["unicorns"]


def test_a_task_that_stops_itself_is_recorded_as_cancelled(app: Flask) -> None:
    with app.app_context():
        after_commit(_called_off, "x")
        db.session.commit()
        (run,) = _runs()
        assert run.status == "cancelled"


def test_old_records_are_purged(app: Flask) -> None:
    with app.app_context():
        after_commit(_greet, "old")
        after_commit(_greet, "new")
        db.session.commit()
        old = db.session.scalar(select(TaskRun).where(TaskRun.description == "Greet old"))
        old.enqueued_at = utcnow() - timedelta(days=15)
        db.session.commit()
        assert task_runs.purge_old() == 1
        db.session.commit()
        assert [r.description for r in _runs()] == ["Greet new"]
