"""The site icon at the root, where browsers look for it whatever the page links to."""

from __future__ import annotations

from flask import current_app, send_from_directory
from flask.typing import ResponseReturnValue

from app.main import bp
from app.policy import public


@bp.route("/favicon.ico")
@public
def favicon() -> ResponseReturnValue:
    """The icon (the pages link the SVG one; older browsers and feed readers ask for this)."""
    return send_from_directory(
        str(current_app.static_folder),
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=7 * 24 * 3600,
    )
