"""Rendered PDF documents kept for reuse, and bulk export jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.users import User

EXPORT_STATUSES: dict[str, str] = {
    "queued": "Waiting to start",
    "running": "In progress",
    "done": "Ready to download",
    "failed": "Failed",
}


class RenderedDocument(db.Model):  # type: ignore[name-defined,misc]
    """A PDF keyed by the SHA-256 of its final HTML and the renderer version.

    Any change to what a document shows changes its HTML and so its key: a cached PDF can be
    missing but never stale. Shared by every worker process through the database.
    """

    __tablename__ = "rendered_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    size: Mapped[int] = mapped_column(default=0)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class ExportJob(db.Model):  # type: ignore[name-defined,misc]
    """A bulk download of several documents as one ZIP, built in the background.

    Progress lives here so whichever worker serves the progress page can report it.
    """

    __tablename__ = "export_job"
    __table_args__ = (
        CheckConstraint("status IN ('queued','running','done','failed')", name="status_known"),
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
    # Touched at every step: a running job whose heartbeat stops has died with its worker.
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    user: Mapped[User] = relationship()

    @property
    def percent(self) -> int:
        """Share of the documents done, in whole percent."""
        return 100 if not self.total else (100 * self.done) // self.total

    def as_dict(self) -> dict[str, Any]:
        """Plain state, for logs and tests."""
        return {"id": self.id, "status": self.status, "done": self.done, "total": self.total}


__all__ = ["EXPORT_STATUSES", "ExportJob", "RenderedDocument"]
