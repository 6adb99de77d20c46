"""Session lifetime: 30 minutes idle, 12 hours at most, and sign-in/out bookkeeping.

Each sign-in also has a server-side record (app/auth/records.py) whose random id rides in
the signed cookie; a cookie whose record has ended is treated as signed out.
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from app import saved_input
from app.auth import records
from app.auth.cookie import RememberingCookieSession
from app.extensions import db, login_manager
from app.models import User, UserSession

SESSION_ID_KEY = "sid"


# The cookie's `seen_at` is rewritten at most this often (seconds), so a page view within the
# minute does not re-sign and resend the cookie; the idle limit therefore counts from up to a
# minute before the last request (a session ends early, never late).
SEEN_EVERY = 60


@login_manager.user_loader  # type: ignore[untyped-decorator]
def load_user(identifier: str) -> User | None:
    """Load the session's user unless their epoch moved on or their session record ended.

    One query brings the user and their live record; the full record row loads only when a
    page needs it (`current_record`)."""
    try:
        user_id, epoch = (int(part) for part in identifier.split(":"))
    except ValueError:
        return None
    found = records.find_live(session.get(SESSION_ID_KEY), user_id)
    if found is None:
        return None
    user, live = found
    if user.session_epoch != epoch or not user.active:
        return None
    g.live_record = live
    return user


def current_record() -> UserSession | None:
    """This request's session record, once the signed-in user has been loaded."""
    if "session_record" not in g:
        live: records.LiveRecord | None = g.get("live_record")
        g.session_record = db.session.get(UserSession, live.id) if live is not None else None
    record: UserSession | None = g.session_record
    return record


def start_session(user: User) -> None:
    """Sign the user in with a fresh session (no fixation) and its record; the caller commits."""
    session.clear()
    raw, record = records.open_record(
        user, request.remote_addr or "", request.headers.get("User-Agent", "")
    )
    g.session_record = record
    session[SESSION_ID_KEY] = raw
    login_user(user, remember=False)
    session.permanent = True
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now


def end_session(reason: str = "signed out") -> None:
    """Sign out, end this session's record (the caller commits) and forget the cookie's contents."""
    record = current_record() if current_user.is_authenticated else None
    if record is not None:
        records.end(record, reason)
    g.pop("session_record", None)
    g.pop("live_record", None)
    logout_user()
    session.clear()


def safe_next(target: str | None) -> str | None:
    """Only follow `next` to a path on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def enforce_timeouts() -> ResponseReturnValue | None:
    """End sessions idle past the limit or older than the absolute maximum."""
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    idle_limit: timedelta = current_app.config["SESSION_IDLE_TIMEOUT"]
    absolute_limit: timedelta = current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    idle, absolute = idle_limit.total_seconds(), absolute_limit.total_seconds()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    live: records.LiveRecord | None = g.get("live_record")
    # The record's own times hold the limits server-side too, whatever the cookie says.
    ended_on_server = live is not None and records.past_limits(live, idle_limit, absolute_limit)
    if now - seen_at > idle or now - login_at > absolute or ended_on_server:
        user_id = current_user.id
        end_session("timed out")
        db.session.commit()
        rescued = saved_input.rescue_after_timeout(user_id)  # keeps what a POST carried
        if rescued is not None:
            db.session.commit()  # keeps what the POST carried
            return rescued
        flash("Your session ended for your security. Sign in again to continue.", "info")
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return redirect(url_for("auth.login"))
    if now - seen_at >= SEEN_EVERY:
        session["seen_at"] = now
    # At most one write a minute per session: enough for "last seen", cheap for page views.
    if live is not None and records.touch(live):
        db.session.commit()
    return None


def init_app(app: Flask) -> None:
    """Wire the session checks into every request."""
    app.session_interface = RememberingCookieSession()
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_timeouts)
