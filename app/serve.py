"""`flask serve`: the development web server and the background worker, started and stopped
together (what `make run` runs).

Each runs as a child process in its own session, so Ctrl-C reaches only this supervisor, which
then stops both with SIGTERM (the worker lets its running tasks finish). When either child
exits on its own, the other is stopped too and its exit code is passed on: a web server without
its worker would quietly never finish an export.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

import click
from flask.cli import ScriptInfo

STOP_SECONDS = 30.0


def supervise(commands: Sequence[Sequence[str]], stop_seconds: float = STOP_SECONDS) -> int:
    """Run the commands until one exits or this process gets SIGINT/SIGTERM, then stop the
    rest (SIGTERM, then SIGKILL after stop_seconds). Returns the first non-zero exit code."""
    stopping: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    children = [subprocess.Popen(list(cmd), start_new_session=True) for cmd in commands]  # noqa: S603
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + stop_seconds
        for child in children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    codes = [child.returncode for child in children]
    # A child stopped by our own SIGTERM ended as asked: only other endings are failures.
    failures = [c for c in codes if c not in (0, -signal.SIGTERM)]
    return failures[0] if failures else 0


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--worker-type",
    type=click.Choice(["process", "thread"]),
    default="thread",
    show_default=True,
    help="How the worker runs its tasks (threads are light enough for development).",
)
@click.pass_obj
def serve_command(info: ScriptInfo, host: str, port: int, worker_type: str) -> None:
    """Run the web server and the background worker together until Ctrl-C."""
    os.environ.setdefault("FLASK_APP", info.app_import_path or "app")
    flask = [sys.executable, "-m", "flask"]
    code = supervise(
        [
            [*flask, "worker", "--worker-type", worker_type],
            [*flask, "run", "--host", host, "--port", str(port)],
        ]
    )
    raise SystemExit(code)
