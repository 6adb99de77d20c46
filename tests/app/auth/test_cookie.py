"""Remembered session cookies: only verified ones, and only for as long as a cookie lives."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from app.auth import cookie
from app.auth.cookie import RememberingCookieSession

COOKIE = "streamlead_session"


def _open(app: Flask, interface: RememberingCookieSession, value: str) -> dict[str, object]:
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={value}"}) as context:
        session = interface.open_session(app, context.request)
        assert session is not None
        return dict(session)


def _signed(app: Flask, data: dict[str, object]) -> str:
    serializer = RememberingCookieSession().get_signing_serializer(app)
    assert serializer is not None
    return str(serializer.dumps(data))


def test_a_remembered_cookie_still_expires_with_its_lifetime(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    interface = RememberingCookieSession()
    value = _signed(app, {"sid": "abc", "seen_at": 1})
    assert _open(app, interface, value) == {"sid": "abc", "seen_at": 1}
    assert _open(app, interface, value) == {"sid": "abc", "seen_at": 1}  # from memory
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(cookie.time, "time", lambda: later)
    assert _open(app, interface, value) == {}


def test_a_changed_cookie_is_checked_afresh_and_refused(app: Flask) -> None:
    interface = RememberingCookieSession()
    value = _signed(app, {"sid": "abc"})
    assert _open(app, interface, value) == {"sid": "abc"}
    forged = _signed(app, {"sid": "abc"}).replace(".", ".x", 1)
    assert _open(app, interface, forged) == {}


def test_each_request_gets_its_own_copy(app: Flask) -> None:
    interface = RememberingCookieSession()
    value = _signed(app, {"sid": "abc"})
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={value}"}) as context:
        first = interface.open_session(app, context.request)
        assert first is not None
        first["sid"] = "changed"
    assert _open(app, interface, value) == {"sid": "abc"}
