"""The reports area's background tasks: rendering documents before anyone asks for them.

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
from app.queue import crontab, huey, periodic_task, task
from app.reports import changes, prerender
from app.reports.settings import setting

log = logging.getLogger(__name__)

__all__ = ["changes", "keep_documents_current", "refresh_documents", "render_document"]


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


@huey.on_startup()  # type: ignore[untyped-decorator]
def _check_documents_at_start() -> None:
    """A worker that starts after a deploy looks for documents the deploy changed at once."""
    try:
        keep_documents_current()
    except Exception:  # a queue that cannot take it now gets it from the hourly run
        log.exception("Could not queue the document check at worker start")
