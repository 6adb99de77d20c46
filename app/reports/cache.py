"""The shared PDF cache: one current PDF per document and audience, rendered ahead by the worker.

Each row holds a document's PDF for one audience ("staff", "exec", …) and the key of the content
it was rendered from: the SHA-256 of the renderer version, the audience, the PDF metadata and
the final HTML. The HTML holds everything the document shows (and "Data as of" the last change
to it, never the render date), so a row whose key differs from the document's key now is out
of date. A download compares keys: equal is a hit; otherwise the PDF is rendered in the request
and replaces the row, so a download never fails because the worker is behind. The worker keeps
the rows current after every change (app/reports/prerender.py); nothing is pruned by age or
count, and a candidate's readiness reports and plans go when their assessment is deleted.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import RenderedDocument
from app.models.base import utcnow
from app.reports import pdf as pdf_module
from app.reports.documents import Document
from app.reports.settings import setting

log = logging.getLogger(__name__)

# Audiences longer than the column (a shortlist naming many held-back candidates) are hashed.
AUDIENCE_LENGTH = 80
# Which document and audience each recently computed key belongs to, so `store_pdf(key, kind,
# pdf)` callers that hold only the key can still file a PDF under its document.
_KEY_OWNERS: OrderedDict[str, tuple[str, str, str]] = OrderedDict()
_KEY_OWNERS_MAX = 4096
_KEY_OWNERS_LOCK = threading.Lock()  # bulk exports compute keys on their own threads


def cache_key(doc: Document) -> str:
    """SHA-256 over the renderer version, the audience, the PDF metadata and the final HTML."""
    digest = hashlib.sha256()
    for part in (pdf_module.renderer_version(), doc.audience, doc.title, doc.author, doc.html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    key = digest.hexdigest()
    if doc.ref:
        with _KEY_OWNERS_LOCK:
            _KEY_OWNERS[key] = (doc.ref, doc.audience, doc.kind)
            _KEY_OWNERS.move_to_end(key)
            while len(_KEY_OWNERS) > _KEY_OWNERS_MAX:
                _KEY_OWNERS.popitem(last=False)
    return key


def audience_slot(audience: str) -> str:
    """The audience as the cache row stores it (hashed when too long for the column)."""
    if len(audience) <= AUDIENCE_LENGTH:
        return audience
    return "sha256:" + hashlib.sha256(audience.encode("utf-8")).hexdigest()


def current_key(ref: str, audience: str) -> str | None:
    """The key of the content the stored PDF of this document and audience was rendered from."""
    key: str | None = db.session.scalar(
        select(RenderedDocument.key).where(
            RenderedDocument.ref == ref, RenderedDocument.audience == audience_slot(audience)
        )
    )
    return key


def cached_for(doc: Document, key: str) -> bytes | None:
    """The stored PDF of this document and audience if it was rendered from this key."""
    if not doc.ref:
        return cached_pdf(key)
    return stored(doc.ref, doc.audience, key)


def stored(ref: str, audience: str, key: str) -> bytes | None:
    """The stored PDF of this document and audience if it is still the one rendered from key."""
    pdf: bytes | None = db.session.scalar(
        select(RenderedDocument.pdf).where(
            RenderedDocument.ref == ref,
            RenderedDocument.audience == audience_slot(audience),
            RenderedDocument.key == key,
        )
    )
    return pdf


def cached_pdf(key: str) -> bytes | None:
    """A stored PDF rendered from this key, or None."""
    pdf: bytes | None = db.session.scalar(
        select(RenderedDocument.pdf).where(RenderedDocument.key == key).limit(1)
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


def store(doc: Document, key: str, pdf: bytes) -> None:
    """Make this PDF the current one of its document and audience, replacing any older one
    (a concurrent render of the same document may win instead: that is fine). Flushes."""
    if not doc.ref:  # pragma: no cover - every builder names its document
        raise ValueError(f"{doc.title!r} has no document reference to cache it under")
    _upsert(doc.ref, doc.audience, doc.kind, key, pdf)


def store_pdf(key: str, kind: str, pdf: bytes, *, doc: Document | None = None) -> None:
    """Keep a PDF rendered from `key` as the current one of its document and audience.

    Pass `doc`; without it the document is the one whose key this process computed last with
    `cache_key` (a PDF whose document is unknown is not kept). Flushes.
    """
    if doc is not None:
        store(doc, key, pdf)
        return
    with _KEY_OWNERS_LOCK:
        owner = _KEY_OWNERS.get(key)
    if owner is None:
        log.info("Not caching a %s PDF whose document is unknown", kind)
        return
    ref, audience, owner_kind = owner
    _upsert(ref, audience, owner_kind, key, pdf)


def _assessment_of(ref: str) -> int | None:
    """The assessment whose deletion takes this document with it (readiness reports, plans)."""
    kind, _, ident = ref.partition(":")
    if kind == "readiness" and ident.isdigit():
        return int(ident)
    if kind == "plan" and ident.isdigit():
        from app.models import CoachingPlan

        assessment_id: int | None = db.session.scalar(
            select(CoachingPlan.assessment_id).where(CoachingPlan.id == int(ident))
        )
        return assessment_id
    return None


def _upsert(ref: str, audience: str, kind: str, key: str, pdf: bytes) -> None:
    values = {
        "ref": ref,
        "audience": audience_slot(audience),
        "key": key,
        "kind": kind,
        "assessment_id": _assessment_of(ref),
        "rendered_at": utcnow(),
        "size": len(pdf),
        "pdf": pdf,
    }
    changed = {k: values[k] for k in ("key", "kind", "rendered_at", "size", "pdf")}
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(RenderedDocument).values(**values)
    elif dialect == "sqlite":
        statement = sqlite.insert(RenderedDocument).values(**values)
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise NotImplementedError(dialect)
    statement = statement.on_conflict_do_update(index_elements=["ref", "audience"], set_=changed)
    db.session.execute(statement)
    db.session.flush()


def _store_late(app: Flask, doc: Document, key: str, pdf: bytes) -> None:
    """Keep a PDF that finished after its request gave up (runs on the render thread)."""
    with app.app_context():
        try:
            store(doc, key, pdf)
            db.session.commit()
        finally:
            db.session.remove()


def pdf_for(doc: Document) -> bytes:
    """The PDF of a document: the stored one when its content is unchanged, else rendered
    within the time limit and stored as the current one.

    Raises pdf.RenderTimeout when rendering overruns; the render then finishes in the background
    and is stored, so asking again shortly is served at once. Flushes; the caller commits.
    """
    key = cache_key(doc)
    hit = cached_for(doc, key)
    if hit is not None:
        return hit
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pdf = pdf_module.render_with_limit(
        key,
        doc.html,
        title=doc.title,
        author=doc.author,
        timeout=float(setting("PDF_RENDER_TIMEOUT")),
        on_late_result=lambda late: _store_late(app, doc, key, late),
    )
    store(doc, key, pdf)
    return pdf
