"""Serving PDFs fast and fresh from a cache shared by every worker.

A PDF is stored under the SHA-256 of its audience and final HTML plus the renderer
version (WeasyPrint, options, print stylesheet, fonts): two audiences never share a cached PDF.
The HTML holds everything the document shows, so any change to a plan, a rating or a task gives
a new key and a fresh PDF; an unchanged document is served from the database without rendering.
The table is shared by every worker and pruned by age and count whenever a PDF is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import RenderedDocument
from app.models.base import utcnow
from app.reports.documents import Document
from app.reports.pdf import render_with_limit, renderer_version
from app.reports.settings import setting

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
