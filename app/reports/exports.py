"""Bulk exports: zipped in the request when small, else run as a background job.

A few documents that need little rendering are zipped in the request; anything
longer becomes an `ExportJob` run on a background thread, which renders the missing PDFs in a
process pool (one process per core) and records progress in the database so any worker can show
it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import delete, select

from app.extensions import db
from app.models import ExportJob, RenderedDocument, User
from app.models.base import utcnow
from app.policy import may
from app.reports.archive import export_filename, zip_documents
from app.reports.bundles import Bundle, UnknownDocument, documents_for
from app.reports.cache import cache_key, cached_pdfs, pdf_for, store_pdf
from app.reports.documents import Document
from app.reports.pdf import freeze_after_startup, render_pdf
from app.reports.settings import setting

log = logging.getLogger(__name__)


def needs_rendering(docs: Sequence[Document]) -> int:
    """How many of these documents are not in the cache."""
    keys = [cache_key(d) for d in docs]
    present = set(
        db.session.scalars(select(RenderedDocument.key).where(RenderedDocument.key.in_(keys)))
    )
    return sum(1 for k in keys if k not in present)


def should_run_inline(docs: Sequence[Document]) -> bool:
    """Whether a ZIP of these documents can be built in the request within a few seconds."""
    if len(docs) > int(setting("PDF_EXPORT_INLINE_MAX")):
        return False
    return needs_rendering(docs) <= int(setting("PDF_EXPORT_INLINE_RENDERS"))


def zip_inline(bundle: Bundle) -> bytes:
    """Build the ZIP in the request (cache first). Flushes new PDFs into the cache."""
    return zip_documents([(doc, pdf_for(doc)) for doc in bundle.documents], bundle.held_back)


# --- bulk export jobs ------------------------------------------------------------------------

_job_runner = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf-export")
_process_pool: ProcessPoolExecutor | None = None
_process_pool_lock = threading.Lock()


def export_processes() -> int:
    """Render processes for bulk exports: PDF_EXPORT_PROCESSES, or one per core."""
    configured = int(current_app.config.get("PDF_EXPORT_PROCESSES", 0) or 0)
    return configured or os.cpu_count() or 1


def process_pool(workers: int) -> ProcessPoolExecutor:
    """The shared pool that renders bulk exports, one process per core.

    "spawn" starts clean interpreters (forking a threaded web worker is unsafe); each process
    imports WeasyPrint once and is replaced after 100 renders to bound its memory.
    """
    global _process_pool
    with _process_pool_lock:
        if _process_pool is None:
            _process_pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=100,
                initializer=freeze_after_startup,
            )
        return _process_pool


def _discard_pool(pool: Executor) -> None:
    """Forget a pool whose process died, so the next export starts a fresh one."""
    global _process_pool
    with _process_pool_lock:
        if _process_pool is pool:
            _process_pool = None


def create_export(user: User, refs: Sequence[str]) -> ExportJob:
    """Record a bulk export to run in the background; prunes old jobs. Flushes."""
    cutoff = utcnow() - timedelta(hours=float(setting("PDF_EXPORT_KEEP_HOURS")))
    db.session.execute(delete(ExportJob).where(ExportJob.created_at < cutoff))
    job = ExportJob(
        user_id=user.id,
        documents=list(refs),
        total=len(refs),
        done=0,
        status="queued",
        filename=export_filename(),
    )
    db.session.add(job)
    db.session.flush()
    return job


def start_export(job_id: int) -> None:
    """Run a committed export job on a background thread of this process."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _job_runner.submit(run_export, app, job_id)


def run_export(
    app: Flask,
    job_id: int,
    executor: Executor | None = None,
    on_progress: Callable[[ExportJob], None] | None = None,
) -> None:
    """Build an export job's ZIP: cached PDFs first, the rest rendered in the process pool.

    Commits progress after every document so any worker can report it.
    """
    with app.app_context():
        try:
            _run_export(job_id, executor, on_progress)
        except Exception as exc:
            db.session.rollback()
            log.exception("Bulk export %s failed", job_id)
            job = db.session.get(ExportJob, job_id)
            if job is not None:
                job.status = "failed"
                job.error = _failure_message(exc)
                job.finished_at = utcnow()
                db.session.commit()
        finally:
            db.session.remove()


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, UnknownDocument):
        return "A document in the export is no longer available (a plan may have been withdrawn)."
    if isinstance(exc, TimeoutError):
        return "Rendering took too long."
    return "Something went wrong while building the documents."


def _run_export(
    job_id: int, executor: Executor | None, on_progress: Callable[[ExportJob], None] | None
) -> None:
    job = db.session.get(ExportJob, job_id)
    if job is None:
        return
    job.status = "running"
    job.heartbeat_at = utcnow()
    db.session.commit()

    # Built for the person who started the export, as they may read it now (their rights or
    # an interview may have changed since they ticked the documents).
    owner = db.session.get(User, job.user_id)
    if owner is None or not owner.is_active or not may(owner, "reports.download"):
        raise UnknownDocument("the export's owner may no longer download documents")
    bundle = documents_for(job.documents, owner)
    docs = bundle.documents
    keys = [cache_key(d) for d in docs]
    pdfs: dict[str, bytes] = cached_pdfs(keys)
    job.done = sum(1 for k in keys if k in pdfs)
    job.heartbeat_at = utcnow()
    db.session.commit()

    missing: dict[str, Document] = {}
    for doc, key in zip(docs, keys, strict=True):
        if key not in pdfs:
            missing.setdefault(key, doc)
    if missing:
        pool = executor or process_pool(export_processes())
        futures = {
            pool.submit(render_pdf, doc.html, title=doc.title, author=doc.author): key
            for key, doc in missing.items()
        }
        limit = float(setting("PDF_RENDER_TIMEOUT")) * max(len(futures), 1)
        try:
            for future in as_completed(futures, timeout=limit):
                key = futures[future]
                pdf = future.result()
                pdfs[key] = pdf
                store_pdf(key, missing[key].kind, pdf)
                job.done += sum(1 for k in keys if k == key)
                job.heartbeat_at = utcnow()
                db.session.commit()
                if on_progress is not None:
                    on_progress(job)
        except BrokenProcessPool:
            _discard_pool(pool)
            raise
        finally:
            for future in futures:
                future.cancel()  # a failed job leaves no renders queued behind it

    job.result = zip_documents(
        [(doc, pdfs[key]) for doc, key in zip(docs, keys, strict=True)], bundle.held_back
    )
    job.done = job.total
    job.status = "done"
    job.finished_at = utcnow()
    db.session.commit()


def job_state(job: ExportJob, now: datetime | None = None) -> str:
    """The job's status, reading a running job whose heartbeat stopped as failed."""
    now = now or utcnow()
    if job.status in ("queued", "running"):
        stale = timedelta(seconds=float(setting("PDF_EXPORT_STALE_SECONDS")))
        if now - job.heartbeat_at > stale:
            return "stalled"
    return job.status


def wait_for_export(job_id: int, timeout: float = 120.0) -> None:
    """Block until a background export has finished (tests and the benchmark use it)."""
    import time as _time

    deadline = _time.monotonic() + timeout
    while _time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(ExportJob, job_id)
        if job is None or job.status in ("done", "failed"):
            return
        _time.sleep(0.1)
    raise TimeoutError(f"export {job_id} did not finish in {timeout} s")
