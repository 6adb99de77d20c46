"""Error pages: a clear message, never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

MESSAGES: dict[int, tuple[str, str]] = {
    400: (
        "Something was wrong with that request",
        "Go back, check what you entered and try again.",
    ),
    403: (
        "You do not have access to this page",
        "Your role does not include this. If you think it should, ask your administrator.",
    ),
    404: ("Page not found", "Check the address, or go back to your home page."),
    405: (
        "That action is not available here",
        "Use the buttons on the page instead of typing the address.",
    ),
    413: ("That was too much to send at once", "Go back and send less: shorten long texts."),
    429: (
        "Too many attempts",
        "For your security, wait a minute before trying again.",
    ),
    500: (
        "Sorry, something went wrong on our side",
        "Nothing you sent was saved. Try again in a moment; "
        "if it keeps happening, tell your administrator.",
    ),
}


CSRF_REFUSED = (
    "This form could not be accepted because your session had ended or the page was "
    "open for too long. Go back, reload the page, and submit again."
)


def render_error(code: int, detail: str | None = None) -> ResponseReturnValue:
    """The error page for a status code."""
    title, advice = MESSAGES.get(code, MESSAGES[400])
    # No unread count in the header: an error page asks the database nothing (it may be the
    # database that failed).
    return render_template(
        "errors/error.html", code=code, title=title, advice=detail or advice, quiet_header=True
    ), code


def _too_large_advice() -> str:
    """Say what the limit is, from the configuration in force."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return MESSAGES[413][1]
    size = f"{limit / (1024 * 1024):.3g} MB"
    return f"A form and its files can send up to {size} at once. Go back and send less."


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        from app.saved_input import rescue_after_csrf_failure

        rescued = rescue_after_csrf_failure(error.description)  # stale token from our page
        if rescued is not None:
            db.session.commit()  # keeps what the POST carried
            return rescued
        return render_error(400, CSRF_REFUSED)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if code == 413:
            return render_error(413, _too_large_advice())
        return render_error(code if code in MESSAGES else 400)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(500)
