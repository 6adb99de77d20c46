"""The reports area's background tasks: bulk exports, one task per document, then the ZIP.

Each task is a thin step over app/reports/exports.py and may run more than once (see there).
"""

from __future__ import annotations

import logging

from app.queue import after_commit, crontab, periodic_task, stop_task, task
from app.reports import exports
from app.reports.bundles import UnknownDocument

log = logging.getLogger(__name__)


def queue_export(job_id: int) -> None:
    """Start building a committed export on the worker (once the transaction commits)."""
    after_commit(start_export, job_id)


def _failed(job_id: int, *_args: object) -> None:
    """The last attempt of a step failed: tell the export's owner instead of leaving it waiting."""
    exports.fail_export(job_id, exports.FAILED_MESSAGE)


@task(description="Bulk export {0}: queue its documents", on_failure=_failed)
def start_export(job_id: int) -> None:
    """Queue a task for each document not yet done (or the ZIP when none is left)."""
    try:
        positions = exports.begin(job_id)
    except exports.ExportCancelled:
        stop_task(f"export {job_id} was cancelled")
    for position in positions:
        after_commit(render_export_document, job_id, position)
    if not positions and exports.all_done(job_id):
        after_commit(build_export_archive, job_id)


@task(
    description=lambda job_id, position: f"Bulk export {job_id}: document {position + 1}",
    on_failure=_failed,
)
def render_export_document(job_id: int, position: int) -> None:
    """Render one document of an export into the shared cache."""
    try:
        last = exports.render_item(job_id, position)
    except exports.ExportCancelled:
        stop_task(f"export {job_id} was cancelled")
    except UnknownDocument:
        # Withdrawn since it was ticked, or the owner lost the right: retrying cannot help.
        exports.fail_export(job_id, exports.UNAVAILABLE_MESSAGE)
        return
    if last:
        after_commit(build_export_archive, job_id)


@task(description="Bulk export {0}: build the ZIP", on_failure=_failed)
def build_export_archive(job_id: int) -> None:
    """Zip the rendered documents of an export."""
    try:
        exports.build_archive(job_id)
    except exports.ExportCancelled:
        stop_task(f"export {job_id} was cancelled")
    except UnknownDocument:
        exports.fail_export(job_id, exports.UNAVAILABLE_MESSAGE)


@periodic_task(crontab(minute="*/5"), description="Restart stalled bulk downloads")
def resume_stalled_exports() -> int:
    """Start again exports that made no progress for a while (every 5 minutes)."""
    job_ids = exports.resume_stalled()
    for job_id in job_ids:
        log.warning("Bulk export %s made no progress: starting its remaining steps again", job_id)
        after_commit(start_export, job_id)
    return len(job_ids)


@periodic_task(crontab(minute="40"), description="Delete old bulk downloads")
def purge_old_exports() -> int:
    """Delete bulk exports older than PDF_EXPORT_KEEP_HOURS (hourly, at :40)."""
    return exports.purge_old()
