"""The account list: filter by role and status, one page at a time."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import ROLES, User

STATUSES = ("active", "invited", "deactivated")


def _filtered_users(role: str, status: str) -> Select[tuple[User]]:
    query = select(User)
    if role in ROLES:
        query = query.where(User.role == role)
    if status == "active":
        query = query.where(User.active, User.password_hash.is_not(None))
    elif status == "invited":
        query = query.where(User.active, User.password_hash.is_(None))
    elif status == "deactivated":
        query = query.where(User.active.is_(False))
    return query


def count_users(role: str = "", status: str = "") -> int:
    """How many accounts match the filters (unknown role or status: no filter)."""
    query = _filtered_users(role, status)
    return int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def list_users(
    role: str = "", status: str = "", *, offset: int = 0, limit: int | None = None
) -> list[User]:
    """Accounts by name, filtered, optionally one page of them (one query)."""
    query = _filtered_users(role, status).order_by(User.name, User.id).offset(offset).limit(limit)
    return list(db.session.scalars(query))
