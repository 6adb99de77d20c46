"""The daily digest: one email per person bundling the messages they asked to get that way.

Each bundled message becomes 'skipped' (it went out inside the digest); one whose
notification was already read or done by then is left out, since there is nothing left to do.
"""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import select

from app.extensions import db
from app.models import Notification, OutboxMessage, User
from app.notifications.emails import PREFERENCES_PATH
from app.notifications.kinds import label
from app.notifications.services import queue_email

DIGEST_KIND = "digest"


def send_digests() -> int:
    """Queue one digest email per person with waiting messages; how many were queued."""
    rows = db.session.execute(
        select(OutboxMessage, Notification)
        .outerjoin(Notification, Notification.id == OutboxMessage.notification_id)
        .where(OutboxMessage.status == "digest")
        .order_by(OutboxMessage.user_id, OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    queued = 0
    for user_id, group in groupby(rows, key=lambda row: row[0].user_id):
        items = []
        for message, notification in group:
            message.status = "skipped"
            if notification is not None and not notification.unread:
                continue
            title = notification.title if notification is not None else message.subject
            link = notification.link if notification is not None else PREFERENCES_PATH
            items.append({"title": title, "link": link, "kind": label(message.kind)})
        user = db.session.get(User, user_id) if user_id is not None else None
        if not items or user is None or not user.active:
            continue
        count = len(items)
        queue_email(
            user.email,
            DIGEST_KIND,
            title=f"Your Streamlead digest: {count} thing{'' if count == 1 else 's'} to look at",
            link="/notifications",
            template="digest",
            context={"items": items},
            recipient=user,
        )
        queued += 1
    db.session.flush()
    return queued
