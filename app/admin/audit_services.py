"""Searching the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Executable, Select, String, bindparam, func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from app import statements
from app.extensions import db
from app.models import AuditEvent, User
from app.statements import prebuilt

_AnySelect = TypeVar("_AnySelect", bound=Select)  # type: ignore[type-arg]


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

    @property
    def shape(self) -> tuple[bool, bool, bool, bool, bool]:
        """Which filters are set: statements are built once per shape, values bound later."""
        return (
            bool(self.action),
            bool(self.object_type),
            bool(self.person),
            bool(self.since),
            bool(self.until),
        )

    @property
    def params(self) -> dict[str, Any]:
        """The values for the bound parameters of `_narrow`."""
        return {
            "action": self.action,
            "object_type": self.object_type,
            "pattern": f"%{self.person.lower()}%",
            "since": datetime.combine(self.since, time.min, UTC) if self.since else None,
            "before": (
                datetime.combine(self.until + timedelta(days=1), time.min, UTC)
                if self.until
                else None
            ),
        }


def _narrow(query: _AnySelect, shape: tuple[bool, bool, bool, bool, bool]) -> _AnySelect:
    """Narrow a query of audit events to the filters set in `shape`."""
    action, object_type, person, since, until = shape
    if action:
        query = query.where(AuditEvent.action == bindparam("action"))
    if object_type:
        query = query.where(AuditEvent.object_type == bindparam("object_type"))
    if person:
        pattern = bindparam("pattern", type_=String)
        query = query.join(User, AuditEvent.actor_id == User.id).where(
            or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern))
        )
    if since:
        query = query.where(AuditEvent.at >= bindparam("since"))
    if until:
        query = query.where(AuditEvent.at < bindparam("before"))
    return query


@prebuilt
def _count_statement(shape: tuple[bool, bool, bool, bool, bool]) -> Executable:
    return _narrow(select(func.count(AuditEvent.id)), shape)


@prebuilt
def _page_statement(shape: tuple[bool, bool, bool, bool, bool]) -> Executable:
    return (
        _narrow(select(AuditEvent), shape)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


def count(filters: AuditFilters) -> int:
    """How many events match (one query)."""
    return int(statements.one(_count_statement(filters.shape), **filters.params)[0])


def search(filters: AuditFilters, *, offset: int, limit: int) -> list[AuditEvent]:
    """One page of matching events, newest first, with who did each (one query)."""
    params = {**filters.params, "offset": offset, "limit": limit}
    events = db.session.scalars(_page_statement(filters.shape), params).all()
    return cast(list[AuditEvent], list(events))


@prebuilt
def _actions_statement() -> Executable:
    return select(AuditEvent.action).distinct().order_by(AuditEvent.action)


def known_actions() -> list[str]:
    """Every action that appears in the log, for the filter."""
    return [row[0] for row in statements.rows(_actions_statement())]
