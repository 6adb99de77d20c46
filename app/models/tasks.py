"""Background task runs, recorded from the queue's signals so admins can see them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

TASK_STATUSES: dict[str, str] = {
    "queued": "Queued",
    "running": "Running",
    "retrying": "Waiting to retry",
    "done": "Done",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


class TaskRun(db.Model):  # type: ignore[name-defined,misc]
    """One background task from the moment it is queued until it ends (all its attempts).

    Written by whichever process sees the task change (the web process queues it, a worker runs
    it), each change in its own short transaction; pruned after TASK_RECORD_KEEP_DAYS.
    """

    __tablename__ = "task_run"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued','running','retrying','done','failed','cancelled')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The queue's own id for the task (a UUID), the same on every attempt.
    task_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        """The status as people read it."""
        return TASK_STATUSES.get(self.status, self.status)


__all__ = ["TASK_STATUSES", "TaskRun"]
