"""Repeat downloads served without building the document again.

Finding a document's stored PDF needs its key, and its key is a hash of the document's HTML, so
every download built the document (queries and templates) even when nothing had changed: ~100 ms
for a shortlist of 250. Each web process therefore remembers, per viewer, URL, data version and
date (as app/page_cache.py keys pages), which stored PDF a download was answered with. While the
data version stands the document cannot have changed, so the same download is answered with
that stored PDF straight away; if the worker has replaced it since, the download is built as
before. See docs/decisions.md, "Issue 14 — Cached pages".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from flask import Flask, Response, current_app, g

from app.page_cache import PageCache, request_key
from app.reports import cache
from app.reports.documents import Document

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "streamlead_repeat_download"
REMEMBERED = 2048  # answers kept per process


class Answered(NamedTuple):
    """The stored PDF a download was answered with."""

    ref: str
    audience: str
    key: str
    filename: str


def repeatable(view: F) -> F:
    """Mark a download whose document depends only on the viewer, the URL, the data and the date."""
    setattr(view, _MARK, True)
    return view


def _remembered() -> PageCache | None:
    memo: PageCache | None = current_app.extensions.get("repeat_downloads")
    return memo


def answer_again(send: Callable[[bytes, str], Response]) -> Response | None:
    """The stored PDF this download was last answered with, if nothing has changed since."""
    memo = _remembered()
    key = request_key(_MARK, page=False) if memo is not None else None
    if memo is None or key is None:
        return None
    answered: Answered | None = memo.get(key)
    if answered is not None:
        pdf = cache.stored(answered.ref, answered.audience, answered.key)
        if pdf is not None:
            return send(pdf, answered.filename)
    g.repeat_download_key = key
    return None


def remember(doc: Document) -> None:
    """Note which stored PDF answered this download (after it was found or rendered)."""
    key = g.pop("repeat_download_key", None)
    memo = _remembered()
    if key is not None and memo is not None and doc.ref:
        memo.put(key, Answered(doc.ref, doc.audience, cache.cache_key(doc), doc.filename))


def init_app(app: Flask) -> None:
    """Remember answered downloads (a few hundred bytes each) while pages are cached."""
    if float(app.config.get("PAGE_CACHE_MB", 0)) > 0:
        app.extensions["repeat_downloads"] = PageCache(
            REMEMBERED, float(app.config["PAGE_CACHE_SECONDS"])
        )
