"""The admin's home step when emails could not be sent."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, User
from app.steps import NextStep, provides_steps


@provides_steps("admin")
def _failed_emails(user: User) -> list[NextStep]:
    failed = int(
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "failed")
        )
        or 0
    )
    if not failed:
        return []
    emails = "email" if failed == 1 else "emails"
    return [
        NextStep(
            f"{failed} {emails} could not be sent",
            "The mail server refused them after several attempts. Read the error, then send "
            "them again from the outbox.",
            url_for("notifications.outbox", status="failed"),
            urgent=True,
            permission="outbox.retry",
            priority=5,
        )
    ]
