"""Signing in and out, rate limits and session lifetime."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from flask import Flask

from app.extensions import db
from app.models import AuditEvent, User
from tests.fixtures.client import Browser, parse, sign_in


def test_login_page_has_labelled_fields(anonymous: Browser) -> None:
    page = anonymous.get("/login")
    assert page.find("label", attrs={"for": "email"}).get_text(strip=True) == "Email address"
    assert page.find("label", attrs={"for": "password"}).get_text(strip=True) == "Password"
    assert page.title.get_text().startswith("Sign in")


def test_signing_in_reaches_the_home_page(anonymous: Browser, make_user) -> None:
    user = make_user("cpo", name="Priya Raman")
    response = sign_in(anonymous.client, user.email.upper())
    assert response.status_code == 302 and response.location == "/"
    page = anonymous.get("/")
    assert "Welcome, Priya Raman" in page.h1.get_text()


def test_wrong_password_and_unknown_email_get_the_same_message(
    anonymous: Browser, make_user
) -> None:
    user = make_user("exec")
    wrong = parse(sign_in(anonymous.client, user.email, "not the password at all"))
    unknown = parse(sign_in(anonymous.client, "nobody@example.org", "not the password at all"))
    for page in (wrong, unknown):
        assert page.title.get_text().startswith("Error: Sign in")
        summary = page.select_one(".govuk-error-summary").get_text(" ", strip=True)
        assert "Enter a correct email address and password" in summary
    assert (
        wrong.select_one(".govuk-error-summary").get_text()
        == unknown.select_one(".govuk-error-summary").get_text()
    )


def test_failed_sign_in_keeps_the_email_but_not_the_password(anonymous: Browser, make_user) -> None:
    user = make_user("exec")
    page = parse(sign_in(anonymous.client, user.email, "wrong password here"))
    assert page.find("input", attrs={"name": "email"})["value"] == user.email
    assert not page.find("input", attrs={"name": "password"}).get("value")


def test_empty_form_lists_both_problems_linked_to_fields(anonymous: Browser) -> None:
    page = parse(anonymous.client.post("/login", data={}))
    links = {a["href"]: a.get_text() for a in page.select(".govuk-error-summary a")}
    assert links == {"#email": "Enter your email address", "#password": "Enter your password"}
    assert (
        page.select_one("#email-error").get_text(" ", strip=True)
        == "Error: Enter your email address"
    )


def test_deactivated_user_cannot_sign_in(anonymous: Browser, make_user) -> None:
    user = make_user("hr", active=False)
    response = sign_in(anonymous.client, user.email)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_failed_and_successful_sign_ins_are_audited(
    app: Flask, anonymous: Browser, make_user
) -> None:
    user = make_user("hr")
    sign_in(anonymous.client, user.email, "wrong password here")
    sign_in(anonymous.client, user.email)
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["auth.login_failed", "auth.login"]


def test_login_is_rate_limited(app: Flask, anonymous: Browser, make_user) -> None:
    user = make_user("exec")
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [
            sign_in(anonymous.client, user.email, "wrong password here").status_code
            for _ in range(4)
        ]
        blocked = sign_in(anonymous.client, user.email)
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert codes == [200, 200, 200, 429]
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)


def test_next_only_follows_local_paths(anonymous: Browser, make_user) -> None:
    user = make_user("admin")
    response = anonymous.client.post(
        "/login?next=https://evil.example/",
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.location == "/"
    anonymous.client.post("/logout")
    response = anonymous.client.post(
        "/login?next=/admin/users",
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.location == "/admin/users"


def test_sign_out_ends_the_session(browser_as) -> None:
    browser = browser_as("exec")
    browser.post("/logout")
    response = browser.client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def _age_session(browser: Browser, *, idle: int = 0, since_login: int = 0) -> None:
    with browser.client.session_transaction() as session:
        now = int(time.time())
        session["seen_at"] = now - idle
        session["login_at"] = now - since_login


def test_session_ends_after_30_minutes_idle(browser_as) -> None:
    browser = browser_as("hr")
    _age_session(browser, idle=29 * 60, since_login=29 * 60)
    assert browser.client.get("/").status_code == 200
    _age_session(browser, idle=31 * 60, since_login=31 * 60)
    response = browser.client.get("/admin/users?x=1")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    page = browser.get("/login?next=/")
    assert "Your session ended for your security" in page.get_text()


def test_session_ends_after_12_hours_however_active(browser_as) -> None:
    browser = browser_as("hr")
    _age_session(browser, idle=10, since_login=12 * 3600 + 5)
    assert browser.client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_lax(anonymous: Browser, make_user) -> None:
    user = make_user("exec")
    response = sign_in(anonymous.client, user.email)
    cookie = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("streamlead_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The cookie lasts as long as the 12-hour maximum (not Flask's 31 days); the server ends
    # idle sessions itself, so it still knows who posted a form after 30 idle minutes and can
    # keep what they typed (app/saved_input.py).
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    hours = (expires - datetime.now(UTC)).total_seconds() / 3600
    assert 11.9 < hours <= 12
    assert not any(h.startswith("remember_token") for h in response.headers.getlist("Set-Cookie"))


def test_user_record_stores_an_argon2id_hash(app: Flask, make_user) -> None:
    user = make_user("exec")
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.password_hash.startswith("$argon2id$")
        assert "correct horse" not in stored.password_hash
