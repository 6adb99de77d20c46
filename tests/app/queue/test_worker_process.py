"""A real `flask worker` process runs what another process queued, on a shared SQLite queue."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, insert, select

from app import tasks
from app.extensions import db
from app.models import TaskRun
from app.models.base import utcnow
from app.queue import huey, storage_for
from tests.fixtures.processes import STOP_SECONDS, app_env, running, wait_until

# Generous bounds for a loaded machine; on a quiet one the whole test takes a few seconds.
START_SECONDS = 60.0


@contextmanager
def queue_at(url: str) -> Iterator[None]:
    """Point this process's queue at another queue file, as a web process would be."""
    saved = (huey.storage, huey._immediate)
    storage_class, kwargs = storage_for(url)
    huey._immediate = False
    huey.storage = storage_class(huey.name, **kwargs)
    try:
        yield
    finally:
        huey.storage.close()
        huey.storage, huey._immediate = saved


def test_a_worker_process_runs_a_task_queued_by_another_process(app: Flask, tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    queue_url = f"sqlite:///{tmp_path / 'tasks.db'}"
    engine = create_engine(database_url)
    db.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(TaskRun).values(
                task_id="old",
                name="app.tasks.example",
                description="Long ago",
                status="done",
                attempts=1,
                error="",
                enqueued_at=utcnow() - timedelta(days=30),
            )
        )

    def runs() -> list[tuple[str, str, int]]:
        with engine.connect() as conn:
            query = select(TaskRun.name, TaskRun.status, TaskRun.attempts)
            return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]

    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "flask", "worker", "--workers", "1", "--no-periodic"]
    with running(command, app_env(database_url, queue_url), log) as worker:
        with queue_at(queue_url), app.app_context():
            tasks.purge_task_records()  # queued in the file, not run here
        wait_until(
            # The worker's own start-up tasks (documents kept current) are recorded beside it.
            lambda: (
                ("app.tasks.purge_task_records", "done", 1) in runs()
                and all(name != "app.tasks.example" for name, _status, _n in runs())
            ),
            START_SECONDS,
            "the worker did not purge the old record and record its own run",
            log,
        )
        os.killpg(worker.pid, signal.SIGTERM)
        assert worker.wait(timeout=STOP_SECONDS) == 0
    output = log.read_text()
    assert "Traceback" not in output, output
    assert "Shutting down gracefully" in output
    engine.dispose()
