"""What each person has to do next, for their home page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import User


@dataclass(frozen=True)
class NextStep:
    """One thing to do, with where to do it."""

    title: str
    detail: str
    url: str | None = None
    urgent: bool = False


StepProvider = Callable[[User], list[NextStep]]
_PROVIDERS: list[tuple[frozenset[str], StepProvider]] = []


def provides_steps(*roles: str) -> Callable[[StepProvider], StepProvider]:
    """Register a function that adds next steps for these roles (each area adds its own)."""

    def decorator(fn: StepProvider) -> StepProvider:
        _PROVIDERS.append((frozenset(roles), fn))
        return fn

    return decorator


def next_steps(user: User) -> list[NextStep]:
    """Every step the areas report for this user, urgent ones first."""
    steps: list[NextStep] = []
    for roles, provider in _PROVIDERS:
        if user.role in roles:
            steps.extend(provider(user))
    return sorted(steps, key=lambda s: not s.urgent)


@provides_steps("admin")
def _admin_steps(user: User) -> list[NextStep]:
    from flask import url_for

    pending = db.session.scalar(
        select(func.count()).select_from(User).where(User.password_hash.is_(None), User.active)
    )
    steps = []
    if pending:
        people = "person has" if pending == 1 else "people have"
        steps.append(
            NextStep(
                f"{pending} invited {people} not set a password",
                "Check they received their invite link, or issue a new one from their account.",
                url_for("admin.list_users", status="invited"),
            )
        )
    steps.append(
        NextStep(
            "Manage accounts",
            "Invite people, change roles, reset passwords and deactivate leavers.",
            url_for("admin.list_users"),
        )
    )
    return steps
