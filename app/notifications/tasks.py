"""The worker's email tasks: deliver one outbox message (with retries), and the daily digest."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.queue import crontab, periodic_task, task

log = logging.getLogger(__name__)

# Mail servers refuse for a while (greylisting, a restart): 5 more attempts, 1, 2, 4, 8 and 16
# minutes apart, about half an hour in all, before the message is marked failed for an admin.
EMAIL_RETRY = {"retries": 5, "retry_delay": 60, "retry_backoff": 2}


def _mark_failed(message_id: int) -> None:
    """After the last attempt: failed, still in the outbox, for an admin to retry."""
    message = db.session.get(OutboxMessage, message_id)
    if message is not None and message.status == "retrying":
        message.status = "failed"


@task(description="Send email #{0}", on_failure=_mark_failed, **EMAIL_RETRY)
def deliver_message(message_id: int) -> bool:
    """Send one outbox message (idempotent: a message already sent is not sent again)."""
    from app.notifications.delivery import attempt

    # On PostgreSQL the row stays locked while it is sent, so two workers never both send it.
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
    )
    if message is None:
        return False
    return attempt(message)


@periodic_task(crontab(minute="0", hour="7"), description="Send the daily digest emails")
def send_digests() -> int:
    """Bundle each person's waiting 'digest' messages into one email (daily, 07:00 UTC)."""
    from app.notifications.digest import send_digests as bundle

    count = bundle()
    log.info("Queued %d digest email(s)", count)
    return count
