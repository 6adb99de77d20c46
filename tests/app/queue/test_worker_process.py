"""A real `flask worker` process runs what another process queued, on a shared SQLite queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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
from config import BASE_DIR

# Generous bounds for a loaded machine; on a quiet one the whole test takes a few seconds.
START_SECONDS = 60.0
STOP_SECONDS = 30.0


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


def worker_env(database_url: str, queue_url: str) -> dict[str, str]:
    """The environment of a worker (or web server) on these files."""
    return {
        **os.environ,
        "FLASK_APP": "app",
        "STREAMLEAD_ENV": "development",
        "DATABASE_URL": database_url,
        "TASK_QUEUE_URL": queue_url,
        "TASK_QUEUE_IMMEDIATE": "0",
    }


@contextmanager
def running(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a command in its own process group; stop it with SIGTERM (then SIGKILL) at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def wait_until(check: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    """Poll until check() holds, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout} s; log:\n{log.read_text()[-3000:]}")


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
    with running(command, worker_env(database_url, queue_url), log) as worker:
        with queue_at(queue_url), app.app_context():
            tasks.purge_task_records()  # queued in the file, not run here
        wait_until(
            lambda: runs() == [("app.tasks.purge_task_records", "done", 1)],
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
