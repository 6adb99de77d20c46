"""The notifications API other areas call: notify, send_to_address, mark_done."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, NotificationPreference, OutboxMessage, User
from app.notifications import KINDS, mark_done, notify, send_to_address
from app.notifications.services import UnknownKind
from tests.fixtures.builders import UserFactory, count


def _notify(user: User, **kwargs: Any) -> Notification | None:
    values: dict[str, Any] = {
        "title": "Complete your self-assessment",
        "link": "/assessments/3/self",
        "template": "notice",
        "context": {"lines": ["Please complete it by 15 December."], "action": "Start now"},
    }
    values.update(kwargs)
    return notify(user, "self.nominated", **values)


def _user(app: Flask, make_user: UserFactory, role: str = "exec", **kwargs: Any) -> User:
    made = make_user(role, **kwargs)
    user = db.session.get(User, made.id)
    assert user is not None
    return user


def test_notify_stores_a_notification_and_keeps_the_email_without_a_mail_server(
    app_ctx: Flask, make_user: UserFactory
) -> None:
    user = _user(app_ctx, make_user, name="Ada Exec")
    notification = _notify(user, done_key="self:3")
    db.session.commit()
    assert notification is not None and notification.unread
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == "kept"
    assert message.to_address == user.email
    assert message.subject == "Complete your self-assessment"
    assert message.notification_id == notification.id
    assert "Hello Ada Exec" in message.text_body
    assert "http://127.0.0.1:5000/assessments/3/self" in message.text_body
    assert 'href="http://127.0.0.1:5000/assessments/3/self"' in message.html_body
    assert "Example Organisation" in message.html_body
    assert "http://127.0.0.1:5000/notifications/preferences" in message.text_body
    assert "Please complete it by 15 December." in message.text_body
    assert "Start now</a>" in message.html_body
    assert '<html lang="en-GB">' in message.html_body
    assert "<title>Complete your self-assessment</title>" in message.html_body


def test_every_kind_has_a_label() -> None:
    assert all(label.strip() for label in KINDS.values())
    assert {"account.invite", "self.nominated", "stakeholder.invite", "review.failfast"} <= set(
        KINDS
    )


def test_an_unknown_kind_is_refused(app_ctx: Flask, make_user: UserFactory) -> None:
    user = _user(app_ctx, make_user)
    with pytest.raises(UnknownKind):
        notify(user, "no.such.kind", title="x", link="/", template="notice")


def test_nothing_for_someone_the_policy_refuses_or_who_is_inactive(
    app_ctx: Flask, make_user: UserFactory
) -> None:
    interviewer = _user(app_ctx, make_user, "interviewer")
    gone = _user(app_ctx, make_user, active=False)
    assert _notify(interviewer, permission="self.fill") is None
    assert _notify(gone) is None
    db.session.commit()
    assert count(app_ctx, Notification) == 0
    assert count(app_ctx, OutboxMessage) == 0


def test_the_same_dedupe_key_is_stored_once(app_ctx: Flask, make_user: UserFactory) -> None:
    user, other = _user(app_ctx, make_user), _user(app_ctx, make_user)
    assert _notify(user, dedupe_key="self.reminder:3:2026-12-01") is not None
    assert _notify(user, dedupe_key="self.reminder:3:2026-12-01") is None
    assert _notify(other, dedupe_key="self.reminder:3:2026-12-01") is not None
    db.session.commit()
    assert count(app_ctx, Notification) == 2
    assert count(app_ctx, OutboxMessage) == 2


def test_mark_done_takes_notifications_out_of_unread(
    app_ctx: Flask, make_user: UserFactory
) -> None:
    ada, bea = _user(app_ctx, make_user), _user(app_ctx, make_user)
    _notify(ada, done_key="interview:7")
    _notify(bea, done_key="interview:7")
    assert mark_done("interview:7", ada) == 1
    assert mark_done("interview:7", ada) == 0
    assert mark_done("interview:7") == 1
    db.session.commit()
    assert all(not n.unread for n in db.session.scalars(select(Notification)))


def test_email_off_keeps_the_notification_in_the_app_only(
    app_ctx: Flask, make_user: UserFactory
) -> None:
    user = _user(app_ctx, make_user)
    db.session.add(NotificationPreference(user_id=user.id, kind="self.nominated", email="off"))
    assert _notify(user) is not None
    db.session.commit()
    assert count(app_ctx, Notification) == 1
    assert count(app_ctx, OutboxMessage) == 0


def test_send_to_address_emails_someone_without_an_account_once_per_key(app_ctx: Flask) -> None:
    kwargs: dict[str, Any] = {
        "title": "Feedback for Ada",
        "link": "/feedback/abc",
        "template": "notice",
        "context": {"lines": ["Ada asked for your feedback."]},
        "dedupe_key": "stakeholder:1",
    }
    message = send_to_address("Sam@Example.org", "stakeholder.invite", **kwargs)
    assert message is not None and message.to_address == "sam@example.org"
    assert message.user_id is None and "Hello," in message.text_body
    assert "Choose which emails you get" not in message.html_body
    assert send_to_address("sam@example.org", "stakeholder.invite", **kwargs) is None
    db.session.commit()
    assert count(app_ctx, OutboxMessage) == 1


def test_attachments_are_kept_with_the_message(app_ctx: Flask, make_user: UserFactory) -> None:
    user = _user(app_ctx, make_user)
    _notify(user, attachments=[("interview.ics", b"BEGIN:VCALENDAR", "text/calendar")])
    db.session.commit()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.attachments == [
        {
            "filename": "interview.ics",
            "content_type": "text/calendar",
            "data_base64": "QkVHSU46VkNBTEVOREFS",
        }
    ]
