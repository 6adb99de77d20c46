"""The background task queue: Huey, embedded on SQLite by default, Redis when shared.

One Huey instance for the whole application. `TASK_QUEUE_URL` chooses its storage:
`sqlite:///path` (the default, `instance/tasks.db`, no server needed) or `redis://…` when
several web and worker hosts share one queue. `flask worker` runs the consumer.

Tasks are declared with `@task()` / `@periodic_task()` from this module (not Huey's own
decorators) so each runs inside an application context with its own database session, which
is committed when the task returns and rolled back when it raises. A view or service never
enqueues directly: `after_commit(task_fn, ...)` enqueues once the surrounding transaction has
committed, so a worker never sees a task for data it cannot read yet, and a rolled-back change
enqueues nothing. In tests (`TASK_QUEUE_IMMEDIATE`) Huey runs each task at once, in process.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)

# In memory until `configure` points it at TASK_QUEUE_URL (importing must not touch the disk).
huey = Huey("streamlead", storage_class=MemoryStorage, utc=True)

# The application a worker's tasks run in (set by `configure`); a task enqueued in immediate
# mode runs in the caller's own application instead.
_worker_app: Flask | None = None

PENDING_KEY = "streamlead.after_commit"

__all__ = ["after_commit", "configure", "crontab", "huey", "periodic_task", "task"]


class QueueConfigError(RuntimeError):
    """TASK_QUEUE_URL names a storage the queue cannot use."""


def storage_for(url: str) -> tuple[type, dict[str, Any]]:
    """Huey's storage class and arguments for a TASK_QUEUE_URL."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.split("sqlite:///", 1)[-1] if url.startswith("sqlite:///") else ""
        if not path:
            raise QueueConfigError(f"TASK_QUEUE_URL {url!r}: use sqlite:///path/to/tasks.db")
        return SqliteStorage, {"filename": path}
    if scheme in ("redis", "rediss", "unix"):
        return RedisStorage, {"url": url}
    raise QueueConfigError(f"TASK_QUEUE_URL {url!r}: the queue runs on sqlite:/// or redis://")


def configure(app: Flask) -> None:
    """Point the queue at the app's TASK_QUEUE_URL and mode; the last app configured runs tasks."""
    global _worker_app
    storage_class, kwargs = storage_for(app.config["TASK_QUEUE_URL"])
    immediate = bool(app.config.get("TASK_QUEUE_IMMEDIATE"))
    if storage_class is SqliteStorage:
        from pathlib import Path

        Path(kwargs["filename"]).parent.mkdir(parents=True, exist_ok=True)
    huey._immediate = immediate  # set first so create_storage picks the right kind
    huey.storage_class = storage_class
    huey.storage_kwargs = kwargs
    huey.storage = huey.create_storage()
    _worker_app = app


def task_app() -> Flask:
    """The application a task runs in: the caller's in immediate mode, else the worker's."""
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    if _worker_app is None:  # pragma: no cover - configure() runs in create_app
        raise RuntimeError("the task queue is not configured: create the app first")
    return _worker_app


def _in_app_context(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run fn in a fresh application context and session: commit on return, roll back on error."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with task_app().app_context():
            try:
                result = fn(*args, **kwargs)
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    return run


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a background task (Huey options: retries, retry_delay, priority, …)."""

    def decorator(fn: Callable[..., Any]) -> Any:
        return huey.task(name=f"{fn.__module__}.{fn.__name__}", **options)(_in_app_context(fn))

    return decorator


def periodic_task(schedule: Callable[..., bool], **options: Any) -> Callable[..., Any]:
    """Declare a task the worker runs on a schedule (a `crontab(...)`), in an app context."""

    def decorator(fn: Callable[..., Any]) -> Any:
        return huey.periodic_task(schedule, name=f"{fn.__module__}.{fn.__name__}", **options)(
            _in_app_context(fn)
        )

    return decorator


def after_commit(task_fn: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue task_fn(*args, **kwargs) once the current transaction commits (never if it rolls
    back). The same call asked for twice in one transaction is enqueued once."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so a rollback that follows is seen and forgets the call
    pending: list[tuple[Any, tuple[Any, ...], tuple[tuple[str, Any], ...]]] = (
        session.info.setdefault(PENDING_KEY, [])
    )
    call = (task_fn, args, tuple(sorted(kwargs.items())))
    if call not in pending:
        pending.append(call)


@event.listens_for(Session, "after_commit")
def _enqueue_pending(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    for task_fn, args, kwargs in pending or ():
        try:
            task_fn(*args, **dict(kwargs))
        except Exception:  # a queue outage must not turn a saved change into an error page
            log.exception("Could not enqueue %s", getattr(task_fn, "name", task_fn))


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested:  # a savepoint's rollback keeps the outer transaction's
        session.info.pop(PENDING_KEY, None)
