"""The demo organisation: people, the default role, and assessments in different states."""

from __future__ import annotations

import importlib
import importlib.util
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
    decisions, 40 induction and coaching.
    """

    def decorator(fn: DemoLoader) -> DemoLoader:
        _LOADERS.append((order, fn))
        return fn

    return decorator


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
    for area in DEMO_AREAS:
        if importlib.util.find_spec(f"app.{area}.demo") is not None:
            importlib.import_module(f"app.{area}.demo")  # registers its loader
    context = DemoContext(people=people, password=password)
    for _order, loader in sorted(_LOADERS, key=lambda item: item[0]):
        loader(context)
    return created
