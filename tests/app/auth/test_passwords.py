"""Changing passwords and single-use invite/reset links."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.auth import services as accounts
from app.extensions import db
from app.models import AccountToken, User
from app.models.base import utcnow
from tests.fixtures.client import Browser, parse, sign_in

NEW = "a brand new long passphrase"


def test_change_password_checks_current_and_match(browser_as) -> None:
    browser = browser_as("cpo")
    response = browser.post(
        "/account/password",
        {
            "current_password": "wrong one entirely",
            "new_password": NEW,
            "confirm_password": NEW + "x",
        },
        status=200,
    )
    summary = parse(response).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "The two passwords do not match" in summary


def test_change_password_rejects_short_passwords(browser_as) -> None:
    browser = browser_as("cpo")
    response = browser.post(
        "/account/password",
        {
            "current_password": "correct horse battery staple",
            "new_password": "short",
            "confirm_password": "short",
        },
        status=200,
    )
    assert "Password must be between 12 and 128 characters" in response.get_data(as_text=True)


def test_change_password_signs_out_other_sessions(app: Flask, browser_as) -> None:
    first = browser_as("cpo")
    second = Browser(app.test_client())
    sign_in(second.client, first.user.email)
    first.post(
        "/account/password",
        {
            "current_password": "correct horse battery staple",
            "new_password": NEW,
            "confirm_password": NEW,
        },
    )
    assert first.client.get("/").status_code == 200
    assert second.client.get("/").status_code == 302
    assert sign_in(Browser(app.test_client()).client, first.user.email, NEW).status_code == 302


def _issue(app: Flask, user_id: int, purpose: str) -> str:
    with app.test_request_context():
        raw = accounts.issue_token(db.session.get(User, user_id), purpose)
        db.session.commit()
    return raw


def test_invite_link_sets_password_once(app: Flask, anonymous: Browser, make_user) -> None:
    user = make_user("exec", password=None)
    raw = _issue(app, user.id, "invite")
    page = anonymous.get(f"/account/set-password/{raw}")
    assert user.email in page.get_text()
    anonymous.post(f"/account/set-password/{raw}", {"new_password": NEW, "confirm_password": NEW})
    assert anonymous.client.get(f"/account/set-password/{raw}").status_code == 404
    assert sign_in(anonymous.client, user.email, NEW).status_code == 302


def test_a_new_link_cancels_the_old_one(app: Flask, anonymous: Browser, make_user) -> None:
    user = make_user("exec")
    old = _issue(app, user.id, "reset")
    new = _issue(app, user.id, "reset")
    assert anonymous.client.get(f"/account/set-password/{old}").status_code == 404
    assert anonymous.client.get(f"/account/set-password/{new}").status_code == 200


def test_expired_link_is_refused(app: Flask, anonymous: Browser, make_user) -> None:
    user = make_user("exec")
    raw = _issue(app, user.id, "reset")
    with app.app_context():
        token = db.session.query(AccountToken).filter_by(user_id=user.id).one()
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page = anonymous.get(f"/account/set-password/{raw}", status=404)
    assert "This link no longer works" in page.h1.get_text()


def test_token_is_stored_only_as_a_hash(app: Flask, make_user) -> None:
    user = make_user("exec")
    raw = _issue(app, user.id, "invite")
    with app.app_context():
        token = db.session.query(AccountToken).filter_by(user_id=user.id).one()
        assert raw not in token.token_hash and len(token.token_hash) == 64
