"""The notifications page, the unread count in the header, preferences, and the admins' outbox."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, NotificationPreference, OutboxMessage, User
from app.notifications import mark_done, notify
from app.notifications.digest import send_digests
from tests.fixtures.client import Browser
from tests.fixtures.mail import SMTPServer


def _notify(app: Flask, user_id: int, title: str, **kwargs: Any) -> int:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        kind = kwargs.pop("kind", "interview.assigned")
        values: dict[str, Any] = {
            "title": title,
            "link": "/interviews",
            "template": "notice",
            "context": {"lines": [f"{title}."]},
        }
        values.update(kwargs)
        notification = notify(user, kind, **values)
        assert notification is not None
        db.session.commit()
        return notification.id


def _header_count(page: Any) -> str:
    link = page.select_one(".sl-user__notifications")
    assert link is not None
    return str(link.get_text(" ", strip=True))


def test_unread_first_with_a_count_in_the_header_and_mark_as_read(app: Flask, browser_as) -> None:
    tom: Browser = browser_as("interviewer", name="Tom Okafor")
    assert tom.user is not None
    first = _notify(app, tom.user.id, "You are on the panel for Ada")
    _notify(app, tom.user.id, "You are on the panel for Bea", done_key="interview:2")
    _notify(app, tom.user.id, "You are on the panel for Cy")
    page = tom.get("/")
    assert _header_count(page) == "Notifications 3 unread"
    page = tom.get("/notifications")
    titles = [h.get_text(" ", strip=True) for h in page.select(".sl-notification__title")]
    assert titles == [
        "Unread You are on the panel for Cy",
        "Unread You are on the panel for Bea",
        "Unread You are on the panel for Ada",
    ]
    assert page.find("a", string="You are on the panel for Ada")["href"] == "/interviews"
    # Reading one, and doing another, take them out of unread; they move below the unread one.
    tom.post(f"/notifications/{first}/read")
    with app.app_context():
        mark_done("interview:2")
        db.session.commit()
    page = tom.get("/notifications")
    assert _header_count(page) == "Notifications 1 unread"
    titles = [h.get_text(" ", strip=True) for h in page.select(".sl-notification__title")]
    assert titles[0] == "Unread You are on the panel for Cy"
    assert set(titles[1:]) == {"You are on the panel for Ada", "You are on the panel for Bea"}
    tom.post("/notifications/read-all")
    assert _header_count(tom.get("/notifications")) == "Notifications"


def test_nobody_can_mark_another_persons_notification(app: Flask, browser_as) -> None:
    tom = browser_as("interviewer")
    mei = browser_as("interviewer")
    theirs = _notify(app, tom.user.id, "For Tom only")
    mei.post(f"/notifications/{theirs}/read", status=403)
    mei.post("/notifications/999999/read", status=404)
    with app.app_context():
        notification = db.session.get(Notification, theirs)
        assert notification is not None and notification.unread
    assert "For Tom only" not in mei.get("/notifications").get_text()


def test_mark_as_read_needs_the_csrf_token(app: Flask, browser_as, monkeypatch) -> None:
    tom = browser_as("interviewer")
    theirs = _notify(app, tom.user.id, "Check the token")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = tom.client.post(f"/notifications/{theirs}/read")
    assert response.status_code == 400


def test_preferences_show_only_the_kinds_of_the_role_and_are_respected(
    app: Flask, browser_as
) -> None:
    tom = browser_as("interviewer")
    page = tom.get("/notifications/preferences")
    legends = [legend.get_text(strip=True) for legend in page.select("legend")]
    assert legends == ["You are on an interview panel", "Reminder: your interview is due"]
    tom.post(
        "/notifications/preferences",
        {"kind-interview-assigned": "off", "kind-interview-reminder": "digest"},
    )
    page = tom.get("/notifications/preferences")
    assert (
        page.find("input", attrs={"name": "kind-interview-assigned", "checked": True})["value"]
        == "off"
    )
    _notify(app, tom.user.id, "Panel for Ada")  # email off: in the app only
    _notify(app, tom.user.id, "Interview due", kind="interview.reminder")
    with app.app_context():
        [waiting] = db.session.scalars(select(OutboxMessage)).all()
        assert waiting.status == "digest" and waiting.kind == "interview.reminder"
        assert (
            db.session.scalar(
                select(NotificationPreference.email).where(
                    NotificationPreference.kind == "interview.assigned"
                )
            )
            == "off"
        )
    page = tom.get("/notifications")
    assert "Panel for Ada" in page.get_text() and "Interview due" in page.get_text()


def test_a_bad_preference_is_refused_with_an_error(browser_as) -> None:
    tom = browser_as("interviewer")
    response = tom.post(
        "/notifications/preferences",
        {"kind-interview-assigned": "loud", "kind-interview-reminder": "now"},
        status=400,
    )
    assert b"Not a valid choice" in response.data


def test_the_daily_digest_bundles_each_persons_messages_into_one_email(
    mail_app: Flask, smtp_server: SMTPServer, browser_as
) -> None:
    tom = browser_as("interviewer", name="Tom Okafor")
    tom.post(
        "/notifications/preferences",
        {"kind-interview-assigned": "digest", "kind-interview-reminder": "digest"},
    )
    _notify(mail_app, tom.user.id, "Panel for Ada")
    _notify(mail_app, tom.user.id, "Panel for Bea")
    read = _notify(mail_app, tom.user.id, "Panel for Cy")
    tom.post(f"/notifications/{read}/read")
    assert smtp_server.messages == []
    with mail_app.app_context():
        assert send_digests() == 1
        db.session.commit()
        assert send_digests() == 0  # nothing waits any more
        db.session.commit()
    [email] = smtp_server.messages
    assert email["Subject"] == "Your Streamlead digest: 2 things to look at"
    text = email.get_body(("plain",)).get_content()
    assert "Panel for Ada" in text and "Panel for Bea" in text and "Panel for Cy" not in text
    assert f"{mail_app.config['BASE_URL']}/interviews" in text


def test_the_admin_outbox_lists_reads_and_retries_messages(
    mail_app: Flask, smtp_server: SMTPServer, browser_as
) -> None:
    admin = browser_as("admin")
    smtp_server.refuse_all()
    admin.post(
        "/admin/users/new",
        {"name": "Nia Jones", "email": "nia@example.org", "role": "hr"},
        status=200,
    )
    page = admin.get("/admin/outbox")
    row = page.select_one("tbody tr")
    assert "Failed" in row.get_text() and "nia@example.org" in row.get_text()
    with mail_app.app_context():
        message_id = db.session.scalars(select(OutboxMessage.id)).one()
    page = admin.get(f"/admin/outbox/{message_id}")
    assert page.h1.get_text(strip=True).endswith("set your password")
    assert "451" in page.get_text()
    assert "Hello Nia Jones" in page.select_one("[aria-label='Plain-text part']").get_text()
    html = admin.client.get(f"/admin/outbox/{message_id}/html")
    assert b"Set your password" in html.data
    assert "sandbox" in html.headers["Content-Security-Policy"]
    home = admin.get("/")
    step = home.find("a", string=lambda text: text and "1 email could not be sent" in text)
    assert step is not None and step["href"] == "/admin/outbox?status=failed"
    smtp_server.accept()
    admin.post(f"/admin/outbox/{message_id}/retry")
    assert len(smtp_server.messages) == 1
    page = admin.get("/admin/outbox?status=sent")
    assert "nia@example.org" in page.select_one("tbody").get_text()
    assert "could not be sent" not in admin.get("/").get_text()


def test_without_a_mail_server_the_outbox_says_so(app: Flask, browser_as) -> None:
    admin = browser_as("admin")
    admin.post(
        "/admin/users/new", {"name": "Nia", "email": "nia@example.org", "role": "hr"}, status=200
    )
    page = admin.get("/admin/outbox")
    assert "No mail server is set" in page.get_text()
    assert "Kept, not sent" in page.select_one("tbody").get_text()
    with app.app_context():
        message_id = db.session.scalars(select(OutboxMessage.id)).one()
    response = admin.post(f"/admin/outbox/{message_id}/retry", follow=True, status=200)
    assert b"There is no mail server" in response.data


def test_only_admins_reach_the_outbox(browser_as) -> None:
    for role in ("cpo", "hr", "interviewer", "exec"):
        someone = browser_as(role)
        someone.get("/admin/outbox", status=403)
        someone.get("/admin/outbox/1", status=403)
        someone.post("/admin/outbox/1/retry", status=403)
        someone.get("/notifications", status=200)
