"""gunicorn settings read from the repository root: freeze start-up objects in each worker."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    """After the worker has loaded the app, keep its start-up objects out of the GC's scans."""
    from app.reports.pdf import freeze_after_startup

    freeze_after_startup()
