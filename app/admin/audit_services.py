"""Searching the audit log."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Executable, Select, String, bindparam, func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from app import localtime, statements
from app.admin.forms import AuditFilterForm
from app.extensions import db
from app.models import AuditEvent, User
from app.statements import prebuilt

_AnySelect = TypeVar("_AnySelect", bound=Select)  # type: ignore[type-arg]


@dataclass(frozen=True)
class AuditFilters:
    """What the admin narrowed the log to; a filter the form refused is left out."""

    action: str = ""
    person: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_form(cls, form: AuditFilterForm, args: MultiDict[str, str]) -> AuditFilters:
        """The filters of a validated filter form (and the object type, which links carry)."""

        def kept(field: Any) -> Any:
            return None if field.errors else field.data

        return cls(
            action=(kept(form.action) or "")[:60],
            person=(kept(form.person) or "").strip()[:254],
            object_type=args.get("object_type", "")[:40],
            since=kept(form.since),
            until=kept(form.until),
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
            # Days are the organisation's days: "From 1 Dec" starts at midnight there.
            "since": localtime.day_start(self.since) if self.since else None,
            "before": localtime.day_end(self.until) if self.until else None,
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


@dataclass(frozen=True)
class Change:
    """One value an event recorded, before and after, as text."""

    name: str
    before: str
    after: str


_LONG = 300
NONE = "\u2013"  # an en dash: nothing recorded


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def _moment(text: str) -> str:
    """A stored ISO date or time as people read it, in the organisation's zone."""
    try:
        if _ISO_DAY.fullmatch(text):
            return localtime.format_date(date.fromisoformat(text))
        if _ISO_TIME.fullmatch(text):
            return localtime.format_datetime(datetime.fromisoformat(text))
    except ValueError:
        pass
    return text


def _text(value: Any) -> str:
    if value is None:
        return NONE
    if isinstance(value, str):
        value = _moment(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        text = ", ".join(str(v) for v in value) or "none"
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return text if len(text) <= _LONG else text[: _LONG - 1] + "…"


def changes(event: AuditEvent) -> list[Change]:
    """The values an event recorded, one per name, in words: "Role: cpo → hr"."""
    old = event.old_value if isinstance(event.old_value, dict) else {}
    new = event.new_value if isinstance(event.new_value, dict) else {}
    names = list(dict.fromkeys([*old, *new]))
    return [
        Change(
            name=str(name).replace("_", " ").capitalize(),
            before=_text(old.get(name)) if name in old else NONE,
            after=_text(new.get(name)) if name in new else NONE,
        )
        for name in names
    ]
