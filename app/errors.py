"""Error pages: a clear message, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
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
    413: ("That file is too large", "Files up to 5 MB can be uploaded."),
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


def render_error(code: int, detail: str | None = None) -> ResponseReturnValue:
    """The error page for a status code."""
    title, advice = MESSAGES.get(code, MESSAGES[400])
    return render_template(
        "errors/error.html", code=code, title=title, advice=detail or advice
    ), code


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        from app.saved_input import rescue_after_csrf_failure

        rescued = rescue_after_csrf_failure(error.description)  # stale token from our page
        if rescued is not None:
            return rescued
        return render_error(
            400,
            "This form could not be accepted because your session had ended or the page was "
            "open for too long. Go back, reload the page, and submit again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        return render_error(code if code in MESSAGES else 400)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(500)
