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

Every task must be idempotent: it may run twice (a retry after a failure that came late, a task
put back on the queue when a worker stopped mid-way), so it checks what is already done first.
Failures are retried with exponential back-off: by default 3 more attempts, 10 s, 20 s and 40 s
after the failure (`DEFAULT_RETRY`); periodic tasks 2 more, after 60 s and 120 s. Each run's
state is recorded for admins by app/task_runs.py from Huey's signals.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.api import Task
from huey.exceptions import CancelExecution
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)

# In memory until `configure` points it at TASK_QUEUE_URL (importing must not touch the disk).
# No result store: nothing reads return values, and task state is recorded in the database.
huey = Huey("streamlead", storage_class=MemoryStorage, utc=True, results=False)

# Retries with exponential back-off: the delay doubles after each failed attempt.
DEFAULT_RETRY: dict[str, Any] = {"retries": 3, "retry_delay": 10, "retry_backoff": 2}
PERIODIC_RETRY: dict[str, Any] = {"retries": 2, "retry_delay": 60, "retry_backoff": 2}

# Task name -> a short human description of one run: a format string over the task's
# arguments, or a function of them. Defaults to the first line of the task's docstring.
Describer = str | Callable[..., str]
_descriptions: dict[str, Describer] = {}

# The application a worker's tasks run in (set by `configure`); a task enqueued in immediate
# mode runs in the caller's own application instead.
_worker_app: Flask | None = None

PENDING_KEY = "streamlead.after_commit"

__all__ = [
    "after_commit",
    "at_worker_start",
    "configure",
    "crontab",
    "describe",
    "huey",
    "periodic_task",
    "stop_task",
    "task",
]


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


def final_attempt(task: Task | None) -> bool:
    """Whether this attempt is the task's last: no retries left (or none will ever run, as in
    immediate mode, where a delayed retry is never picked up)."""
    if task is None:
        return True
    return not task.retries or bool(huey.immediate and task.retry_delay)


def _in_app_context(
    fn: Callable[..., Any], on_failure: Callable[..., None] | None = None
) -> Callable[..., Any]:
    """Run fn in a fresh application context and session: commit on return, roll back on error.

    After the last attempt fails, `on_failure(*args)` runs in a fresh transaction of its own so
    the task can leave a note for people (an export says it failed rather than wait for ever).
    """

    @functools.wraps(fn)
    def run(*args: Any, task: Task | None = None, **kwargs: Any) -> Any:
        with task_app().app_context():
            try:
                result = fn(*args, **kwargs)
                db.session.commit()
                return result
            except CancelExecution:
                db.session.rollback()
                raise
            except Exception:
                db.session.rollback()
                if on_failure is not None and final_attempt(task):
                    _run_failure_hook(on_failure, args, kwargs)
                raise
            finally:
                db.session.remove()

    return run


def _run_failure_hook(
    on_failure: Callable[..., None], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    try:
        on_failure(*args, **kwargs)
        db.session.commit()
    except Exception:  # the task's own error is the one to report
        db.session.rollback()
        log.exception("The failure hook of a task failed too")


def _name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__name__}"


def task_name(task: Task) -> str:
    """A task's full name, e.g. 'app.tasks.purge_saved_input' (Huey keys it by module too)."""
    return f"{type(task).__module__}.{task.name}"


def task(
    *,
    description: Describer | None = None,
    on_failure: Callable[..., None] | None = None,
    **options: Any,
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a background task (Huey options: retries, retry_delay, retry_backoff, priority…;
    DEFAULT_RETRY unless given). `description` names one run for admins; `on_failure` runs
    with the task's arguments when its last attempt fails."""

    def decorator(fn: Callable[..., Any]) -> Any:
        name = _name(fn)
        _descriptions[name] = description or _first_line(fn)
        settings = {**DEFAULT_RETRY, **options}
        # Huey prefixes the module itself, so it gets the bare function name.
        return huey.task(name=fn.__name__, context=True, **settings)(
            _in_app_context(fn, on_failure)
        )

    return decorator


def periodic_task(
    schedule: Callable[..., bool], *, description: Describer | None = None, **options: Any
) -> Callable[..., Any]:
    """Declare a task the worker runs on a schedule (a `crontab(...)`), in an app context."""

    def decorator(fn: Callable[..., Any]) -> Any:
        name = _name(fn)
        _descriptions[name] = description or _first_line(fn)
        settings = {**PERIODIC_RETRY, **options}
        return huey.periodic_task(schedule, name=fn.__name__, context=True, **settings)(
            _in_app_context(fn)
        )

    return decorator


def _first_line(fn: Callable[..., Any]) -> str:
    return (fn.__doc__ or fn.__name__).strip().splitlines()[0]


def describe(task: Task) -> str:
    """The short human description of one run of a task, for the admins' task list."""
    name = task_name(task)
    describer = _descriptions.get(name, name)
    args, kwargs = task.args or (), task.kwargs or {}
    try:
        text = (
            describer(*args, **kwargs) if callable(describer) else describer.format(*args, **kwargs)
        )
    except (IndexError, KeyError, TypeError, ValueError):
        text = name
    return text[:300]


# Called once by `flask worker` before its consumer starts (not in every worker process).
_worker_start_hooks: list[Callable[[], None]] = []


def at_worker_start(fn: Callable[[], None]) -> Callable[[], None]:
    """Run fn once when `flask worker` starts, in its main process, before any task runs."""
    _worker_start_hooks.append(fn)
    return fn


def run_worker_start_hooks() -> None:
    """Run the hooks registered with `at_worker_start`, each in the worker's app context."""
    for hook in _worker_start_hooks:
        with task_app().app_context():
            hook()


def stop_task(reason: str) -> NoReturn:
    """End this run as cancelled, with no retry (its work was called off)."""
    log.info("Task stopped: %s", reason)
    raise CancelExecution(retry=False)


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
