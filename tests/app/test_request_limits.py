"""Oversized requests are refused with 413 before anything reads or stores them."""

from __future__ import annotations

import time

from flask import Flask

from app.extensions import db
from app.models import AuditEvent, SavedInput
from tests.fixtures.client import Browser, parse

FIFTY_MB = 50 * 1024 * 1024


def _audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.query(AuditEvent)]


def test_a_50_mb_sign_in_is_refused_unread(app: Flask, anonymous: Browser, make_user) -> None:
    user = make_user("exec")
    body = b"email=" + user.email.encode() + b"&password=" + b"x" * FIFTY_MB
    before = _audit_actions(app)
    response = anonymous.client.post(
        "/login", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    page = parse(response)
    assert "too much to send" in page.h1.get_text()
    assert "up to 5 MB" in page.get_text()
    assert _audit_actions(app) == before, "the form was parsed and a sign-in attempted"


def test_a_50_mb_upload_is_refused(anonymous: Browser) -> None:
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\n'
        + b"x" * FIFTY_MB
        + b"\r\n--b--\r\n"
    )
    response = anonymous.client.post(
        "/login", data=body, content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 413


def test_a_50_mb_post_on_a_signed_in_page_is_refused(app: Flask, browser_as) -> None:
    browser = browser_as("cpo")
    body = b"current_password=" + b"x" * FIFTY_MB
    response = browser.client.post(
        "/account/password", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "too much to send" in parse(response).h1.get_text()


def test_a_50_mb_post_after_a_timeout_is_not_kept(app: Flask, browser_as) -> None:
    browser = browser_as("exec")
    with browser.client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 3600
    body = b"title=" + b"x" * FIFTY_MB
    response = browser.client.post(
        "/account/password", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    with app.app_context():
        assert db.session.query(SavedInput).count() == 0


def test_too_many_form_fields_are_refused(anonymous: Browser) -> None:
    multipart = "".join(
        f'--b\r\nContent-Disposition: form-data; name="f{n}"\r\n\r\n1\r\n' for n in range(5000)
    )
    response = anonymous.client.post(
        "/login", data=multipart + "--b--\r\n", content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 413


def test_one_oversized_text_field_is_refused(anonymous: Browser) -> None:
    part = '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n' + "x" * (1024 * 1024)
    response = anonymous.client.post(
        "/login", data=part + "\r\n--b--\r\n", content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 413
