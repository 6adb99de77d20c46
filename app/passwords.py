"""Password hashing with argon2id, tuned from configuration."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn refuses longer input (its matching grows quickly); the first 72 characters decide.
ESTIMATE_LENGTH = 72


def init_app(app: Flask) -> None:
    """Build the app's hasher from its configuration."""
    app.extensions["password_hasher"] = PasswordHasher(
        time_cost=app.config["ARGON2_TIME_COST"],
        memory_cost=app.config["ARGON2_MEMORY_COST"],
        parallelism=app.config["ARGON2_PARALLELISM"],
    )


def _hasher() -> PasswordHasher:
    hasher: PasswordHasher = current_app.extensions["password_hasher"]
    return hasher


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, still spend the time so timing reveals nothing."""
    hasher = _hasher()
    if not stored_hash:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the stored hash used weaker parameters than today's."""
    return _hasher().check_needs_rehash(stored_hash)


def weakness(password: str, related: tuple[str, ...] = ()) -> str | None:
    """Why this password is too easy to guess (zxcvbn estimate), or None when it is strong enough.

    `related` are words an attacker would try first for this person: their email, name, the
    organisation's name.
    """
    from zxcvbn import zxcvbn

    words = [word for text in related for word in text.replace("@", " ").split() if word]
    result = zxcvbn(password[:ESTIMATE_LENGTH], user_inputs=words)
    if result["score"] >= current_app.config["PASSWORD_MIN_SCORE"]:
        return None
    warning = str(result["feedback"].get("warning") or "").strip()
    reason = f" ({warning.rstrip('.').lower()})" if warning else ""
    return f"is too easy to guess{reason}. Choose a longer one: a few unrelated words work well"
