"""The demo organisation: people, the default role, and assessments in different states."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.auth import services as accounts
from app.models import User

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


@dataclass
class DemoContext:
    """What the demo loaders share: the people by email and the password."""

    people: dict[str, User]
    password: str


DemoLoader = Callable[[DemoContext], None]
_LOADERS: list[DemoLoader] = []


def demo_loader(fn: DemoLoader) -> DemoLoader:
    """Register a step that adds one area's demo data (each must be idempotent)."""
    _LOADERS.append(fn)
    return fn


def load_demo(password: str) -> list[str]:
    """Create the demo organisation where missing; returns what was created. Flushes only."""
    created: list[str] = []
    people: dict[str, User] = {}
    for email, name, role in DEMO_PEOPLE:
        user = accounts.user_by_email(email)
        if user is None:
            user = accounts.create_user(email, name, role, password)
            created.append(email)
        people[email] = user
    context = DemoContext(people=people, password=password)
    for loader in _LOADERS:
        loader(context)
    return created
