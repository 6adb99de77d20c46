"""Searching the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import cast

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import AuditEvent, User


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditFilters:
    """What the admin narrowed the log to; unparseable values are ignored, not errors."""

    action: str = ""
    person: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> AuditFilters:
        """Read filters from the query string."""
        return cls(
            action=args.get("action", "")[:60],
            person=args.get("person", "").strip()[:254],
            object_type=args.get("object_type", "")[:40],
            since=_date(args.get("since")),
            until=_date(args.get("until")),
        )

    def apply(self, query: Select[tuple[AuditEvent]]) -> Select[tuple[AuditEvent]]:
        """Narrow a query of audit events."""
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.object_type:
            query = query.where(AuditEvent.object_type == self.object_type)
        if self.person:
            pattern = f"%{self.person.lower()}%"
            query = query.join(User, AuditEvent.actor_id == User.id).where(
                or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern))
            )
        if self.since:
            query = query.where(AuditEvent.at >= datetime.combine(self.since, time.min, UTC))
        if self.until:
            end = datetime.combine(self.until + timedelta(days=1), time.min, UTC)
            query = query.where(AuditEvent.at < end)
        return query


def count(filters: AuditFilters) -> int:
    """How many events match (one query)."""
    base = filters.apply(select(AuditEvent))
    return int(db.session.scalar(select(func.count()).select_from(base.subquery())) or 0)


def search(filters: AuditFilters, *, offset: int, limit: int) -> list[AuditEvent]:
    """One page of matching events, newest first, with who did each (one query)."""
    events = db.session.scalars(
        filters.apply(select(AuditEvent))
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return cast(list[AuditEvent], list(events))


def known_actions() -> list[str]:
    """Every action that appears in the log, for the filter."""
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
