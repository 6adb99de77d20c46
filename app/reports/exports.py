"""Bulk exports: zipped in the request when small, else built by the background worker.

A few documents that need little rendering are zipped in the request. Anything longer becomes an
`ExportJob` with one `ExportItem` per document, built by queued tasks (app/reports/tasks.py):
`start_export` queues one task per document not yet done; each renders its document for the
export's owner into the shared PDF cache and marks its item done; the task that marks the last
one queues `build_export_archive`, which zips the cached PDFs. Nothing runs in the web process,
so a recycled or killed web worker loses nothing. Every step first checks what is already done,
so a step run twice (a retry, a worker restart) does no harm. Services here flush; the task or
the view commits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from app import audit
from app.extensions import db
from app.models import ExportItem, ExportJob, RenderedDocument, User
from app.models.base import utcnow
from app.policy import may
from app.reports.archive import export_filename, zip_documents
from app.reports.bundles import Bundle, UnknownDocument, documents_for
from app.reports.cache import cache_key, cached_pdfs, pdf_for, store_pdf
from app.reports.documents import Document
from app.reports.pdf import render_pdf
from app.reports.settings import setting

ACTIVE = ("queued", "running")
FAILED_MESSAGE = "Something went wrong while building the documents."
UNAVAILABLE_MESSAGE = (
    "A document in the export is no longer available (a plan may have been withdrawn)."
)


class ExportCancelled(Exception):
    """The export this step belongs to was cancelled: the step does nothing."""


# --- small exports, in the request -----------------------------------------------------------


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
    files = [(doc.filename, pdf_for(doc)) for doc in bundle.documents]
    return zip_documents(files, bundle.held_back)


# --- bulk export jobs ------------------------------------------------------------------------


def render_into_cache(doc: Document) -> tuple[str, bytes]:
    """The document's cache key and PDF, rendered and stored when missing. Flushes.

    Rendered in the calling thread with no time limit (not through `pdf_for`'s render thread):
    on the worker nobody is waiting, and a forked worker process must not rely on a thread pool
    its parent may have started.
    """
    key = cache_key(doc)
    pdf = cached_pdfs([key]).get(key)
    if pdf is None:
        pdf = render_pdf(doc.html, title=doc.title, author=doc.author)
        store_pdf(key, doc.kind, pdf, doc=doc)
    return key, pdf


def create_export(user: User, refs: Sequence[str]) -> ExportJob:
    """Record a bulk export and its documents, for the worker to build. Flushes."""
    job = ExportJob(
        user_id=user.id,
        documents=list(refs),
        total=len(refs),
        done=0,
        status="queued",
        filename=export_filename(),
    )
    job.items = [ExportItem(position=i, ref=ref) for i, ref in enumerate(refs)]
    db.session.add(job)
    db.session.flush()
    return job


def _active_job(job_id: int) -> ExportJob | None:
    """The job if it still has work to do; raises ExportCancelled when it was called off."""
    job = db.session.get(ExportJob, job_id)
    if job is not None and job.status == "cancelled":
        raise ExportCancelled(job_id)
    if job is None or job.status not in ACTIVE:
        return None
    return job


def _owner(job: ExportJob) -> User:
    """The person the export is built for, as they may read now (their rights or an interview
    may have changed since they ticked the documents)."""
    owner = db.session.get(User, job.user_id)
    if owner is None or not owner.is_active or not may(owner, "reports.download"):
        raise UnknownDocument("the export's owner may no longer download documents")
    return owner


def begin(job_id: int) -> list[int]:
    """Mark the job running; the positions of the documents still to do. Flushes."""
    job = _active_job(job_id)
    if job is None:
        return []
    job.status = "running"
    job.heartbeat_at = utcnow()
    db.session.flush()
    return list(
        db.session.scalars(
            select(ExportItem.position)
            .where(ExportItem.job_id == job_id, ExportItem.done.is_(False))
            .order_by(ExportItem.position)
        )
    )


def render_item(job_id: int, position: int) -> bool:
    """Render one document of an export into the cache and mark it done; True when that was
    the export's last document. Does nothing for a document already done. Flushes."""
    job = _active_job(job_id)
    if job is None:
        return False
    item = db.session.scalar(
        select(ExportItem).where(ExportItem.job_id == job_id, ExportItem.position == position)
    )
    if item is None or item.done:
        return False
    bundle = documents_for([item.ref], _owner(job))
    found: dict[str, str] = {}
    if bundle.documents:
        doc = bundle.documents[0]
        key, _pdf = render_into_cache(doc)
        found = {"cache_key": key, "filename": doc.filename}
    else:
        found = {"held_back": bundle.held_back[0][:300]}
    # Only the run that flips the item counts it: a second run, even at the same moment on
    # another worker, changes no row and so adds nothing.
    marked = db.session.execute(
        update(ExportItem)
        .where(ExportItem.id == item.id, ExportItem.done.is_(False))
        .values(done=True, **found)
        .execution_options(synchronize_session=False)
    )
    if not getattr(marked, "rowcount", 0):
        return False
    db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(done=ExportJob.done + 1, heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    # Read after the update: its row lock orders the workers, so exactly one sees the end.
    done, total = db.session.execute(
        select(ExportJob.done, ExportJob.total).where(ExportJob.id == job_id)
    ).one()
    return bool(done >= total)


def all_done(job_id: int) -> bool:
    """Whether every document of an active export has been rendered."""
    job = _active_job(job_id)
    return job is not None and job.done >= job.total


def build_archive(job_id: int) -> None:
    """Zip an export's documents from the cache (rendering any evicted since). Flushes."""
    job = _active_job(job_id)
    if job is None:
        return
    items = list(job.items)
    if not all(item.done for item in items):
        return
    owner = _owner(job)
    pdfs = cached_pdfs(item.cache_key for item in items if item.cache_key)
    files: list[tuple[str, bytes]] = []
    held: list[str] = []
    for item in items:
        if item.held_back:
            held.append(item.held_back)
            continue
        pdf = pdfs.get(item.cache_key)
        if pdf is None:  # the cache let it go: build it again
            (doc,) = documents_for([item.ref], owner).documents or (None,)
            if doc is None:
                held.append(item.ref)
                continue
            _key, pdf = render_into_cache(doc)
        files.append((item.filename, pdf))
    job.result = zip_documents(files, held)
    job.done = job.total
    job.status = "done"
    job.finished_at = job.heartbeat_at = utcnow()
    db.session.flush()


def fail_export(job_id: int, message: str) -> None:
    """Stop an active export with a message for its owner. Flushes."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status not in ACTIVE:
        return
    job.status = "failed"
    job.error = message
    job.finished_at = utcnow()
    db.session.flush()


def cancel_export(job: ExportJob, by: User) -> bool:
    """Cancel an export still being built: its remaining document tasks do nothing. Flushes."""
    if job.status not in ACTIVE:
        return False
    job.status = "cancelled"
    job.error = f"Cancelled by {by.name}."
    job.finished_at = utcnow()
    audit.record(
        "reports.export_cancel", f"Background export {job.id} cancelled", obj=job, actor=by
    )
    db.session.flush()
    return True


def job_state(job: ExportJob, now: datetime | None = None) -> str:
    """The job's status, reading an active job that has made no progress for a while as stalled."""
    now = now or utcnow()
    if job.status in ACTIVE:
        stale = timedelta(seconds=float(setting("PDF_EXPORT_STALE_SECONDS")))
        if now - job.heartbeat_at > stale:
            return "stalled"
    return job.status


def resume_stalled(now: datetime | None = None) -> list[int]:
    """Active exports with no progress for PDF_EXPORT_STALE_SECONDS, to start again (a worker
    that was killed takes the tasks it held with it). Touches their heartbeat. Flushes."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=float(setting("PDF_EXPORT_STALE_SECONDS")))
    jobs = list(
        db.session.scalars(
            select(ExportJob).where(ExportJob.status.in_(ACTIVE), ExportJob.heartbeat_at < cutoff)
        )
    )
    for job in jobs:
        job.heartbeat_at = now
    db.session.flush()
    return [job.id for job in jobs]


def purge_old(now: datetime | None = None) -> int:
    """Delete exports (and their ZIPs) older than PDF_EXPORT_KEEP_HOURS. Flushes."""
    cutoff = (now or utcnow()) - timedelta(hours=float(setting("PDF_EXPORT_KEEP_HOURS")))
    result = db.session.execute(
        delete(ExportJob)
        .where(ExportJob.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def active_exports(limit: int = 50) -> list[ExportJob]:
    """Exports being built now, newest first (for the admins' task page)."""
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.status.in_(ACTIVE))
            .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
            .limit(limit)
        )
    )


def wait_for_export(job_id: int, timeout: float = 120.0) -> None:
    """Block until an export has finished one way or another (tests and the benchmark)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(ExportJob, job_id)
        if job is None or job.status not in ACTIVE:
            return
        time.sleep(0.1)
    raise TimeoutError(f"export {job_id} did not finish in {timeout} s")
