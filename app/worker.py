"""`flask worker`: the background task consumer (bulk exports, daily housekeeping, renders).

SIGTERM (what systemd, Docker and `flask serve` send) stops it gracefully: running tasks finish
first, for at most `--shutdown-timeout` seconds, then they are interrupted. Ctrl-C interrupts at
once. A task cut short is put back on the queue (app/task_runs.py), which is safe because every
task is idempotent.
"""

from __future__ import annotations

import logging

import click
from flask import current_app

from app.extensions import db
from app.queue import huey, run_worker_start_hooks, task_app

# Seconds between looks at an idle SQLite queue at most (Redis is waited on, not polled).
POLL_MAX_SECONDS = 1.0


@huey.on_startup()  # type: ignore[untyped-decorator]
def _fresh_connections() -> None:
    """A forked worker process must not share its parent's database connections; and, like a
    web worker, it keeps its start-up objects out of the garbage collector's scans."""
    from app.reports.pdf import freeze_after_startup

    with task_app().app_context():
        db.engine.dispose(close=False)
    freeze_after_startup()


@click.command("worker")
@click.option(
    "--workers", type=int, default=None, help="Concurrent tasks (default TASK_WORKERS, 2)."
)
@click.option(
    "--worker-type",
    type=click.Choice(["process", "thread"]),
    default="process",
    show_default=True,
    help="Processes render PDFs on every core; threads suit a small machine.",
)
@click.option("--no-periodic", is_flag=True, help="Leave the daily tasks to another worker.")
@click.option(
    "--shutdown-timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="On SIGTERM, seconds to let running tasks finish before interrupting them.",
)
def worker_command(
    workers: int | None, worker_type: str, no_periodic: bool, shutdown_timeout: float
) -> None:
    """Run the background worker until stopped (SIGTERM lets running tasks finish first)."""
    if current_app.config.get("TASK_QUEUE_IMMEDIATE"):
        raise click.ClickException("TASK_QUEUE_IMMEDIATE is set: tasks run in the web process")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    consumer = huey.create_consumer(
        workers=workers or int(current_app.config["TASK_WORKERS"]),
        worker_type=worker_type,
        periodic=not no_periodic,
        check_worker_health=True,
        max_delay=POLL_MAX_SECONDS,
        graceful_signal="TERM",
        shutdown_timeout=shutdown_timeout,
    )
    where = current_app.config["TASK_QUEUE_URL"]
    click.echo(f"Worker: {consumer.workers} {worker_type} worker(s) on {where}")
    run_worker_start_hooks()
    consumer.run()
