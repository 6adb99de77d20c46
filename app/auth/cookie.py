"""The signed session cookie, verified and decoded once per process for each distinct cookie.

A browser sends the same cookie with every request until its contents change (at most once a
minute, see app/auth/session.py), and checking its signature and unpacking it is a fifth of
what being signed in costs a request. This keeps Flask's signed cookie exactly as it is and
remembers what the last verified cookies said, with the time each was signed, so a repeat is
a dictionary look-up; the lifetime check is made on every request all the same. Nothing a
person could send gets in without passing Flask's own check first.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

# How many decoded cookies a process remembers (a few hundred bytes each).
REMEMBER = 1024
_SHAREABLE = (str, int, float, bool, type(None))


class RememberingCookieSession(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, remembering the decoded contents of verified cookies."""

    def __init__(self) -> None:
        # cookie -> (secret key it was checked with, time it was signed, its contents)
        self._verified: dict[str, tuple[Any, int, dict[str, Any]]] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The request's session: from memory for a cookie verified before, else as Flask does."""
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._verified.get(value)
        if known is not None and known[0] == app.secret_key:
            age = int(time.time()) - known[1]
            if age < 0 or age > max_age:
                return self.session_class()
            return self.session_class(known[2])
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        # Only flat contents are shared between requests: each request gets its own copy.
        if isinstance(data, dict) and all(isinstance(v, _SHAREABLE) for v in data.values()):
            if len(self._verified) >= REMEMBER:
                del self._verified[next(iter(self._verified))]
            self._verified[value] = (app.secret_key, int(signed_at.timestamp()), data)
        return self.session_class(data)
