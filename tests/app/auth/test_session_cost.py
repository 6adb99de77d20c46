"""What being signed in costs each request: one indexed read, no write, no new cookie,
while every limit and every way of ending a session still holds on the next request."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import UserSession
from app.models.base import utcnow
from tests.fixtures.client import Browser
from tests.fixtures.queries import count_queries

COOKIE = "streamlead_session"
MISSING = "/no-such-page"  # a 404 page: its own work asks the database nothing


def _session_cookie_set(response) -> bool:  # type: ignore[no-untyped-def]
    return any(h.startswith(f"{COOKIE}=") for h in response.headers.getlist("Set-Cookie"))


def _record(app: Flask, user_id: int) -> UserSession:
    with app.app_context():
        record = db.session.query(UserSession).filter_by(user_id=user_id).one()
        db.session.expunge(record)
        return record


def _set_record_times(app: Flask, user_id: int, **times: object) -> None:
    with app.app_context():
        record = db.session.query(UserSession).filter_by(user_id=user_id).one()
        for name, value in times.items():
            setattr(record, name, value)
        db.session.commit()


def _seen_at(client: FlaskClient) -> int:
    with client.session_transaction() as session:
        return int(session["seen_at"])


def test_a_signed_in_request_checks_its_session_with_one_query_and_writes_nothing(
    app: Flask, browser_as
) -> None:
    browser = browser_as("cpo")
    assert browser.client.get(MISSING).status_code == 404
    with count_queries(app) as statements:
        assert browser.client.get(MISSING).status_code == 404
    assert len(statements) == 1, statements
    assert "user_session" in statements[0] and statements[0].lstrip().upper().startswith("SELECT")


def test_page_views_within_a_minute_do_not_resend_the_cookie(browser_as) -> None:
    browser = browser_as("hr")
    assert browser.client.get("/").status_code == 200  # the first page adds the CSRF token
    for _ in range(3):
        response = browser.client.get("/")
        assert response.status_code == 200
        assert not _session_cookie_set(response)


def test_the_cookie_is_renewed_once_its_last_seen_stamp_is_a_minute_old(browser_as) -> None:
    browser = browser_as("hr")
    with browser.client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 61
    response = browser.client.get("/")
    assert response.status_code == 200 and _session_cookie_set(response)
    assert int(time.time()) - _seen_at(browser.client) <= 1
    # 12 hours from the sign-in at most: renewing the cookie does not stretch the session.
    with browser.client.session_transaction() as session:
        session["login_at"] = int(time.time()) - 12 * 3600 - 1
    assert browser.client.get("/").status_code == 302


def test_a_session_idle_on_the_server_ends_whatever_its_cookie_says(app: Flask, browser_as) -> None:
    browser = browser_as("hr")
    # Last seen 32 minutes ago on the server: past 30 minutes idle plus the minute its
    # last-seen stamp may lag behind.
    _set_record_times(app, browser.user.id, last_seen_at=utcnow() - timedelta(minutes=32))
    response = browser.client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    record = _record(app, browser.user.id)
    assert record.ended_at is not None and record.ended_reason == "timed out"


def test_a_session_recently_seen_on_the_server_stays(app: Flask, browser_as) -> None:
    browser = browser_as("hr")
    _set_record_times(app, browser.user.id, last_seen_at=utcnow() - timedelta(minutes=30))
    assert browser.client.get("/").status_code == 200
    # The request was more than a minute after the stamp, so the stamp moved on.
    assert utcnow() - _record(app, browser.user.id).last_seen_at < timedelta(seconds=30)


def test_a_session_opened_over_12_hours_ago_on_the_server_ends(app: Flask, browser_as) -> None:
    browser = browser_as("cpo")
    _set_record_times(app, browser.user.id, created_at=utcnow() - timedelta(hours=12, minutes=1))
    response = browser.client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert _record(app, browser.user.id).ended_reason == "timed out"


def test_sign_out_and_deactivation_refuse_the_very_next_request(app: Flask, browser_as) -> None:
    signed_out = browser_as("hr")
    assert signed_out.client.get("/").status_code == 200
    signed_out.post("/logout")
    assert signed_out.client.get("/").status_code == 302

    person = browser_as("cpo")
    assert person.client.get("/").status_code == 200  # its stamp is fresh: no write, no cookie
    admin: Browser = browser_as("admin")
    admin.post(f"/admin/users/{person.user.id}/active")
    response = person.client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
