"""Serving PDFs fast and fresh, the download centre's listing, and bulk exports.

Cache: a PDF is stored under the SHA-256 of its audience and final HTML plus the renderer
version (WeasyPrint, options, print stylesheet, fonts): two audiences never share a cached PDF.
The HTML holds everything the document shows, so any change to a plan, a rating or a task gives
a new key and a fresh PDF; an unchanged document is served from the database without rendering.
The table is shared by every worker and pruned by age and count whenever a PDF is stored.

Bulk exports: a few documents that need little rendering are zipped in the request; anything
longer becomes an `ExportJob` run on a background thread, which renders the missing PDFs in a
process pool (one process per core) and records progress in the database so any worker can show
it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Executable, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from app import statements
from app.extensions import db
from app.models import (
    DECISIONS,
    Assessment,
    CoachingPlan,
    ExportJob,
    Interview,
    RenderedDocument,
    RoleDefinition,
    RoleVersion,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.models.roles import version_label
from app.params import parse_id
from app.policy import may
from app.reports import documents
from app.reports.documents import Document
from app.reports.pdf import render_pdf, render_with_limit, renderer_version
from app.statements import prebuilt
from app.transactions import DomainError

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    # Seconds a download waits for a render before answering "try again shortly".
    "PDF_RENDER_TIMEOUT": 20.0,
    # Cached PDFs older than this are pruned (the generation date in each document changes
    # daily anyway, so older entries can no longer be hit).
    "PDF_CACHE_DAYS": 3,
    "PDF_CACHE_MAX_ENTRIES": 2000,
    # A ZIP is built in the request only when it holds at most this many documents and at
    # most PDF_EXPORT_INLINE_RENDERS of them need rendering; anything longer runs as a job.
    "PDF_EXPORT_INLINE_MAX": 10,
    "PDF_EXPORT_INLINE_RENDERS": 2,
    # Processes that render a bulk export (default: one per core).
    "PDF_EXPORT_PROCESSES": 0,
    # A running job whose heartbeat is older than this has died with its worker.
    "PDF_EXPORT_STALE_SECONDS": 300,
    "PDF_EXPORT_KEEP_HOURS": 24,
}


def setting(name: str) -> Any:
    """A reports setting from the app config, or its default."""
    return current_app.config.get(name, DEFAULTS[name])


# --- cache -----------------------------------------------------------------------------------


def cache_key(doc: Document) -> str:
    """SHA-256 over the renderer version, the audience, the PDF metadata and the final HTML."""
    digest = hashlib.sha256()
    for part in (renderer_version(), doc.audience, doc.title, doc.author, doc.html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def cached_pdf(key: str) -> bytes | None:
    """The stored PDF for this key, or None."""
    pdf: bytes | None = db.session.scalar(
        select(RenderedDocument.pdf).where(RenderedDocument.key == key)
    )
    return pdf


def cached_pdfs(keys: Iterable[str]) -> dict[str, bytes]:
    """Stored PDFs for several keys, in one query."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    rows = db.session.execute(
        select(RenderedDocument.key, RenderedDocument.pdf).where(RenderedDocument.key.in_(wanted))
    )
    return {str(row[0]): bytes(row[1]) for row in rows}


def store_pdf(key: str, kind: str, pdf: bytes) -> None:
    """Keep a rendered PDF (another worker may have stored it first: that is fine). Flushes."""
    values = {"key": key, "kind": kind, "pdf": pdf, "size": len(pdf), "created_at": utcnow()}
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(RenderedDocument).values(**values)
        statement = statement.on_conflict_do_nothing(index_elements=["key"])
    elif dialect == "sqlite":
        statement = sqlite.insert(RenderedDocument).values(**values)
        statement = statement.on_conflict_do_nothing(index_elements=["key"])
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        if cached_pdf(key) is not None:
            return
        statement = RenderedDocument.__table__.insert().values(**values)
    db.session.execute(statement)
    prune_cache()


def prune_cache(now: datetime | None = None) -> int:
    """Drop cached PDFs older than PDF_CACHE_DAYS, then the oldest beyond the entry limit."""
    now = now or utcnow()
    cutoff = now - timedelta(days=float(setting("PDF_CACHE_DAYS")))
    removed = _rowcount(
        db.session.execute(delete(RenderedDocument).where(RenderedDocument.created_at < cutoff))
    )
    limit = int(setting("PDF_CACHE_MAX_ENTRIES"))
    count = db.session.scalar(select(func.count()).select_from(RenderedDocument)) or 0
    if count > limit:
        keep = (
            select(RenderedDocument.id)
            .order_by(RenderedDocument.created_at.desc(), RenderedDocument.id.desc())
            .limit(limit)
            .scalar_subquery()
        )
        removed += _rowcount(
            db.session.execute(delete(RenderedDocument).where(RenderedDocument.id.not_in(keep)))
        )
    db.session.flush()
    return removed


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _store_late(app: Flask, key: str, kind: str, pdf: bytes) -> None:
    """Keep a PDF that finished after its request gave up (runs on the render thread)."""
    with app.app_context():
        try:
            store_pdf(key, kind, pdf)
            db.session.commit()
        finally:
            db.session.remove()


def pdf_for(doc: Document) -> bytes:
    """The PDF of a document: from the cache when unchanged, else rendered within the time limit.

    Raises pdf.RenderTimeout when rendering overruns; the render then finishes in the background
    and is cached, so asking again shortly is served at once. Flushes; the caller commits.
    """
    key = cache_key(doc)
    hit = cached_pdf(key)
    if hit is not None:
        return hit
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pdf = render_with_limit(
        key,
        doc.html,
        title=doc.title,
        author=doc.author,
        timeout=float(setting("PDF_RENDER_TIMEOUT")),
        on_late_result=lambda late: _store_late(app, key, doc.kind, late),
    )
    store_pdf(key, doc.kind, pdf)
    return pdf


# --- the download centre's listing -----------------------------------------------------------

# Decisions apply to readiness reports, "in force" and "superseded" to coaching plans.
STATUS_FILTERS: dict[str, str] = {
    "awaiting-decision": "Awaiting decision",
    "selected": "Selected",
    "not-selected": "Not selected",
    "on-hold": "On hold",
    "issued": "Plan in force",
    "superseded": "Plan superseded",
}
KIND_FILTERS: dict[str, str] = {"readiness": "Readiness reports", "plan": "Coaching plans"}


@dataclass(frozen=True)
class Filters:
    """What HR narrowed the download centre to (empty means everything)."""

    kind: str = ""
    stream_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Listed:
    """One downloadable document in the download centre."""

    ref: str
    kind: str
    candidate: str
    stream: str
    role: str
    status: str
    on: date | None
    endpoint: str
    args: dict[str, int]

    @property
    def kind_label(self) -> str:
        """E.g. 'Coaching plan v2'."""
        return documents.KINDS[self.kind]


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


# The download centre reads plain rows, not objects: it lists every document, and loading
# whole assessments, plans and role versions (with their JSON) for a line each is most of the
# page's time. Rows carry a role version's id; its label is read once per request.


@prebuilt
def _labels_statement() -> Executable:
    return (
        select(RoleVersion.id, RoleVersion.name_expression(), RoleVersion.number)
        .join(RoleDefinition, RoleDefinition.id == RoleVersion.definition_id)
        .where(RoleVersion.id.in_(bindparam("ids", expanding=True)))
    )


def _labels(ids: Iterable[int]) -> dict[int, str]:
    """Labels of these role versions, each read from the database once per request: the name
    is inside the version's JSON, which is worth parsing once per version, not once per row."""
    known: dict[int, str] = g.setdefault("role_version_labels", {})
    missing = sorted(set(ids) - known.keys())
    if missing:
        for version_id, name, number in statements.rows(_labels_statement(), ids=missing):
            known[version_id] = version_label(name, number)
    return known


@prebuilt
def _scored_statement(by_stream: bool, decision: str) -> Executable:
    """Scored assessments; `decision` is "" (any), "awaiting" or "decided" (bound value)."""
    latest = (
        select(Interview.assessment_id, func.max(Interview.submitted_at).label("last"))
        .where(Interview.status == "submitted")
        .group_by(Interview.assessment_id)
        .subquery()
    )
    query = (
        select(
            Assessment.id,
            User.name,
            ValueStream.name,
            Assessment.role_version_id,
            Assessment.decision,
            Assessment.decided_at,
            latest.c.last,
        )
        .join(latest, latest.c.assessment_id == Assessment.id)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
    )
    if by_stream:
        query = query.where(Assessment.value_stream_id == bindparam("stream_id"))
    if decision == "awaiting":
        query = query.where(Assessment.decision.is_(None))
    elif decision == "decided":
        query = query.where(Assessment.decision == bindparam("decision"))
    return query


def _scored_assessments(filters: Filters) -> list[Any]:
    """(id, candidate, stream, role version id, decision, decided_at, last submitted)."""
    decision = (
        "awaiting"
        if filters.status == "awaiting-decision"
        else "decided"
        if filters.status in DECISIONS
        else ""
    )
    return statements.rows(
        _scored_statement(bool(filters.stream_id), decision),
        stream_id=filters.stream_id,
        decision=filters.status,
    )


def _report_date(decided_at: datetime | None, last_submitted: datetime | None) -> date | None:
    """The day a readiness report last changed: the decision, else the latest interview."""
    if decided_at is not None:
        return decided_at.date()
    return last_submitted.date() if last_submitted is not None else None


@prebuilt
def _plans_statement(
    by_stream: bool, statuses: tuple[str, ...], date_from: bool, date_to: bool
) -> Executable:
    """Issued and superseded plans, narrowed by the filters that are set (values bound)."""
    query = (
        select(
            CoachingPlan.id,
            CoachingPlan.number,
            CoachingPlan.status,
            CoachingPlan.issued_at,
            User.name,
            ValueStream.name,
            Assessment.role_version_id,
        )
        .join(Assessment, Assessment.id == CoachingPlan.assessment_id)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .where(CoachingPlan.status.in_(statuses))
    )
    if by_stream:
        query = query.where(Assessment.value_stream_id == bindparam("stream_id"))
    if date_from:
        query = query.where(CoachingPlan.issued_at >= bindparam("issued_from"))
    if date_to:
        query = query.where(CoachingPlan.issued_at < bindparam("issued_before"))
    return query


def _issued_plans(filters: Filters) -> list[Any]:
    """(id, number, status, issued_at, candidate, stream, role version id)."""
    statuses = (
        (filters.status,)
        if filters.status in ("issued", "superseded")
        else ("issued", "superseded")
    )
    return statements.rows(
        _plans_statement(
            bool(filters.stream_id), statuses, bool(filters.date_from), bool(filters.date_to)
        ),
        stream_id=filters.stream_id,
        issued_from=_start(filters.date_from) if filters.date_from else None,
        issued_before=_start(filters.date_to + timedelta(days=1)) if filters.date_to else None,
    )


@dataclass(frozen=True)
class _Seat:
    """One interview of the viewer's: all the independence rule reads of a panel."""

    interviewer_id: int
    status: str


@dataclass(frozen=True)
class _PanelSeats:
    """An assessment as the policy's independence rule sees it: the viewer's own seat."""

    interviews: tuple[_Seat, ...]


def _own_seats(viewer: Any) -> dict[int, _PanelSeats]:
    """The viewer's own interviews by assessment id, in one query."""
    rows = db.session.execute(
        select(Interview.assessment_id, Interview.status).where(
            Interview.interviewer_id == viewer.id
        )
    )
    return {int(a_id): _PanelSeats((_Seat(viewer.id, str(status)),)) for a_id, status in rows}


def list_documents(filters: Filters, viewer: Any) -> list[Listed]:
    """Every issued coaching plan and every scored assessment's readiness report, filtered,
    that the viewer may read (no readiness report of a panel they have not yet submitted to).

    Newest first. A fixed number of queries whatever the number of rows.
    """
    rows: list[Listed] = []
    want_reports = filters.kind in ("", "readiness") and filters.status not in (
        "issued",
        "superseded",
    )
    want_plans = filters.kind in ("", "plan") and filters.status in ("", "issued", "superseded")
    reports = _scored_assessments(filters) if want_reports else []
    plans = _issued_plans(filters) if want_plans else []
    labels = _labels([r[3] for r in reports] + [p[6] for p in plans])
    seats = _own_seats(viewer) if reports else {}
    off_panel = _PanelSeats(())
    for a_id, name, stream, version_id, decision, decided_at, last in reports:
        if not may(viewer, "panel.view_input", seats.get(a_id, off_panel)):
            continue
        on = _report_date(decided_at, last)
        if filters.date_from and (on is None or on < filters.date_from):
            continue
        if filters.date_to and (on is None or on > filters.date_to):
            continue
        rows.append(
            Listed(
                ref=f"readiness:{a_id}",
                kind="readiness",
                candidate=name,
                stream=stream or documents.DASH,
                role=labels[version_id],
                status=DECISIONS[decision] if decision else "Awaiting decision",
                on=on,
                endpoint="reports.readiness_pdf",
                args={"assessment_id": a_id},
            )
        )
    for p_id, p_number, status, issued_at, name, stream, version_id in plans:
        rows.append(
            Listed(
                ref=f"plan:{p_id}",
                kind="plan",
                candidate=name,
                stream=stream or documents.DASH,
                role=f"Plan v{p_number} · {labels[version_id]}",
                status="In force" if status == "issued" else "Superseded",
                on=issued_at.date() if issued_at else None,
                endpoint="reports.plan_pdf",
                args={"plan_id": p_id},
            )
        )
    rows.sort(key=lambda r: (r.on or date.min, r.ref), reverse=True)
    return rows


def value_streams() -> list[ValueStream]:
    """Every value stream, by name."""
    return list(db.session.scalars(select(ValueStream).order_by(ValueStream.name)))


@dataclass(frozen=True)
class ShortlistLink:
    """A value stream and role version with candidates: one shortlist to download."""

    stream_id: int
    stream_name: str
    version_id: int
    version_label: str
    candidates: int


@prebuilt
def _shortlists_statement() -> Executable:
    # Count by ids first, then name the few pairs: the role's name is read out of its JSON,
    # which must not happen once per assessment.
    counts = (
        select(
            Assessment.value_stream_id,
            Assessment.role_version_id,
            func.count().label("candidates"),
        )
        .where(Assessment.value_stream_id.is_not(None))
        .group_by(Assessment.value_stream_id, Assessment.role_version_id)
        .subquery()
    )
    return (
        select(
            ValueStream.id,
            ValueStream.name,
            RoleVersion.id,
            RoleVersion.status,
            counts.c.candidates,
        )
        .select_from(counts)
        .join(ValueStream, ValueStream.id == counts.c.value_stream_id)
        .join(RoleVersion, RoleVersion.id == counts.c.role_version_id)
        .order_by(ValueStream.name, RoleVersion.number)
    )


@dataclass(frozen=True)
class _VersionStatus:
    """A role version as the policy's visibility rule sees it."""

    status: str


def shortlists(viewer: Any) -> list[ShortlistLink]:
    """Each (value stream, role version) pair that has assessments, with their number, for
    the role versions the viewer may see (no drafts for HR)."""
    rows = [
        row
        for row in statements.rows(_shortlists_statement())
        if may(viewer, "roles.view", _VersionStatus(str(row[3])))
    ]
    labels = _labels(row[2] for row in rows)
    return [
        ShortlistLink(stream_id, stream, version_id, labels[version_id], candidates)
        for stream_id, stream, version_id, _status, candidates in rows
    ]


@dataclass(frozen=True)
class GuideLink:
    """A published role version whose blank interview guide can be downloaded."""

    version_id: int
    label: str


@prebuilt
def _guides_statement() -> Executable:
    return (
        select(RoleVersion.id)
        .join(RoleDefinition, RoleDefinition.id == RoleVersion.definition_id)
        .where(RoleVersion.status == "published")
        .order_by(RoleDefinition.name, RoleVersion.number.desc())
    )


def guide_versions() -> list[GuideLink]:
    """Published role versions (newest first within each role), for blank interview guides."""
    ids = [row[0] for row in statements.rows(_guides_statement())]
    labels = _labels(ids)
    return [GuideLink(version_id, labels[version_id]) for version_id in ids]


# --- building documents from references ------------------------------------------------------


class UnknownDocument(DomainError):
    """A document reference that names nothing downloadable."""


def parse_ref(ref: str) -> tuple[str, int]:
    """'plan:12' -> ('plan', 12); raises UnknownDocument for anything else."""
    kind, _, raw_id = ref.partition(":")
    number = parse_id(raw_id)
    if kind not in ("plan", "readiness") or number is None:
        raise UnknownDocument(ref)
    return kind, number


@dataclass(frozen=True)
class Bundle:
    """The documents a bulk download holds for its viewer, and those held back from them."""

    documents: list[Document]
    held_back: list[str]


def documents_for(refs: Sequence[str], viewer: Any, *, on: date | None = None) -> Bundle:
    """Build the documents named by references like 'plan:12' and 'readiness:5', in order,
    each for the viewer's audience; what the viewer may not read is held back (named with the
    reason) rather than built.

    Only what the download centre offers: issued or superseded plans and scored assessments.
    Raises UnknownDocument when a reference names anything else.
    """
    parsed = [parse_ref(r) for r in refs]
    plan_ids = [i for kind, i in parsed if kind == "plan"]
    assessment_ids = [i for kind, i in parsed if kind == "readiness"]
    plans = {p.id: p for p in documents.load_plans(plan_ids)} if plan_ids else {}
    assessments: dict[int, Assessment] = {}
    if assessment_ids:
        assessments = {
            a.id: a
            for a in db.session.scalars(
                select(Assessment)
                .where(Assessment.id.in_(assessment_ids))
                .options(*documents.assessment_options())
            )
        }
    profiles = documents.profiles_for(a.candidate_id for a in assessments.values())
    built: list[Document] = []
    held: list[str] = []
    for ref, (kind, ident) in zip(refs, parsed, strict=True):
        if kind == "plan":
            plan = plans.get(ident)
            if plan is None or plan.status == "draft":
                raise UnknownDocument(ref)
            if not may(viewer, "plan.download", plan):
                held.append(f"Coaching plan v{plan.number}: {plan.assessment.candidate.name}")
                continue
            built.append(documents.plan_document(plan, viewer, generated_on=on))
        else:
            assessment = assessments.get(ident)
            if assessment is None or not documents.is_scored(assessment):
                raise UnknownDocument(ref)
            if not documents.may_read_readiness(viewer, assessment):
                held.append(
                    f"Readiness report: {assessment.candidate.name},"
                    f" {assessment.role_version.label} ({documents.HELD_BACK_REASON})"
                )
                continue
            built.append(
                documents.readiness_document(
                    assessment, viewer, profiles.get(assessment.candidate_id), generated_on=on
                )
            )
    return Bundle(built, held)


HELD_BACK_FILE = "held-back.txt"


def held_back_manifest(held: Sequence[str]) -> str:
    """The note a ZIP carries when some ticked documents were left out for its reader."""
    lines = [
        "These documents were ticked but are not in this download, because you may not read",
        "them (yet):",
        "",
        *(f"- {item}" for item in held),
    ]
    return "\n".join(lines) + "\n"


def zip_documents(items: Sequence[tuple[Document, bytes]], held_back: Sequence[str] = ()) -> bytes:
    """One ZIP with each PDF under its own file name (numbered when two would clash), and a
    manifest naming what was held back from this reader, if anything."""
    buffer = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for doc, pdf in items:
            name = doc.filename
            if name in seen:
                seen[name] += 1
                stem, dot, ext = name.rpartition(".")
                name = f"{stem}-{seen[doc.filename]}{dot}{ext}"
            else:
                seen[name] = 1
            archive.writestr(name, pdf)
        if held_back:
            archive.writestr(HELD_BACK_FILE, held_back_manifest(held_back))
    return buffer.getvalue()


def export_filename(on: date | None = None) -> str:
    """E.g. 'streamlead-documents-2026-11-21.zip'."""
    return f"streamlead-documents-{(on or documents.today()).isoformat()}.zip"


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
