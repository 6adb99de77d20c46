"""Keeping what someone typed into a long form when their session ended, to give it back.

Input is kept only when all of these hold (docs/decisions.md, "Issue 12 — Saved input"):
- the form is one of the long forms in `app/long_forms.py` (by endpoint, never by path);
- the person may open that page's object and it exists, as the view itself would decide;
- the POST came from our own page of a session that has ended: on a timeout, the request's
  CSRF token was valid for the session just ended; after a CSRF refusal, the token is
  correctly signed AND belongs to this browser's ended session (or, when a time limit is
  configured, to its live one). Missing, forged or someone else's tokens are never kept;
- what is kept is at most `SAVED_INPUT_MAX_BYTES` (larger input is dropped and the person
  told); fields whose name contains "password" and the CSRF token are never kept.
Kept input is given back once per browser session (a GET never writes), deleted when its
page is saved, and purged after `SAVED_INPUT_KEEP_DAYS` (on every keep and by
`flask saved-input purge`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.long_forms import LONG_FORMS
from app.models import SavedInput, User
from app.models.base import utcnow
from app.policy import may

NOT_KEPT = frozenset({"csrf_token"})
RESTORED_MESSAGE = "We kept what you typed when your session ended. Check it and save."
TOO_LARGE_MESSAGE = (
    "What you typed was too long to keep, so it was not saved. Sign in again and enter it in "
    "smaller steps, saving as you go."
)
# Set in the (otherwise empty) session when a timeout signs someone out, so a form posted
# from a page still open in another tab can be kept for them:
# {"user": id, "at": epoch, "csrf": sha256 of the ended session's CSRF secret}.
ENDED_KEY = "ended_session"
# flask_wtf's reasons (flask_wtf/csrf.py). Only these can come from our own page of a
# session that ended; "missing", "invalid" (bad signature) and referrer failures never can.
EXPIRED = "The CSRF token has expired."
SESSION_GONE = "The CSRF session token is missing."
NOT_THIS_SESSION = "The CSRF tokens do not match."
# Ids of kept input already given back in this browser session (a GET writes no row).
GIVEN_BACK_KEY = "given_back"
GIVEN_BACK_REMEMBERED = 20


class InputTooLarge(ValueError):
    """The input is over the size kept; nothing was kept."""


@dataclass(frozen=True)
class Kept:
    """What became of a POST: the page it goes back to, and whether it was too big to keep."""

    page: str
    too_large: bool = False


def keep_for() -> timedelta:
    """How long kept input is given back."""
    return timedelta(days=float(current_app.config.get("SAVED_INPUT_KEEP_DAYS", 3)))


def max_bytes() -> int:
    """The most kept for one page, in bytes of JSON."""
    return int(current_app.config.get("SAVED_INPUT_MAX_BYTES", 256 * 1024))


def _is_secret(name: str) -> bool:
    return name in NOT_KEPT or "password" in name.casefold()


def purge_expired() -> int:
    """Delete everyone's kept input older than the keeping period; flushes; returns the count."""
    result = db.session.execute(
        delete(SavedInput).where(SavedInput.created_at < utcnow() - keep_for())
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def keep(user_id: int, path: str, formdata: MultiDict[str, str]) -> SavedInput | None:
    """Keep submitted fields (no token, nothing password-like) for this person and page; flushes.

    Replaces anything kept earlier for the same page. Returns None when nothing was typed;
    raises InputTooLarge when over `max_bytes()`.
    """
    data = {key: values for key, values in formdata.lists() if not _is_secret(key)}
    if not any(v for values in data.values() for v in values):
        return None
    if len(json.dumps(data, ensure_ascii=False).encode()) > max_bytes():
        raise InputTooLarge(path)
    purge_expired()
    db.session.execute(
        delete(SavedInput).where(SavedInput.user_id == user_id, SavedInput.path == path)
    )
    row = SavedInput(user_id=user_id, path=path, data=data)
    db.session.add(row)
    db.session.flush()
    return row


def give_back(user_id: int, path: str) -> MultiDict[str, str] | None:
    """The input kept for this person and page, once per browser session; never writes.

    A GET does not write (docs/decisions.md, "Issue 13 — One transaction and conflict
    boundary"): what was given back is remembered in the session, and the row is deleted by
    the page's next save (`discard`) or purged after the keeping period.
    """
    newest = db.session.scalars(
        select(SavedInput)
        .where(SavedInput.user_id == user_id, SavedInput.path == path)
        .order_by(SavedInput.created_at.desc(), SavedInput.id.desc())
        .limit(1)
    ).first()
    if newest is None or newest.created_at < utcnow() - keep_for():
        return None
    given = [i for i in session.get(GIVEN_BACK_KEY, []) if isinstance(i, int)]
    if newest.id in given:
        return None
    session[GIVEN_BACK_KEY] = [*given[-(GIVEN_BACK_REMEMBERED - 1) :], newest.id]
    return MultiDict([(key, value) for key, values in newest.data.items() for value in values])


def discard(user_id: int, path: str) -> None:
    """Delete what was kept for this person and page, in the transaction that saves it; flushes."""
    db.session.execute(
        delete(SavedInput).where(SavedInput.user_id == user_id, SavedInput.path == path)
    )
    db.session.flush()


def _long_form_page(user_id: int) -> str | None:
    """The page of the long form this POST went to, if this person may open its object."""
    rule = request.url_rule
    form = LONG_FORMS.get(rule.endpoint) if rule is not None else None
    if form is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    args = dict(request.view_args or {})
    target = form.load(args)
    if target is None or not all(may(user, p, target) for p in form.permissions):
        return None
    return url_for(form.page, **args)


def keep_request(user_id: int) -> Kept | None:
    """Keep the current POST's input for this person when the rules allow; None when not."""
    if request.method != "POST":
        return None
    page = _long_form_page(user_id)
    if page is None:
        return None
    # URL-encoding at most triples UTF-8 text: a body far past that is not worth parsing.
    if (request.content_length or 0) > 4 * max_bytes():
        return Kept(page, too_large=True)
    try:
        row = keep(user_id, page, request.form)
    except InputTooLarge:
        return Kept(page, too_large=True)
    return Kept(page) if row is not None else None


def _serializer() -> URLSafeTimedSerializer:
    secret: str | bytes = (
        current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key or ""
    )
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token")


def _posted_secret() -> str | None:
    """The session secret inside the posted CSRF token, when its signature is ours (any age)."""
    token = request.form.get("csrf_token")
    if not token:
        return None
    try:
        value = _serializer().loads(token)
    except BadData:
        return None
    return value if isinstance(value, str) else None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _ended_session_secret() -> str | None:
    """The CSRF secret of the session this request arrived with (already cleared by sign-out)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    original = app.session_interface.open_session(app, request)
    value = original.get("csrf_token") if original is not None else None
    return value if isinstance(value, str) else None


def _csrf_passed() -> bool:
    """Whether this request's CSRF token was checked and valid (always, when checks are off)."""
    return not current_app.config.get("WTF_CSRF_ENABLED", True) or bool(g.get("csrf_valid"))


def _sign_in_again(kept: Kept, message: str) -> ResponseReturnValue:
    if kept.too_large:  # nothing was written
        flash(TOO_LARGE_MESSAGE, "error")
    else:
        flash(message, "info")
    return redirect(url_for("auth.login", next=kept.page))


def rescue_after_timeout(user_id: int) -> ResponseReturnValue | None:
    """For a POST that arrived after the session ended: keep its input, send them to sign in.

    Called by the session hook once the session has been ended, which commits what was kept
    (this flushes only); returns None when nothing was kept. Also marks the emptied session
    so forms posted later from other tabs of the same session are kept too.
    """
    secret = _ended_session_secret()
    session[ENDED_KEY] = {
        "user": user_id,
        "at": int(time.time()),
        "csrf": _digest(secret) if secret else "",
    }
    if not _csrf_passed():
        return None
    kept = keep_request(user_id)
    if kept is None:
        return None
    return _sign_in_again(
        kept, "Your session ended for your security. Sign in again: what you typed has been kept."
    )


def _ended_user(secret: str | None) -> int | None:
    """The person whose session timed out in this browser, if the posted token was theirs."""
    marker = session.get(ENDED_KEY)
    if not isinstance(marker, dict) or secret is None:
        return None
    limit = current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    user, at, digest = marker.get("user"), marker.get("at"), marker.get("csrf")
    if not isinstance(user, int) or not isinstance(at, int) or time.time() - at > limit:
        return None
    if not isinstance(digest, str) or not hmac.compare_digest(digest, _digest(secret)):
        return None
    return user


def rescue_after_csrf_failure(reason: str) -> ResponseReturnValue | None:
    """For a POST refused for a stale CSRF token from our own page: keep its input.

    A signed-in person whose token merely expired goes back to the page, which fills the
    form again; a person whose session timed out in this browser signs in first. None when
    the token was missing, forged or not from this browser's session. Flushes only: the
    error handler that calls this commits what was kept.
    """
    secret = _posted_secret()
    if secret is None:
        return None
    if reason == EXPIRED and current_user.is_authenticated:
        own = session.get("csrf_token")
        if not isinstance(own, str) or not hmac.compare_digest(own, secret):
            return None
        kept = keep_request(current_user.id)
        if kept is None:
            return None
        if kept.too_large:  # nothing was written
            flash(TOO_LARGE_MESSAGE, "error")
        return redirect(kept.page)
    if reason not in (SESSION_GONE, NOT_THIS_SESSION) or current_user.is_authenticated:
        return None
    user_id = _ended_user(secret)
    if user_id is None:
        return None
    kept = keep_request(user_id)
    if kept is None:
        return None
    return _sign_in_again(
        kept, "Your session had ended. Sign in again: what you typed has been kept."
    )
