"""Signed-in pages served again from memory while nothing they could show has changed.

A page marked `@cached_page` is kept, per process, under the viewer, their session's CSRF secret
(the page's forms carry tokens made from it), the URL (host and query too), the organisation's
data version and today's date in the organisation's time zone. The data version moves in the
same transaction as every write (app/data_version.py) and is read with the signed-in user in the
request's one query, so a page is served again only while the data it was built from is
unchanged: any write anywhere, by anyone, empties every cache at once. The sign-in, session
limits and security headers still run on every request; the view, its queries and its templates
do not. Things that change with the clock alone (a due date passing, a feedback link expiring)
show within PAGE_CACHE_SECONDS or at midnight. See docs/decisions.md, "Issue 14 — Cached pages".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import TTLCache
from flask import Flask, Response, current_app, g, request, session
from flask.globals import request_ctx
from flask_login import current_user

from app import localtime

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "streamlead_cached_page"
_FLASHES = "_flashes"


def cached_page(view: F) -> F:
    """Mark a page whose HTML depends only on the viewer, the URL, the data and the date.

    Only for pages that show nothing from outside the database (no task-queue state, no files,
    no session records) and that never write on GET."""
    setattr(view, _MARK, True)
    return view


class PageCache:
    """A bounded, thread-safe store that forgets each entry after a while."""

    def __init__(
        self, size: int, seconds: float, getsizeof: Callable[[Any], int] | None = None
    ) -> None:
        """Hold up to `size` entries, or `size` bytes when `getsizeof` measures each."""
        self._pages: TTLCache[Hashable, Any] = TTLCache(
            maxsize=size, ttl=seconds, getsizeof=getsizeof
        )
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """What is kept under this key, if still there."""
        with self._lock:
            return self._pages.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        """Keep this under this key."""
        with self._lock:
            self._pages[key] = value

    def clear(self) -> None:
        """Forget every page."""
        with self._lock:
            self._pages.clear()


def request_key(mark: str = _MARK, *, page: bool = True) -> Hashable | None:
    """This request's key, or None when the answer must be built: not a view marked `mark`, not
    signed in, or no data version yet; for an HTML page also a message waiting to be shown, or
    no CSRF secret yet for its forms (a PDF shows neither)."""
    if request.method != "GET" or not current_user.is_authenticated:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or not getattr(view, mark, False):
        return None
    version = getattr(g.get("live_record"), "data_version", None)
    secret = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if version is None or (page and (not secret or _FLASHES in session)):
        return None
    return (
        current_user.id,
        secret if page else None,
        request.url,
        version,
        localtime.today(),
    )


def _serve_kept() -> Response | None:
    """Answer from the cache when this page, for this viewer, was built at this data version."""
    pages: PageCache | None = current_app.extensions.get("page_cache")
    key = request_key() if pages is not None else None
    if pages is None or key is None:
        return None
    body = pages.get(key)
    if body is None:
        g.page_cache_key = key
        return None
    return Response(body, mimetype="text/html")


def _keep(response: Response) -> Response:
    """Keep a freshly built page that showed no one-off message."""
    key = g.pop("page_cache_key", None)
    if (
        key is not None
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not request_ctx.flashes
        and _FLASHES not in session
    ):
        current_app.extensions["page_cache"].put(key, response.get_data())
    return response


def init_app(app: Flask) -> None:
    """Serve marked pages from the cache (after the session checks, which run first)."""
    budget = int(float(app.config.get("PAGE_CACHE_MB", 0)) * 1024 * 1024)
    if budget <= 0:
        return
    # Bounded by bytes, not pages: a long list's page weighs ten times a home page.
    app.extensions["page_cache"] = PageCache(
        budget, float(app.config["PAGE_CACHE_SECONDS"]), getsizeof=len
    )
    app.before_request(_serve_kept)
    app.after_request(_keep)
