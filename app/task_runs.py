"""What the background worker did: each task run's state, recorded from the queue's signals.

Huey tells every process that touches a task what happened to it (queued by the web process,
started, failed, retried, finished by a worker). Each signal updates the task's `TaskRun` row in
a short transaction of its own, on its own connection: the signal may come while a request's
session has just committed, or in a worker between two tasks. Recording never fails a task:
a lost record is logged, the work goes on.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from huey import signals as S
from huey.api import Task
from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import TaskRun
from app.models.base import utcnow
from app.queue import describe, final_attempt, huey, task_app, task_name

log = logging.getLogger(__name__)

ERROR_MAX = 1000
# How long finished task records are kept, unless TASK_RECORD_KEEP_DAYS says otherwise.
DEFAULT_KEEP_DAYS = 14.0
RUNS = TaskRun.__table__


def error_message(exc: BaseException | None) -> str:
    """A short message for the task list: the error's kind and what it said."""
    if exc is None:
        return ""
    text = str(exc).strip()
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:ERROR_MAX]


def _ensure(conn: Connection, task: Task, now: datetime) -> None:
    """Insert the task's row unless a process already has (whoever sees the task first)."""
    values = {
        "task_id": task.id,
        "name": task_name(task)[:200],
        "description": describe(task),
        "status": "queued",
        "attempts": 0,
        "error": "",
        "enqueued_at": now,
    }
    if conn.dialect.name == "postgresql":
        statement: Any = postgresql.insert(RUNS).values(**values)
    else:
        statement = sqlite.insert(RUNS).values(**values)
    conn.execute(statement.on_conflict_do_nothing(index_elements=["task_id"]))


def _set(conn: Connection, task: Task, **values: Any) -> None:
    conn.execute(update(RUNS).where(RUNS.c.task_id == task.id).values(**values))


def _failed_or_retrying(task: Task, message: str, now: datetime) -> dict[str, Any]:
    if not final_attempt(task):
        return {"status": "retrying", "error": message, "finished_at": None}
    return {"status": "failed", "error": message, "finished_at": now}


def record(signal: str, task: Task, exc: BaseException | None = None) -> None:
    """Bring the task's row up to date with what the signal says happened."""
    now = utcnow()
    with db.engine.begin() as conn:
        _ensure(conn, task, now)
        if signal == S.SIGNAL_EXECUTING:
            _set(
                conn,
                task,
                status="running",
                attempts=RUNS.c.attempts + 1,
                started_at=now,
                finished_at=None,
            )
        elif signal == S.SIGNAL_COMPLETE:
            _set(conn, task, status="done", finished_at=now)
        elif signal == S.SIGNAL_ERROR:
            _set(conn, task, **_failed_or_retrying(task, error_message(exc), now))
        elif signal == S.SIGNAL_TIMEOUT:
            message = f"Took longer than its limit of {task.timeout} s"
            _set(conn, task, **_failed_or_retrying(task, message, now))
        elif signal == S.SIGNAL_RETRYING and not final_attempt(task):
            _set(conn, task, status="retrying")
        elif signal == S.SIGNAL_CANCELED and task.retries:
            _set(conn, task, status="retrying", error="Cancelled; will be tried again")
        elif signal in (S.SIGNAL_CANCELED, S.SIGNAL_REVOKED):
            _set(conn, task, status="cancelled", finished_at=now)
        elif signal == S.SIGNAL_EXPIRED:
            _set(conn, task, status="cancelled", error="Expired before it ran", finished_at=now)
        elif signal == S.SIGNAL_INTERRUPTED:
            _set(conn, task, status="queued", error="A worker stopped while running it")


# Signals that change what the task list shows; the others (rate limits, locks) are logged
# by Huey itself.
RECORDED = (
    S.SIGNAL_ENQUEUED,
    S.SIGNAL_SCHEDULED,
    S.SIGNAL_EXECUTING,
    S.SIGNAL_COMPLETE,
    S.SIGNAL_ERROR,
    S.SIGNAL_TIMEOUT,
    S.SIGNAL_RETRYING,
    S.SIGNAL_CANCELED,
    S.SIGNAL_REVOKED,
    S.SIGNAL_EXPIRED,
    S.SIGNAL_INTERRUPTED,
)


@huey.signal(*RECORDED)  # type: ignore[untyped-decorator]
def _on_signal(signal: str, task: Task, *args: Any) -> None:
    exc = args[0] if args and isinstance(args[0], BaseException) else None
    try:
        with task_app().app_context():
            record(signal, task, exc)
    except Exception:
        log.warning("Could not record %s of task %s", signal, task.id, exc_info=True)
    if signal == S.SIGNAL_INTERRUPTED and not huey.immediate:
        # Tasks are idempotent, so one cut short by a stopping worker is simply run again.
        try:
            huey.enqueue(task)
        except Exception:
            log.exception("Could not put interrupted task %s back on the queue", task.id)


# --- reading and pruning ---------------------------------------------------------------------


def keep_for() -> timedelta:
    """How long finished task records are kept (TASK_RECORD_KEEP_DAYS)."""
    return timedelta(days=float(current_app.config.get("TASK_RECORD_KEEP_DAYS", DEFAULT_KEEP_DAYS)))


def purge_old(now: datetime | None = None) -> int:
    """Delete records of tasks that ended, or were queued, before the keeping period. Flushes."""
    cutoff = (now or utcnow()) - keep_for()
    result = db.session.execute(
        delete(TaskRun)
        .where(TaskRun.enqueued_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def count_by_status() -> dict[str, int]:
    """How many recorded runs are in each status."""
    rows = db.session.execute(select(TaskRun.status, func.count()).group_by(TaskRun.status))
    return {str(status): int(count) for status, count in rows}


def recent(status: str, *, offset: int, limit: int) -> list[TaskRun]:
    """Recorded runs, newest first, optionally of one status."""
    query = select(TaskRun).order_by(TaskRun.enqueued_at.desc(), TaskRun.id.desc())
    if status:
        query = query.where(TaskRun.status == status)
    return list(db.session.scalars(query.offset(offset).limit(limit)))


def queue_depth() -> dict[str, int] | None:
    """Tasks waiting on the queue now, and those scheduled for later (retries); None when the
    queue cannot be reached."""
    try:
        return {"waiting": int(huey.pending_count()), "scheduled": int(huey.scheduled_count())}
    except Exception:
        log.warning("Could not read the task queue's depth", exc_info=True)
        return None
