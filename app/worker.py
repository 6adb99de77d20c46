"""`flask worker`: the background task consumer (renders, exports, email, daily housekeeping)."""

from __future__ import annotations

import logging

import click
from flask import current_app

from app.extensions import db
from app.queue import huey, task_app


@huey.on_startup()  # type: ignore[untyped-decorator]
def _fresh_connections() -> None:
    """A forked worker process must not share its parent's database connections."""
    with task_app().app_context():
        db.engine.dispose(close=False)


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
def worker_command(workers: int | None, worker_type: str, no_periodic: bool) -> None:
    """Run the background worker until stopped (Ctrl-C or SIGTERM finish running tasks first)."""
    if current_app.config.get("TASK_QUEUE_IMMEDIATE"):
        raise click.ClickException("TASK_QUEUE_IMMEDIATE is set: tasks run in the web process")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    consumer = huey.create_consumer(
        workers=workers or int(current_app.config["TASK_WORKERS"]),
        worker_type=worker_type,
        periodic=not no_periodic,
        check_worker_health=True,
    )
    where = current_app.config["TASK_QUEUE_URL"]
    click.echo(f"Worker: {consumer.workers} {worker_type} worker(s) on {where}")
    consumer.run()
