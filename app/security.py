"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request
from flask_login import current_user

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_headers(response: Response) -> Response:
    """Deny framing and sniffing, restrict sources, and keep personnel pages out of caches."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure or current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user.is_authenticated and not (
        request.path.startswith("/static/") or request.path == "/favicon.ico"
    ):
        headers["Cache-Control"] = "no-store"
    if _token_in_url():
        # The URL is a credential: keep it out of caches, history stores and Referer headers.
        headers["Cache-Control"] = "no-store"
        headers["Referrer-Policy"] = "no-referrer"
    return response


def _token_in_url() -> bool:
    """True for pages whose URL carries a secret (invite and reset links)."""
    rule = request.url_rule
    return rule is not None and "token" in rule.arguments


def refuse_oversized() -> None:
    """Answer 413 to a body declared larger than MAX_CONTENT_LENGTH before any hook reads it.

    Werkzeug only refuses such a body when something reads the form; checking first means the
    answer does not depend on which hook (session timeout, saved input) happens to run.
    """
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def init_app(app: Flask) -> None:
    """Register the size check (before every other hook) and the header hook."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_oversized)
    app.after_request(add_headers)
