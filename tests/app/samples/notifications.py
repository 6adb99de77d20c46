"""URL arguments for the notification and outbox routes (see tests/app/test_route_policy.py)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Notification, OutboxMessage, User

MISSING = 10**6


def _own_notification(user: User | None) -> dict[str, object]:
    found = (
        db.session.scalar(select(Notification.id).where(Notification.user_id == user.id).limit(1))
        if user is not None
        else None
    )
    return {"notification_id": found or MISSING}


def _a_message(user: User | None) -> dict[str, object]:
    found = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(1))
    return {"message_id": found or MISSING}


SAMPLES = {
    "notifications.mark_read": _own_notification,
    "notifications.show_message": _a_message,
    "notifications.show_message_html": _a_message,
    "notifications.retry_message": _a_message,
}
