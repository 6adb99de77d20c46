"""Telling people: a notification in the app and, as each person prefers, an email.

Services flush and never commit. An email is stored in the outbox first (`OutboxMessage`) and
handed to the worker only once the surrounding transaction commits (`after_commit`), so a
rolled-back change sends nothing and no message is lost. Without MAIL_SERVER messages stay in
the outbox as 'kept', where admins can read them.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import Notification, NotificationPreference, OutboxMessage, User
from app.models.base import utcnow
from app.models.users import lower_email
from app.notifications.emails import render_email
from app.notifications.kinds import ALWAYS_EMAILED, KINDS
from app.policy import may

Attachment = tuple[str, bytes, str]


class UnknownKind(ValueError):
    """A kind that is not in app/notifications/kinds.py."""


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UnknownKind(f"unknown notification kind {kind!r}: add it to KINDS")


def email_choice(user: User, kind: str) -> str:
    """How this person gets email of this kind: 'now', 'digest' or 'off'."""
    if kind in ALWAYS_EMAILED:
        return "now"
    choice = db.session.scalar(
        select(NotificationPreference.email).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
        )
    )
    return choice or "now"


def mail_configured() -> bool:
    """Whether there is a mail server to send through (else messages are kept in the outbox)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _encoded(attachments: Sequence[Attachment]) -> list[dict[str, Any]]:
    return [
        {
            "filename": filename,
            "content_type": content_type,
            "data_base64": base64.b64encode(data).decode("ascii"),
        }
        for filename, data, content_type in attachments
    ]


def queue_email(
    address: str,
    kind: str,
    *,
    title: str,
    link: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    recipient: User | None = None,
    notification: Notification | None = None,
    dedupe_key: str | None = None,
    attachments: Sequence[Attachment] = (),
    digest: bool = False,
) -> OutboxMessage:
    """Store one email in the outbox and, when a mail server is set, send it after commit."""
    text, html = render_email(
        template, title=title, link=link, recipient=recipient, context=context
    )
    if digest:
        status = "digest"
    elif mail_configured():
        status = "queued"
    else:
        status = "kept"
    message = OutboxMessage(
        user_id=recipient.id if recipient is not None else None,
        notification_id=notification.id if notification is not None else None,
        to_address=address,
        kind=kind,
        subject=title[:200],
        text_body=text,
        html_body=html,
        attachments=_encoded(attachments),
        status=status,
        attempts=0,
        last_error="",
        dedupe_key=dedupe_key,
    )
    db.session.add(message)
    db.session.flush()
    if status == "queued":
        enqueue_delivery(message)
    return message


def enqueue_delivery(message: OutboxMessage) -> None:
    """Hand the message to the worker once the current transaction commits."""
    from app.notifications.tasks import deliver_message
    from app.queue import after_commit

    after_commit(deliver_message, message.id)


def notify(
    user: User,
    kind: str,
    *,
    title: str,
    link: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    permission: str | None = None,
    obj: object | None = None,
    done_key: str | None = None,
    dedupe_key: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> Notification | None:
    """In-app notification plus (per the user's preferences) an email, delivered by the worker
    after commit."""
    _check_kind(kind)
    if not user.active:
        return None
    if permission is not None and not may(user, permission, obj):
        return None
    if dedupe_key is not None and db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == dedupe_key
        )
    ):
        return None
    notification = Notification(
        user_id=user.id,
        kind=kind,
        title=title[:200],
        link=link[:500],
        done_key=done_key,
        dedupe_key=dedupe_key,
    )
    db.session.add(notification)
    db.session.flush()
    choice = email_choice(user, kind)
    if choice != "off" and user.email:
        queue_email(
            user.email,
            kind,
            title=title,
            link=link,
            template=template,
            context=context,
            recipient=user,
            notification=notification,
            dedupe_key=dedupe_key,
            attachments=attachments,
            digest=choice == "digest",
        )
    return notification


def send_to_address(
    address: str,
    kind: str,
    *,
    title: str,
    link: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    dedupe_key: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage | None:
    """An email only, to someone with no account (stakeholders, issue 18)."""
    _check_kind(kind)
    address = lower_email(address)
    if dedupe_key is not None and db.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.to_address == address, OutboxMessage.dedupe_key == dedupe_key
        )
    ):
        return None
    return queue_email(
        address,
        kind,
        title=title,
        link=link,
        template=template,
        context=context,
        dedupe_key=dedupe_key,
        attachments=attachments,
    )


def mark_done(done_key: str, user: User | None = None) -> int:
    """The thing a notification asked for is done: it leaves "unread" (for that user, or
    everyone)."""
    query = (
        update(Notification)
        .where(Notification.done_key == done_key, Notification.done_at.is_(None))
        .values(done_at=utcnow())
    )
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    result = db.session.execute(query.execution_options(synchronize_session="fetch"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
