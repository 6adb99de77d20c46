"""Each person's notifications and email preferences; the admins' outbox."""

from __future__ import annotations

from sqlalchemy import case, func, select, update

from app import audit
from app.extensions import db
from app.models import (
    EMAIL_CHOICES,
    OUTBOX_STATUSES,
    Notification,
    NotificationPreference,
    OutboxMessage,
    User,
)
from app.models.base import utcnow
from app.notifications.kinds import choosable_kinds
from app.notifications.services import enqueue_delivery, mail_configured
from app.transactions import DomainError

_UNREAD = Notification.read_at.is_(None) & Notification.done_at.is_(None)


def unread_count(user_id: int) -> int:
    """How many of this person's notifications are neither read nor done (one query)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, _UNREAD)
        )
        or 0
    )


def count_for(user: User) -> int:
    """All this person's notifications."""
    return int(
        db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == user.id)
        )
        or 0
    )


def page_for(user: User, *, offset: int, limit: int) -> list[Notification]:
    """One page of this person's notifications: unread first, newest first within each."""
    unread_first = case((_UNREAD, 0), else_=1)
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(unread_first, Notification.created_at.desc(), Notification.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )


def mark_read(notification: Notification) -> None:
    """The person has read it: it leaves "unread" (done ones stay as they are)."""
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user: User) -> int:
    """Every unread notification of this person is read now; how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, _UNREAD)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def preferences_of(user: User) -> dict[str, str]:
    """kind -> 'now' | 'digest' | 'off' for every kind this person may choose for."""
    rows = db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.email).where(
            NotificationPreference.user_id == user.id
        )
    )
    stored = {str(kind): str(email) for kind, email in rows}
    return {kind: stored.get(kind, "now") for kind, _label in choosable_kinds(user.role)}


def save_preferences(user: User, choices: dict[str, str]) -> None:
    """Store the person's choice for each kind they may choose for (others are ignored)."""
    allowed = {kind for kind, _label in choosable_kinds(user.role)}
    existing = {
        p.kind: p
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for kind, choice in choices.items():
        if kind not in allowed or choice not in EMAIL_CHOICES:
            continue
        if kind in existing:
            existing[kind].email = choice
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, email=choice))
    db.session.flush()


# --- The outbox (admins) -------------------------------------------------------------------


def outbox_counts() -> dict[str, int]:
    """Messages per status."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: int(n) for status, n in rows}


def outbox_page(status: str, *, offset: int, limit: int) -> list[OutboxMessage]:
    """One page of messages, newest first, of one status (unknown status: all)."""
    query = select(OutboxMessage)
    if status in OUTBOX_STATUSES:
        query = query.where(OutboxMessage.status == status)
    return list(
        db.session.scalars(
            query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )


class CannotRetry(DomainError):
    """The message is not one that can be sent again now."""


def retry(message: OutboxMessage) -> None:
    """Send a failed (or kept, once there is a mail server) message again, after commit."""
    if message.status not in ("failed", "kept"):
        raise CannotRetry("Only a failed or kept message can be sent again.")
    if not mail_configured():
        raise CannotRetry("There is no mail server to send through (MAIL_SERVER is not set).")
    message.status = "queued"
    audit.record(
        "outbox.retry", f"Email #{message.id} to {message.to_address} queued again", obj=message
    )
    db.session.flush()
    enqueue_delivery(message)
