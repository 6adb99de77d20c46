"""The home-step registry: what each person has to do next, as the areas report it.

A low floor: it knows the models, never an area. Each area registers its providers here and
the home page asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
