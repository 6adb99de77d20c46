"""Accounts: creating users, signing in, and single-use password links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app import audit
from app.auth import records
from app.extensions import db
from app.models import ROLES, AccountToken, User
from app.models.base import utcnow
from app.passwords import hash_password, needs_rehash, verify_password
from app.transactions import DomainError


class AccountError(DomainError):
    """A request about an account that cannot be carried out, with a message for the user."""


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively: store them trimmed and lower-cased."""
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    """The user with this email, or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, role: str, password: str | None = None) -> User:
    """Create a user; without a password they sign in after following an invite link."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}")
    if user_by_email(email) is not None:
        raise AccountError(f"A user with the email {email} already exists")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", f"Created {email} as {role}", obj=user, new={"role": role})
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, recording the attempt either way."""
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        audit.record(
            "auth.login_failed",
            f"Failed sign-in for {normalise_email(email)[:254]}",
            obj=user,
            actor=user,
        )
        return None
    assert user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record("auth.login", f"{user.email} signed in", obj=user, actor=user)
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password and end the user's other sessions."""
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    records.end_all(user.id, "password changed")
    audit.record("user.password_set", f"Password set for {user.email}", obj=user)


def end_sessions(user: User, reason: str, keep: int | None = None) -> int:
    """End a person's live sessions (all but `keep`), recorded in the audit log."""
    count = records.end_all(user.id, reason, keep=keep)
    audit.record(
        "user.sessions_ended",
        f"Ended {count} session{'' if count == 1 else 's'} of {user.email} ({reason})",
        obj=user,
        new={"ended": count, "reason": reason},
    )
    return count


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: str) -> str:
    """Create a single-use link token (invite or reset); earlier unused ones stop working."""
    ttl: timedelta = current_app.config["INVITE_TTL" if purpose == "invite" else "RESET_TTL"]
    now = utcnow()
    for token in user.tokens:
        if token.used_at is None:
            token.used_at = now
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(user=user, purpose=purpose, token_hash=_hash_token(raw), expires_at=now + ttl)
    )
    db.session.flush()
    audit.record(
        f"user.{purpose}_issued", f"{purpose.title()} link issued for {user.email}", obj=user
    )
    return raw


def valid_token(raw: str) -> AccountToken | None:
    """The unused, unexpired token for this link, or None."""
    token: AccountToken | None = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == _hash_token(raw))
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    if not token.user.active:
        return None
    return token


def redeem_token(token: AccountToken, password: str) -> User:
    """Use a link token to set the password; the link cannot be used again."""
    token.used_at = utcnow()
    set_password(token.user, password)
    return token.user


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate a user; deactivation ends their sessions."""
    if user.active == active:
        return
    user.active = active
    user.session_epoch += 1
    if not active:
        records.end_all(user.id, "deactivated")
    audit.record(
        "user.activate" if active else "user.deactivate",
        f"{'Reactivated' if active else 'Deactivated'} {user.email}",
        obj=user,
        old={"active": not active},
        new={"active": active},
    )


def change_role(user: User, role: str) -> None:
    """Give a user another role, recorded in the audit log."""
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}")
    if role == user.role:
        return
    old = user.role
    user.role = role
    user.session_epoch += 1
    records.end_all(user.id, "role changed")
    audit.record(
        "user.role_change",
        f"{user.email}: {old} to {role}",
        obj=user,
        old={"role": old},
        new={"role": role},
    )
