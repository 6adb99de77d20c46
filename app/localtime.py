"""The organisation's time zone: times are stored in UTC and shown in local time, with the zone.

One place converts and formats, so every page, document and email reads the same way: the
`datetime`, `date` and `due` template filters, `today()` for due dates and document dates, and the
start and end of a local day for filters that search stored UTC times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, has_app_context

from assessments.due import due_soon, due_words, is_overdue

DEFAULT_TIMEZONE = "Europe/London"


def zone_named(name: str) -> ZoneInfo:
    """The time zone called `name`; a RuntimeError that says what to set when there is none."""
    try:
        if not name or name != name.strip():
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise RuntimeError(
            f"TIMEZONE={name!r} is not a time zone name. Set it to an IANA name such as"
            " Europe/London, Europe/Dublin or America/New_York."
        ) from None


def zone() -> tzinfo:
    """The organisation's time zone (TIMEZONE); the default outside an application."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return zone_named(name or DEFAULT_TIMEZONE)


def local(value: datetime) -> datetime:
    """A stored time in the organisation's zone (a naive value is taken to be UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone())


def abbreviation(value: datetime) -> str:
    """The zone's short name at that moment: GMT or BST; "UTC+4" where the zone has none."""
    name = value.tzname() or ""
    if name[:1] in "+-" and name[1:].isdigit():
        hours = name[1:].lstrip("0") or "0"
        return f"UTC{name[0]}{hours}" if hours != "0" else "UTC"
    if name[:1] in "+-":  # "+0530"
        return f"UTC{name[0]}{name[1:3].lstrip('0') or '0'}:{name[3:]}"
    return name


def format_datetime(value: datetime | None, never: str = "never") -> str:
    """A time as people read it, in the organisation's zone: "1 Dec 2026, 09:30 GMT"."""
    if value is None:
        return never
    moment = local(value)
    return f"{moment.day} {moment:%b %Y, %H:%M} {abbreviation(moment)}"


def format_time(value: datetime) -> str:
    """The time of day in the organisation's zone: "09:30 GMT"."""
    moment = local(value)
    return f"{moment:%H:%M} {abbreviation(moment)}"


def local_date(value: date | datetime) -> date:
    """The organisation's calendar day of a stored time; a date is already a day."""
    if isinstance(value, datetime):
        return local(value).date()
    return value


def format_date(value: date | datetime | None, long: bool = False) -> str:
    """A day as people read it: "1 Dec 2026" ("1 December 2026" when long)."""
    if value is None:
        return ""
    day = local_date(value)
    return f"{day.day} {day:%B %Y}" if long else f"{day.day} {day:%b %Y}"


def now() -> datetime:
    """The current time in the organisation's zone."""
    return datetime.now(UTC).astimezone(zone())


def today() -> date:
    """Today in the organisation's zone (due dates, overdue items, document dates)."""
    return now().date()


def due_in_words(due: date | None, on: date | None = None) -> str:
    """A due date as people read it today: "due in 3 days", "due today", "overdue by 2 days"."""
    if due is None:
        return ""
    return due_words(due, on or today())


def due_label(due: date | None, on: date | None = None) -> str:
    """The date and its words: "15 Dec 2026 (due in 14 days)"; "" without a date."""
    if due is None:
        return ""
    return f"{format_date(due)} ({due_in_words(due, on)})"


def local_moment(day: date, at: time) -> datetime:
    """A local date and time of day in the organisation's zone, as a UTC time to store."""
    return datetime.combine(day, at, zone()).astimezone(UTC)


def day_start(day: date) -> datetime:
    """The first moment of a local day, in UTC, for comparing with stored times."""
    return datetime.combine(day, time.min, zone()).astimezone(UTC)


def day_end(day: date) -> datetime:
    """The first moment after a local day, in UTC (an exclusive upper bound)."""
    return day_start(day + timedelta(days=1))


def init_app(app: Flask) -> None:
    """Refuse to start with a TIMEZONE that names no zone, and register the filters."""
    zone_named(app.config.get("TIMEZONE") or DEFAULT_TIMEZONE)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["time"] = format_time
    app.jinja_env.filters["due"] = due_in_words
    app.jinja_env.filters["due_label"] = due_label
    app.jinja_env.tests["overdue"] = lambda due: due is not None and is_overdue(due, today())
    app.jinja_env.tests["due_soon"] = lambda due: due is not None and due_soon(due, today())
    app.jinja_env.globals["timezone_name"] = lambda: app.config.get("TIMEZONE") or DEFAULT_TIMEZONE
