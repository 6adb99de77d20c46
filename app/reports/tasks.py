"""The reports area's background tasks: bulk exports, and rendering documents before anyone
asks for them.

Bulk exports run as one task per document, then the ZIP; each task is a thin step over
app/reports/exports.py and may run more than once (see there).

`refresh_documents` runs after every commit that changed something a document shows (the
listener in app/reports/changes.py asks for it) and queues one `render_document` per affected
document. `keep_documents_current` runs every hour and when a worker starts: after a deploy
that changed the renderer, the templates or the organisation's name it re-renders everything
once; on the first run of each day it re-renders the plans, whose checkpoints and induction
items turn overdue with the date. Every task is idempotent (a document is rendered only when
its content's key differs from the stored PDF's), so retries and repeats are safe.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from typing import Any

from app.extensions import db
from app.queue import after_commit, at_worker_start, crontab, periodic_task, stop_task, task
from app.reports import changes, exports, prerender  # noqa: F401 - changes: see below
from app.reports.bundles import UnknownDocument
from app.reports.settings import setting

log = logging.getLogger(__name__)

# Importing app.reports.changes (above) registers the listener that queues renders after each
# commit; the worker and the web process both import this module through TASK_AREAS.


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


@task(retries=5, retry_delay=15, retry_backoff=2)
def render_document(ref: str) -> int:
    """Render one document for each of its audiences whose content changed; returns how many."""
    rendered = prerender.render_ref(ref)
    if rendered:
        log.info("Rendered %s (%d audience(s))", ref, rendered)
    return rendered


def _queue_renders(refs: list[str]) -> int:
    """Queue one render per document, after this task's reads are over."""
    db.session.commit()
    for ref in refs:
        render_document(ref)
    return len(refs)


@task(retries=3, retry_delay=15, retry_backoff=2)
def refresh_documents(changed: Mapping[str, Collection[Any]]) -> int:
    """Queue renders of the documents a committed change affects; returns how many."""
    return _queue_renders(prerender.affected_refs(changed))


@task(retries=3, retry_delay=60, retry_backoff=2)
def refresh_kinds(kinds: list[str]) -> int:
    """Queue renders of every document of these kinds, dropping the stored PDFs of documents
    no longer offered; returns how many documents were queued."""
    refs = prerender.all_refs(kinds)
    dropped = prerender.purge_except(kinds, refs)
    if dropped:
        log.info("Dropped the stored PDFs of %d document(s) no longer offered", dropped)
    return _queue_renders(refs)


@periodic_task(crontab(minute="7"))
def keep_documents_current() -> tuple[str, ...]:
    """Re-render what a deploy or the date changed (hourly and at worker start; a claim in the
    database lets only one worker act on each change)."""
    if not setting("PDF_PRERENDER"):
        return ()
    kinds = prerender.due_refreshes()
    if kinds:
        log.info("Re-rendering every %s document", ", ".join(kinds))
        db.session.commit()  # the claim stands even if queueing fails
        refresh_kinds(list(kinds))
    return kinds


@at_worker_start
def _check_documents_at_start() -> None:
    """A worker that starts after a deploy looks for documents the deploy changed at once."""
    try:
        keep_documents_current()
    except Exception:  # a queue that cannot take it now gets it from the hourly run
        log.exception("Could not queue the document check at worker start")
