"""The reports settings (PDF rendering ahead, bulk exports) and their defaults."""

from __future__ import annotations

from typing import Any

from flask import current_app

DEFAULTS: dict[str, Any] = {
    # Seconds a download waits for a render before answering "try again shortly".
    "PDF_RENDER_TIMEOUT": 20.0,
    # Render documents on the worker after every change that affects them (tests turn it off
    # except where they check it: each render takes a second or two).
    "PDF_PRERENDER": True,
    # A ZIP is built in the request only when it holds at most this many documents and at
    # most PDF_EXPORT_INLINE_RENDERS of them need rendering; anything longer runs as a job.
    "PDF_EXPORT_INLINE_MAX": 10,
    "PDF_EXPORT_INLINE_RENDERS": 2,
    # An export with no progress for this long is shown as stalled, and the worker starts its
    # remaining steps again (a killed worker takes the tasks it held with it).
    "PDF_EXPORT_STALE_SECONDS": 300,
    "PDF_EXPORT_KEEP_HOURS": 24,
}


def setting(name: str) -> Any:
    """A reports setting from the app config, or its default."""
    return current_app.config.get(name, DEFAULTS[name])
