"""Server-side session records: signing out ends a session for good, wherever the cookie went."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import AuditEvent, UserSession
from app.models.base import utcnow
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser, parse, sign_in

COOKIE = "streamlead_session"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def _copy_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of this browser's session cookie."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def test_a_copied_cookie_stops_working_after_sign_out(app: Flask, browser_as) -> None:
    browser = browser_as("hr")
    thief = _copy_cookie(app, browser.client)
    assert thief.get("/").status_code == 200
    browser.post("/logout")
    response = thief.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert thief.post("/account/password", data={}).status_code == 302


def test_only_a_hash_of_the_session_id_is_stored(app: Flask, browser_as) -> None:
    browser = browser_as("exec")
    with browser.client.session_transaction() as session:
        raw = session["sid"]
    with app.app_context():
        record = db.session.query(UserSession).filter_by(user_id=browser.user.id).one()
        assert len(record.token_hash) == 64 and raw not in record.token_hash
        assert record.ended_at is None and record.ip_address == "127.0.0.1"


def test_sign_out_and_timeout_are_recorded(app: Flask, browser_as) -> None:
    browser = browser_as("exec")
    browser.post("/logout")
    with app.app_context():
        record = db.session.query(UserSession).filter_by(user_id=browser.user.id).one()
        assert record.ended_at is not None and record.ended_reason == "signed out"


def test_account_page_lists_sessions_and_signs_out_the_others(app: Flask, make_user) -> None:
    user = make_user("cpo")
    laptop, phone = app.test_client(), app.test_client()
    assert sign_in_with_agent(laptop, user.email, FIREFOX).status_code == 302
    assert sign_in_with_agent(phone, user.email, SAFARI).status_code == 302
    page = parse(laptop.get("/account/password", headers={"User-Agent": FIREFOX}))
    rows = [r.get_text(" ", strip=True) for r in page.select("#active-sessions ~ table tbody tr")]
    assert len(rows) == 2
    assert any("Firefox on Linux" in r and "This session" in r for r in rows)
    assert any("Safari on iPhone" in r and "This session" not in r for r in rows)
    assert all("127.0.0.1" in r for r in rows)

    response = laptop.post("/account/sessions/end-others", follow_redirects=True)
    assert "Signed out of 1 other session." in response.get_data(as_text=True)
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    page = parse(laptop.get("/account/password"))
    assert len(page.select("#active-sessions ~ table tbody tr")) == 1


def sign_in_with_agent(client: FlaskClient, email: str, agent: str):  # type: ignore[no-untyped-def]
    """Sign in from a browser that names itself."""

    return client.post(
        "/login", data={"email": email, "password": PASSWORD}, headers={"User-Agent": agent}
    )


def test_admin_ends_all_sessions_of_a_person(app: Flask, browser_as, make_user) -> None:
    person = make_user("interviewer")
    first, second = Browser(app.test_client()), Browser(app.test_client())
    sign_in(first.client, person.email)
    sign_in(second.client, person.email)
    admin = browser_as("admin")
    page = admin.get(f"/admin/users/{person.id}")
    assert "Signed in now: 2 sessions" in page.select_one("#sessions").get_text(" ", strip=True)
    response = admin.post(f"/admin/users/{person.id}/end-sessions", follow=True, status=200)
    assert "Ended 2 sessions of" in response.get_data(as_text=True)
    assert first.client.get("/").status_code == 302
    assert second.client.get("/").status_code == 302
    assert admin.client.get("/").status_code == 200
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="user.sessions_ended").one()
        assert event.actor_id == admin.user.id and event.object_id == person.id


def test_only_admins_end_other_peoples_sessions(browser_as, make_user) -> None:
    person = make_user("exec")
    for role in ("cpo", "hr", "exec", "interviewer"):
        assert (
            browser_as(role).client.post(f"/admin/users/{person.id}/end-sessions").status_code
            == 403
        )


def test_last_seen_is_written_at_most_once_a_minute(app: Flask, browser_as) -> None:
    browser = browser_as("hr")

    def last_seen():  # type: ignore[no-untyped-def]
        with app.app_context():
            return (
                db.session.query(UserSession).filter_by(user_id=browser.user.id).one().last_seen_at
            )

    signed_in = last_seen()
    for _ in range(3):
        assert browser.client.get("/").status_code == 200
    assert last_seen() == signed_in
    with app.app_context():
        record = db.session.query(UserSession).filter_by(user_id=browser.user.id).one()
        record.last_seen_at = utcnow() - timedelta(minutes=2)
        db.session.commit()
    browser.client.get("/")
    assert utcnow() - last_seen() < timedelta(seconds=30)


def test_password_change_ends_the_other_records(app: Flask, browser_as) -> None:
    browser = browser_as("cpo")
    other = app.test_client()
    sign_in(other, browser.user.email)
    new = "an entirely different passphrase"
    browser.post(
        "/account/password",
        {
            "current_password": "correct horse battery staple",
            "new_password": new,
            "confirm_password": new,
        },
    )
    with app.app_context():
        live = db.session.query(UserSession).filter_by(user_id=browser.user.id, ended_at=None)
        assert live.count() == 1
