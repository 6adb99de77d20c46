"""The demo organisation: people, the default role, and assessments in different states."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from app import localtime
from app.auth import services as accounts
from app.extensions import db
from app.models import AuditEvent, CalibrationNote, Interview, User

DEMO_PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("admin@example.org", "Alex Admin", "admin"),
    ("cpo@example.org", "Priya Raman", "cpo"),
    ("interviewer1@example.org", "Tom Okafor", "interviewer"),
    ("interviewer2@example.org", "Mei Lin", "interviewer"),
    ("exec1@example.org", "Sarah Whitfield", "exec"),
    ("exec2@example.org", "David Mensah", "exec"),
    ("exec3@example.org", "Laura Byrne", "exec"),
    ("exec4@example.org", "James Carter", "exec"),
    ("hr@example.org", "Hannah Price", "hr"),
)


# Areas whose `demo.py` adds demo data through @demo_loader.
DEMO_AREAS = ("roles", "candidates", "interviews", "selection", "induction", "coaching", "reports")


@dataclass
class DemoContext:
    """What the demo loaders share: the people by email and the password."""

    people: dict[str, User]
    password: str


DemoLoader = Callable[[DemoContext], None]
_LOADERS: list[tuple[int, DemoLoader]] = []


def demo_loader(order: int) -> Callable[[DemoLoader], DemoLoader]:
    """Register a step that adds one area's demo data, run in `order` (each must be idempotent).

    Orders in use: 10 roles, 20 candidates and self-assessments, 30 interviews, 35
    decisions, 40 induction and coaching, 50 later role versions (after every assessment).
    """

    def decorator(fn: DemoLoader) -> DemoLoader:
        _LOADERS.append((order, fn))
        return fn

    return decorator


# The story, in days before the demo is loaded: the organisation starts using Streamlead, then
# the role is published, then people are nominated (the areas' demo.py files hold the rest).
ACCOUNTS_DAYS_AGO = 150
ROLE_PUBLISHED_DAYS_AGO = 145


def story_time(days_ago: float, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of the demo's story: `days_ago` days before loading, at a working hour of the
    organisation's day (not whatever time of day the demo happened to be loaded)."""
    day = localtime.today() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), localtime.zone()).astimezone(UTC)


def load_demo(password: str) -> list[str]:
    """Create the demo organisation where missing; returns what was created. Flushes only."""
    first_event = (db.session.scalar(select(func.max(AuditEvent.id))) or 0) + 1
    created: list[str] = []
    people: dict[str, User] = {}
    for email, name, role in DEMO_PEOPLE:
        user = accounts.user_by_email(email)
        if user is None:
            user = accounts.create_user(email, name, role, password)
            user.created_at = story_time(ACCOUNTS_DAYS_AGO, 9)
            created.append(email)
        people[email] = user
    for area in DEMO_AREAS:
        if importlib.util.find_spec(f"app.{area}.demo") is not None:
            importlib.import_module(f"app.{area}.demo")  # registers its loader
    context = DemoContext(people=people, password=password)
    for _order, loader in sorted(_LOADERS, key=lambda item: item[0]):
        loader(context)
    db.session.flush()
    _date_the_audit_trail(first_event)
    return created


# When each kind of event happened: the time its record keeps (the areas backdate records).
_EVENT_TIMES = {
    "user.create": "created_at",
    "role.create": "created_at",
    "role.version_create": "created_at",
    "role.publish": "published_at",
    "stream.create": "created_at",
    "assessment.nominate": "created_at",
    "self.save": "updated_at",
    "self.submit": "submitted_at",
    "interview.save": "updated_at",
    "interview.submit": "submitted_at",
    "decision.record": "decided_at",
    "induction.checklist_create": "created_at",
    "induction.tick": "done_at",
    "plan.create": "created_at",
    "plan.issue": "issued_at",
    "review.record": "created_at",
    "review.decide": "decided_at",
}


def _date_the_audit_trail(first_event: int) -> None:
    """Give the demo's audit events the story's times rather than the moment of loading; an
    event whose record keeps no time takes the time of the event before it."""
    registry = db.Model.registry  # type: ignore[attr-defined]
    models = {mapper.class_.__name__: mapper.class_ for mapper in registry.mappers}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id >= first_event).order_by(AuditEvent.id)
    ).all()
    notes: dict[int, list[datetime]] = {}
    when = story_time(ACCOUNTS_DAYS_AGO, 9)
    for event in events:
        model = models.get(event.object_type or "")
        record = db.session.get(model, event.object_id) if model and event.object_id else None
        found: datetime | None = None
        if record is not None and event.action in _EVENT_TIMES:
            found = getattr(record, _EVENT_TIMES[event.action], None)
        elif event.action == "panel.assign" and record is not None:
            found = db.session.scalar(
                select(func.min(Interview.assigned_at)).where(Interview.assessment_id == record.id)
            )
        elif event.action == "calibration.note" and record is not None:
            if record.id not in notes:  # the notes in the order they were written
                notes[record.id] = list(
                    db.session.scalars(
                        select(CalibrationNote.created_at)
                        .where(CalibrationNote.assessment_id == record.id)
                        .order_by(CalibrationNote.id)
                    )
                )
            found = notes[record.id].pop(0) if notes[record.id] else None
        when = found or when
        event.at = when
    db.session.flush()
