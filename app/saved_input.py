"""Keeping what someone typed when their session or security token ran out, to give it back.

When a signed-in person's POST arrives after their session ended (idle or absolute timeout)
or with a CSRF token that no longer matches, the request hooks keep the submitted fields as a
`SavedInput` row, keyed by the person and the path of the form page, and send them to sign
in (or straight back to the page). The page's GET handler calls `take()` and fills its form
from the kept input, with `RESTORED_MESSAGE` as a banner.

Conventions, so any area can use it:
- a form posts to its own page's URL (post/redirect/get), or to that URL plus `/autosave`
  (a JavaScript autosave endpoint); both are kept under the page's path;
- POST-only actions with no page to return to (no GET route at the path) are not kept;
- the CSRF token is never kept; kept input is deleted when taken, and ignored after
  `KEEP_FOR`.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import delete, or_, select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.extensions import db
from app.models import SavedInput
from app.models.base import utcnow

KEEP_FOR = timedelta(days=7)
NOT_KEPT = frozenset({"csrf_token"})
AUTOSAVE_SUFFIX = "/autosave"
RESTORED_MESSAGE = "We kept what you typed when your session ended. Check it and save."
# Set in the (otherwise empty) session when a timeout signs someone out, so a form posted
# from a page still open in another tab can be kept for them: {"user": id, "at": epoch}.
ENDED_KEY = "ended_session"


def form_page(path: str) -> str | None:
    """The page a form posted to `path` comes back to, or None when there is no such page."""
    page = path.removesuffix(AUTOSAVE_SUFFIX) if path.endswith(AUTOSAVE_SUFFIX) else path
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(page, method="GET")
    except RequestRedirect:
        return None
    except HTTPException:
        return None
    return page


def keep(user_id: int, path: str, formdata: MultiDict[str, str]) -> SavedInput | None:
    """Keep submitted fields (without the CSRF token) for this person and page; flushes.

    Replaces anything kept earlier for the same page. Returns None when nothing was typed.
    """
    data = {key: values for key, values in formdata.lists() if key not in NOT_KEPT}
    if not any(v for values in data.values() for v in values):
        return None
    db.session.execute(
        delete(SavedInput).where(
            SavedInput.user_id == user_id,
            or_(SavedInput.path == path, SavedInput.created_at < utcnow() - KEEP_FOR),
        )
    )
    row = SavedInput(user_id=user_id, path=path, data=data)
    db.session.add(row)
    db.session.flush()
    return row


def take(user_id: int, path: str) -> MultiDict[str, str] | None:
    """The input kept for this person and page (deleting it), or None; flushes."""
    rows = db.session.scalars(
        select(SavedInput)
        .where(SavedInput.user_id == user_id, SavedInput.path == path)
        .order_by(SavedInput.created_at.desc(), SavedInput.id.desc())
    ).all()
    if not rows:
        return None
    newest = rows[0]
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    if newest.created_at < utcnow() - KEEP_FOR:
        return None
    return MultiDict([(key, value) for key, values in newest.data.items() for value in values])


def keep_request(user_id: int) -> str | None:
    """Keep the current POST's input for this person; returns the page to come back to."""
    if request.method != "POST":
        return None
    page = form_page(request.path)
    if page is None or keep(user_id, page, request.form) is None:
        return None
    return page


def rescue_after_timeout(user_id: int) -> ResponseReturnValue | None:
    """For a POST that arrived after the session ended: keep its input, send them to sign in.

    Called by the session hook once the session has been ended; returns None when there was
    nothing to keep. Also marks the emptied session so forms posted later from other tabs
    are kept too.
    """
    session[ENDED_KEY] = {"user": user_id, "at": int(time.time())}
    page = keep_request(user_id)
    if page is None:
        return None
    db.session.commit()
    flash(
        "Your session ended for your security. Sign in again: what you typed has been kept.", "info"
    )
    return redirect(url_for("auth.login", next=page))


def _ended_user() -> int | None:
    """The person whose session timed out in this browser, recently enough to trust."""
    marker = session.get(ENDED_KEY)
    if not isinstance(marker, dict):
        return None
    limit = current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    user, at = marker.get("user"), marker.get("at")
    if not isinstance(user, int) or not isinstance(at, int) or time.time() - at > limit:
        return None
    return user


def rescue_after_csrf_failure() -> ResponseReturnValue | None:
    """For a POST refused for its CSRF token: keep its input and go back to the page.

    Signed-in people go straight back to the page, which fills the form again; people whose
    session timed out in this browser sign in first. None when the person is unknown.
    """
    if current_user.is_authenticated:
        page = keep_request(current_user.id)
        if page is None:
            return None
        db.session.commit()
        return redirect(page)
    user_id = _ended_user()
    if user_id is None:
        return None
    page = keep_request(user_id)
    if page is None:
        return None
    db.session.commit()
    flash("Your session had ended. Sign in again: what you typed has been kept.", "info")
    return redirect(url_for("auth.login", next=page))
