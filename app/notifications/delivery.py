"""Sending one outbox message through SMTP with Flask-Mailman, and recording the outcome.

Settings are read from the app's config at each send (not frozen when the app starts), so a
test can point MAIL_SERVER at its own SMTP server.
"""

from __future__ import annotations

import base64
import re
from email.utils import make_msgid
from typing import Any

from flask import current_app
from flask_mailman import EmailMultiAlternatives

from app.extensions import db, mail
from app.models import OutboxMessage
from app.models.base import utcnow

# Statuses a delivery attempt may start from; any other means there is nothing to send.
SENDABLE = frozenset({"queued", "retrying", "failed"})

# Kinds whose link signs someone in: once the email is sent, the stored copy loses the link's
# secret so the outbox (read by admins, kept in backups) holds no working link.
SECRET_LINK_KINDS = frozenset({"account.invite", "account.reset", "stakeholder.invite"})
# Link secrets are `secrets.token_urlsafe(32)`: 43 URL-safe characters in one path segment.
_SECRET = re.compile(r"(/)([A-Za-z0-9_-]{40,})(?=[/?#\s\"'<]|$)")


class DeliveryError(RuntimeError):
    """The mail server did not take the message (the task retries it)."""


def _connection() -> Any:
    config = current_app.config
    return mail.get_connection(
        backend="smtp",
        host=config["MAIL_SERVER"],
        port=int(config.get("MAIL_PORT") or 25),
        username=config.get("MAIL_USERNAME") or None,
        password=config.get("MAIL_PASSWORD") or None,
        use_tls=bool(config.get("MAIL_USE_TLS")),
        use_ssl=bool(config.get("MAIL_USE_SSL")),
        timeout=float(config.get("MAIL_TIMEOUT") or 30),
    )


def build(message: OutboxMessage) -> EmailMultiAlternatives:
    """The email for an outbox message: text part, HTML alternative, attachments."""
    config = current_app.config
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=config["MAIL_DEFAULT_SENDER"],
        to=[message.to_address],
        headers={
            "Message-ID": make_msgid(domain="streamlead"),
            # RFC 3834: no out-of-office replies to an automatic message.
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(message.html_body, "text/html")
    for item in message.attachments or []:
        email.attach(item["filename"], base64.b64decode(item["data_base64"]), item["content_type"])
    return email


def redact_secret_links(text: str) -> str:
    """The text with the secret part of sign-in links removed."""
    return _SECRET.sub(lambda m: m.group(1) + "(removed-once-sent)", text)


def attempt(message: OutboxMessage) -> bool:
    """Send the message once; True when sent. Raises DeliveryError (recorded) when refused.

    Does nothing for a message already sent (or kept, or waiting for the digest): a retried or
    repeated task never sends a message twice.
    """
    if message.status not in SENDABLE:
        return False
    if not current_app.config.get("MAIL_SERVER"):
        message.status = "kept"
        return False
    message.attempts += 1
    try:
        with _connection() as connection:
            sent = connection.send_messages([build(message)])
        if not sent:
            raise DeliveryError("the mail server accepted no recipient")
    except Exception as exc:
        message.status = "retrying"
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        db.session.commit()  # the attempt is recorded even though the task fails
        raise DeliveryError(message.last_error) from exc
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = ""
    if message.kind in SECRET_LINK_KINDS:
        message.text_body = redact_secret_links(message.text_body)
        message.html_body = redact_secret_links(message.html_body)
    return True
