"""Server-side session records: one per sign-in, so a session can be ended for good.

The signed cookie carries a random session id; the database keeps only its SHA-256 hash.
A cookie whose record is missing or ended is treated as signed out, so a copy of the cookie
is worthless once its owner signs out, signs out other sessions, or an admin ends them.
Services here flush and never commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from app.extensions import db
from app.models import DataVersion, User, UserSession
from app.models.base import utcnow

# last_seen_at is written at most this often, so a burst of page views is not a burst of writes.
TOUCH_EVERY = timedelta(minutes=1)
# Ended records (address and browser are personal data) are deleted after this long, unless
# SESSION_RECORD_KEEP_DAYS says otherwise.
KEEP_ENDED_FOR = timedelta(days=30)
USER_AGENT_MAX = 200


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open_record(user: User, ip_address: str, user_agent: str) -> tuple[str, UserSession]:
    """Start a record for a new sign-in; returns the raw id for the cookie and the record."""
    raw = secrets.token_urlsafe(32)
    record = UserSession(
        user_id=user.id,
        token_hash=_hash(raw),
        ip_address=(ip_address or "")[:45],
        user_agent=(user_agent or "")[:USER_AGENT_MAX],
    )
    db.session.add(record)
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.ended_at < utcnow() - keep_ended_for()
        )
    )
    db.session.flush()
    return raw, record


def keep_ended_for() -> timedelta:
    """How long a session's record is kept after it ended (SESSION_RECORD_KEEP_DAYS)."""
    days = current_app.config.get("SESSION_RECORD_KEEP_DAYS")
    return KEEP_ENDED_FOR if days is None else timedelta(days=float(days))


def purge_ended(now: datetime | None = None) -> int:
    """Delete records of sessions that ended more than the keeping period ago: signed out or
    ended by an admin, or simply expired (unused since then, past the absolute limit too).
    Flushes; returns how many went."""
    now = now or utcnow()
    cutoff = now - keep_ended_for()
    # An unended record is dead once unused for longer than any session can last.
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    expired = now - max(keep_ended_for(), absolute)
    result = db.session.execute(
        delete(UserSession)
        .where(
            or_(
                UserSession.ended_at < cutoff,
                UserSession.ended_at.is_(None) & (UserSession.last_seen_at < expired),
            )
        )
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class LiveRecord:
    """What each request needs of its live session record (the full row loads only on demand)."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    # The organisation's data version as this request began (app/page_cache.py keys by it):
    # read in the same query, so a cached page costs no round trip of its own.
    data_version: int | None = None


# Built once: the request's one query, the user's columns and their unended record for the
# cookie's id. A Core select, not an ORM one: every signed-in request runs it, and loading the
# row through the ORM costs more than the query itself (docs/benchmarks.md).
_USER_COLUMNS = tuple(User.__table__.columns)
_USER_ATTRIBUTES = tuple(
    sa_inspect(User).get_property_by_column(column).key for column in _USER_COLUMNS
)
_USER_AND_LIVE_RECORD = (
    select(
        *_USER_COLUMNS,
        UserSession.id,
        UserSession.created_at,
        UserSession.last_seen_at,
        select(DataVersion.n).where(DataVersion.id == 1).scalar_subquery(),
    )
    .select_from(User)
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.ended_at.is_(None),
        User.id == bindparam("user_id"),
    )
)


def find_live(raw: object, user_id: int) -> tuple[User, LiveRecord] | None:
    """The user and the unended record for this cookie's id and user, in one query; or None."""
    if not isinstance(raw, str) or not raw or len(raw) > 100:
        return None
    row = (
        db.session.connection()
        .execute(_USER_AND_LIVE_RECORD, {"token_hash": _hash(raw), "user_id": user_id})
        .first()
    )
    if row is None:
        return None
    count = len(_USER_COLUMNS)
    return _attached_user(row[:count]), LiveRecord(*row[count:])


def _attached_user(values: Sequence[Any]) -> User:
    """The user of these column values as a persistent object of this session, as a query
    would have loaded it (the one already in the session, if a query did)."""
    known = db.session.identity_map.get(identity_key(User, values[0]))
    if isinstance(known, User):
        return known
    user = User(**dict(zip(_USER_ATTRIBUTES, values, strict=True)))
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def past_limits(record: LiveRecord, idle: timedelta, absolute: timedelta) -> bool:
    """True when the record itself shows the session idle or open too long (last_seen_at is
    written once per TOUCH_EVERY, so the idle limit allows that much more)."""
    now = utcnow()
    return now - record.created_at > absolute or now - record.last_seen_at > idle + TOUCH_EVERY


def touch(record: LiveRecord) -> bool:
    """Note the session was used, at most once per TOUCH_EVERY; True when it wrote."""
    now = utcnow()
    if now - record.last_seen_at < TOUCH_EVERY:
        return False
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == record.id)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    return True


def end(record: UserSession, reason: str) -> None:
    """End one session."""
    if record.ended_at is None:
        record.ended_at = utcnow()
        record.ended_reason = reason
        db.session.flush()


def end_all(user_id: int, reason: str, keep: int | None = None) -> int:
    """End every live session of a person (except `keep`); returns how many ended."""
    query = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep)
    result = db.session.execute(
        query.values(ended_at=utcnow(), ended_reason=reason).execution_options(
            synchronize_session="fetch"
        )
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def live_sessions(user_id: int, idle: timedelta, absolute: timedelta) -> list[UserSession]:
    """A person's sessions that are still usable, most recently used first."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= now - idle - TOUCH_EVERY,
                UserSession.created_at >= now - absolute,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str) -> str:
    """A short, human name for a browser's user agent, e.g. "Firefox on Windows"."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return str(browser or system)
    cleaned = re.sub(r"[^\x20-\x7e]", "", user_agent).strip()
    return cleaned[:40] or "Unknown browser"
