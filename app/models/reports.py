"""Rendered PDF documents (one current PDF per document and audience), and bulk export jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.users import User

EXPORT_STATUSES: dict[str, str] = {
    "queued": "Waiting to start",
    "running": "In progress",
    "done": "Ready to download",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


class RenderedDocument(db.Model):  # type: ignore[name-defined,misc]
    """The current PDF of one document for one audience, and the key of the content it shows.

    One row per (document, audience): a PDF whose content changed is replaced, never kept
    beside the old one. `key` is the SHA-256 of the audience, the final HTML and the renderer
    version, so a row whose key differs from the document's key now is out of date: a cached
    PDF can be out of date but never served stale. Shared by every process through the database.
    """

    __tablename__ = "rendered_document"
    __table_args__ = (UniqueConstraint("ref", "audience", name="uq_rendered_document_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The document: "readiness:5", "plan:12", "shortlist:<stream>:<version>", "guide:<version>".
    ref: Mapped[str] = mapped_column(String(80))
    # Who it was built for ("staff", "exec", "panel", …; hashed when long).
    audience: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    # Readiness reports and plans go with their assessment (deleting a candidate deletes them).
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    size: Mapped[int] = mapped_column(default=0)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class RenderState(db.Model):  # type: ignore[name-defined,misc]
    """What the documents were last brought up to date for: the renderer and organisation
    fingerprint, the date of the last daily sweep. Compared and set in one statement, so only
    one worker starts each re-render."""

    __tablename__ = "render_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ExportJob(db.Model):  # type: ignore[name-defined,misc]
    """A bulk download of several documents as one ZIP, built by the background worker.

    One task renders each document (`ExportItem`), then one builds the archive. Progress lives
    here so whichever web process serves the progress page can report it.
    """

    __tablename__ = "export_job"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued','running','done','failed','cancelled')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    # Document references such as "plan:12" or "readiness:5", in the order asked for.
    documents: Mapped[list[str]] = mapped_column(JSON, default=list)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Touched at every step: a job whose heartbeat stops has lost its tasks (see resume_stalled).
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    user: Mapped[User] = relationship()
    items: Mapped[list[ExportItem]] = relationship(
        back_populates="job",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ExportItem.position",
    )

    @property
    def percent(self) -> int:
        """Share of the documents done, in whole percent."""
        return 100 if not self.total else (100 * self.done) // self.total

    def as_dict(self) -> dict[str, Any]:
        """Plain state, for logs and tests."""
        return {"id": self.id, "status": self.status, "done": self.done, "total": self.total}


class ExportItem(db.Model):  # type: ignore[name-defined,misc]
    """One document of a bulk export: whether its task has finished, and what it found.

    A row per document lets its task mark it done once however often it runs, and lets several
    workers finish documents of the same export at the same time.
    """

    __tablename__ = "export_item"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("export_job.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    # The reference as ticked, such as "plan:12".
    ref: Mapped[str] = mapped_column(String(40))
    done: Mapped[bool] = mapped_column(default=False)
    # Set when done: the cached PDF's key and its name in the ZIP, or why it was held back.
    cache_key: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    held_back: Mapped[str] = mapped_column(String(300), default="")

    job: Mapped[ExportJob] = relationship(back_populates="items")


__all__ = ["EXPORT_STATUSES", "ExportItem", "ExportJob", "RenderState", "RenderedDocument"]
