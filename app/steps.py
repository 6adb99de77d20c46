"""The home-step registry: what each person has to do next, as the areas report it.

A low floor: it knows the models and the policy, never an area. Each area registers its
providers here and the home page asks for them. Every step names the permission it asks the
person to use, and the home shows only steps `may(...)` allows: a provider registered for
several roles cannot offer one of them something it cannot do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field

from app.models import User
from app.policy import may


@dataclass(frozen=True)
class NextStep:
    """One thing to do, with where to do it, the permission it needs, and whom it is about."""

    title: str
    detail: str
    url: str | None = None
    urgent: bool = False
    _: KW_ONLY
    # What doing the step takes, asked of app/policy.py with `obj` (e.g. "decision.record").
    permission: str
    obj: object | None = field(default=None, compare=False)
    # Who the step is about, e.g. "person:12": steps about the same person share one card.
    subject: str | None = None
    # Among urgent steps (and among the others), higher comes first: a decision about someone's
    # job before a late checklist item.
    priority: int = 0


@dataclass(frozen=True)
class HomeCard:
    """One card on the home page: its first step, and any more about the same person."""

    step: NextStep
    more: tuple[NextStep, ...] = ()

    @property
    def urgent(self) -> bool:
        """Any of its steps needs attention."""
        return self.step.urgent or any(s.urgent for s in self.more)


StepProvider = Callable[[User], list[NextStep]]
_PROVIDERS: list[tuple[frozenset[str], StepProvider]] = []


def provides_steps(*roles: str) -> Callable[[StepProvider], StepProvider]:
    """Register a function that adds next steps for these roles (each area adds its own)."""

    def decorator(fn: StepProvider) -> StepProvider:
        _PROVIDERS.append((frozenset(roles), fn))
        return fn

    return decorator


def person(user_id: int) -> str:
    """The subject of steps about this person (a candidate's user id)."""
    return f"person:{user_id}"


def next_steps(user: User) -> list[NextStep]:
    """Every step the areas report for this user that the policy lets them take, urgent first."""
    steps: list[NextStep] = []
    for roles, provider in _PROVIDERS:
        if user.role in roles:
            steps.extend(s for s in provider(user) if may(user, s.permission, s.obj))
    return sorted(steps, key=lambda s: (not s.urgent, -s.priority))


def home_cards(steps: list[NextStep]) -> list[HomeCard]:
    """One card per person the steps are about (urgent steps lead), one per step otherwise."""
    grouped: dict[str, list[NextStep]] = {}
    order: list[str | NextStep] = []
    for step in steps:
        if step.subject is None:
            order.append(step)
        elif step.subject not in grouped:
            grouped[step.subject] = [step]
            order.append(step.subject)
        else:
            grouped[step.subject].append(step)
    cards = []
    for item in order:
        if isinstance(item, NextStep):
            cards.append(HomeCard(item))
        else:
            first, *more = grouped[item]
            cards.append(HomeCard(first, tuple(more)))
    return sorted(cards, key=lambda c: not c.urgent)
