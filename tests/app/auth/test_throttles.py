"""Password guessing is limited per account as well as per address, also behind a proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app import create_app, queue
from app.auth import services as accounts
from app.extensions import db
from app.models import User
from config import TestConfig
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser, parse, sign_in

WRONG = "not the password at all"


def _from(client, address: str, email: str, password: str):  # type: ignore[no-untyped-def]
    """Post the sign-in form from another client address."""
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _message(response) -> str:  # type: ignore[no-untyped-def]
    return parse(response).select_one("main").get_text(" ", strip=True)


def test_ten_wrong_passwords_from_anywhere_lock_the_account(anonymous: Browser, make_user) -> None:
    user = make_user("cpo")
    for n in range(10):
        assert _from(anonymous.client, f"10.0.0.{n}", user.email, WRONG).status_code == 200
    locked = _from(anonymous.client, "10.0.1.1", user.email.upper(), PASSWORD)
    assert locked.status_code == 429
    assert "Too many wrong passwords" in _message(locked)
    # Other accounts are untouched, from the same addresses.
    other = make_user("hr")
    assert _from(anonymous.client, "10.0.0.1", other.email, PASSWORD).status_code == 302


def test_unknown_and_known_emails_are_locked_with_the_same_words(
    anonymous: Browser, make_user
) -> None:
    user = make_user("exec")
    for email in (user.email, "nobody@example.org"):
        for n in range(10):
            _from(anonymous.client, f"10.0.2.{n}", email, WRONG)
    known = _from(anonymous.client, "10.0.3.1", user.email, WRONG)
    unknown = _from(anonymous.client, "10.0.3.1", "nobody@example.org", WRONG)
    assert known.status_code == unknown.status_code == 429
    assert _message(known).replace(user.email, "") == _message(unknown)


def test_a_password_reset_lifts_the_lock(app: Flask, anonymous: Browser, make_user) -> None:
    user = make_user("exec")
    for n in range(10):
        _from(anonymous.client, f"10.0.4.{n}", user.email, WRONG)
    assert sign_in(anonymous.client, user.email).status_code == 429
    with app.test_request_context():
        raw = accounts.issue_token(db.session.get(User, user.id), "reset")
        db.session.commit()
    new = "a freshly chosen long passphrase"
    anonymous.post(f"/account/set-password/{raw}", {"new_password": new, "confirm_password": new})
    assert sign_in(anonymous.client, user.email, new).status_code == 302


def test_current_password_check_is_limited_per_account(app: Flask, browser_as) -> None:
    browser = browser_as("cpo")
    new = "a freshly chosen long passphrase"
    for _ in range(10):
        response = browser.post(
            "/account/password",
            {"current_password": WRONG, "new_password": new, "confirm_password": new},
            status=200,
        )
        assert "Your current password is not correct" in response.get_data(as_text=True)
    locked = browser.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
        status=429,
    )
    assert "Too many wrong passwords" in _message(locked)
    assert sign_in(Browser(app.test_client()).client, browser.user.email).status_code == 429


@pytest.fixture
def proxied_app(app: Flask) -> Iterator[Flask]:
    """The app as deployed behind one reverse proxy, on the same database."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        TRUSTED_PROXIES = 1
        LOGIN_RATE_LIMIT = "3 per minute"

    application = create_app(Config)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    # create_app made this app the one that runs tasks outside a request: give the queue back,
    # or a later task would open a connection on this disposed engine and leave it open.
    queue.configure(app)


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    proxied_app: Flask, make_user
) -> None:
    user = make_user("hr")
    client = proxied_app.test_client()
    codes = [
        client.post(
            "/login",
            data={"email": f"someone{n}@example.org", "password": WRONG},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert codes == [200] * 6, "everyone behind the proxy shares one limit"
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    page = parse(client.get("/account/password", headers={"X-Forwarded-For": "198.51.100.7"}))
    assert "198.51.100.7" in page.select_one("#active-sessions ~ table").get_text()


def test_without_trusted_proxies_forwarded_headers_are_ignored(
    app: Flask, anonymous: Browser
) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [
            anonymous.client.post(
                "/login",
                data={"email": f"someone{n}@example.org", "password": WRONG},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(4)
        ]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert codes == [200, 200, 200, 429]
