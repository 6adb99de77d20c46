"""A per-account limit on wrong passwords, whichever addresses they come from.

Counters live in the rate limiter's storage (RATELIMIT_STORAGE_URI), like the per-address
limit: with Redis every worker shares them, and no failed guess writes to the database.
Keys are a hash of the normalised email, so unknown emails are counted exactly like known
ones and the storage holds no addresses. A moving window: after ACCOUNT_PASSWORD_LIMIT wrong
passwords, the account is refused until the oldest of them leaves the window.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import MovingWindowSupport
from limits.strategies import MovingWindowRateLimiter, RateLimiter

from app.extensions import limiter

NAMESPACE = "account-password"


def _item() -> RateLimitItem:
    return parse(str(current_app.config["ACCOUNT_PASSWORD_LIMIT"]))


def locked_message() -> str:
    """The same words whether or not the email belongs to anyone."""
    minutes = max(1, round(_item().get_expiry() / 60))
    return (
        "Too many wrong passwords have been tried for this email address. For your security, "
        f"wait {minutes} minutes before trying again, or ask your administrator for a "
        "password reset link."
    )


def _strategy() -> RateLimiter | None:
    if not limiter.enabled:
        return None
    storage = limiter.storage
    if isinstance(storage, MovingWindowSupport):
        return MovingWindowRateLimiter(storage)
    return limiter.limiter


def _key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def is_locked(email: str) -> bool:
    """True while this email has had too many wrong passwords in the window."""
    strategy = _strategy()
    return strategy is not None and not strategy.test(_item(), NAMESPACE, _key(email))


def record_failure(email: str) -> None:
    """Count one wrong password for this email (known or not)."""
    strategy = _strategy()
    if strategy is not None:
        strategy.hit(_item(), NAMESPACE, _key(email))


def clear(email: str) -> None:
    """Forget the wrong passwords for this email (after a sign-in or a password reset)."""
    strategy = _strategy()
    if strategy is not None:
        strategy.clear(_item(), NAMESPACE, _key(email))
