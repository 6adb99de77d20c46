"""Email through a real SMTP server on loopback: headers, both parts, links, retries."""

from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from app import queue
from app.extensions import db
from app.models import OutboxMessage
from app.notifications.delivery import DeliveryError
from app.notifications.tasks import deliver_message
from tests.fixtures.client import Browser, parse
from tests.fixtures.mail import SMTPServer


def _parts(message: EmailMessage) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text"
    }


def _invite(browser_as, name: str = "Nia Jones", email: str = "nia.jones@example.org") -> str:  # type: ignore[no-untyped-def]
    response = browser_as("admin").post(
        "/admin/users/new", {"name": name, "email": email, "role": "interviewer"}, status=200
    )
    return str(parse(response).find("input", id="account-link")["value"])


def _messages(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        for message in found:
            db.session.expunge(message)
        return found


def test_an_invite_is_delivered_with_headers_both_parts_and_a_working_link(
    mail_app: Flask, smtp_server: SMTPServer, browser_as
) -> None:
    shown = _invite(browser_as)
    [email] = smtp_server.messages
    assert email["To"] == "nia.jones@example.org"
    assert email["From"] == "Streamlead <streamlead@localhost>"
    assert email["Subject"] == "Your Streamlead account at Example Organisation: set your password"
    assert email["Auto-Submitted"] == "auto-generated"
    parts = _parts(email)
    assert set(parts) == {"text/plain", "text/html"}
    assert "Hello Nia Jones," in parts["text/plain"]
    assert "expires in 7 days" in parts["text/plain"]
    assert f'href="{shown}"' in parts["text/html"]
    assert shown in parts["text/plain"]  # the same link is still shown on screen
    base = mail_app.config["BASE_URL"]
    assert shown.startswith(f"{base}/account/set-password/")
    # The link works: the set-password page opens for the newcomer.
    newcomer = Browser(mail_app.test_client())
    page = newcomer.get(urlsplit(shown).path)
    assert page.title is not None and "Choose your password" in page.title.get_text()
    assert page.find("input", attrs={"name": "new_password"}) is not None
    [stored] = _messages(mail_app)
    assert stored.status == "sent" and stored.sent_at is not None and stored.attempts == 1
    assert stored.kind == "account.invite"
    # The stored copy no longer holds a working link.
    assert urlsplit(shown).path not in stored.text_body + stored.html_body


@pytest.fixture
def worker_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The immediate queue never runs a delayed retry, so it treats each first failure as the
    last. Here the queued attempt is not the last: the test makes the worker's retry itself
    (`call_local`, which is the last)."""
    monkeypatch.setattr(queue, "final_attempt", lambda task: task is None)


def test_a_refused_message_is_retried_then_sent(
    mail_app: Flask, smtp_server: SMTPServer, browser_as, worker_retries: None
) -> None:
    smtp_server.refuse_next(1)
    _invite(browser_as)
    assert smtp_server.messages == [] and smtp_server.refused == 1
    [stored] = _messages(mail_app)
    assert stored.status == "retrying" and stored.attempts == 1
    assert "451" in stored.last_error and stored.status_label == "Waiting to retry"
    assert deliver_message.call_local(stored.id) is True  # the worker's retry
    [stored] = _messages(mail_app)
    assert stored.status == "sent" and stored.attempts == 2 and stored.last_error == ""
    assert deliver_message.call_local(stored.id) is False  # a repeated task sends nothing
    assert len(smtp_server.messages) == 1


def test_after_the_last_attempt_the_message_is_failed_and_kept(
    mail_app: Flask, smtp_server: SMTPServer, browser_as, worker_retries: None
) -> None:
    smtp_server.refuse_all()
    _invite(browser_as)
    [stored] = _messages(mail_app)
    assert stored.status == "retrying"
    with pytest.raises(DeliveryError):
        deliver_message.call_local(stored.id)  # the last attempt
    [stored] = _messages(mail_app)
    assert stored.status == "failed" and stored.attempts == 2
    assert "451" in stored.last_error
    assert "Set your password" in stored.html_body  # nothing lost: the message is all there
    assert smtp_server.messages == []


def test_email_tasks_retry_with_back_off() -> None:
    task = deliver_message.s(1)
    assert (task.retries, task.retry_delay, task.retry_backoff) == (5, 60, 2)


def test_without_a_mail_server_the_invite_is_kept_in_the_outbox(app: Flask, browser_as) -> None:
    shown = _invite(browser_as)
    [stored] = _messages(app)
    assert stored.status == "kept" and stored.attempts == 0
    assert shown in stored.text_body
