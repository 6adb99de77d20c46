"""Notifications in the app, the email outbox and each person's email preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

OUTBOX_STATUSES: dict[str, str] = {
    "queued": "Queued",
    "sent": "Sent",
    "retrying": "Waiting to retry",
    "failed": "Failed",
    "kept": "Kept (no mail server)",
    "digest": "Waiting for the daily digest",
    "skipped": "Not sent on its own",
}

# How a person gets email of one kind: at once, bundled in one daily digest, or not at all
# (the notification is still in the app).
EMAIL_CHOICES: dict[str, str] = {
    "now": "Email straight away",
    "digest": "In one daily digest email",
    "off": "No email, in Streamlead only",
}


class Notification(db.Model):  # type: ignore[name-defined,misc]
    """Something one person should know or do, with a link to the page where they do it.

    Unread until they read it or do the thing (`done_key`, see app.notifications.mark_done).
    """

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    # An app path such as "/assessments/3/self"; emails add BASE_URL in front.
    link: Mapped[str] = mapped_column(String(500))
    done_key: Mapped[str | None] = mapped_column(String(120), index=True)
    # Set for reminders and other once-only notices: a second one with the same key is not stored.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def unread(self) -> bool:
        """Neither read nor done."""
        return self.read_at is None and self.done_at is None


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    """One email, stored before it is sent and kept after, so none is lost and admins see each."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued','sent','retrying','failed','kept','digest','skipped')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # [{"filename", "content_type", "data_base64"}]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), index=True)

    @property
    def status_label(self) -> str:
        """The delivery status as people read it."""
        return OUTBOX_STATUSES.get(self.status, self.status)


class NotificationPreference(db.Model):  # type: ignore[name-defined,misc]
    """How one person wants email of one kind; no row means "email straight away"."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        CheckConstraint("email IN ('now','digest','off')", name="email_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(10), default="now")


__all__ = [
    "EMAIL_CHOICES",
    "OUTBOX_STATUSES",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
]
