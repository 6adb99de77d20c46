"""Plain data types shared by every part of the method."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

T = TypeVar("T")

RATING_SCALE: dict[int, str] = {
    0: "Counter-evidence",
    1: "Awareness",
    2: "Working",
    3: "Practitioner",
    4: "Expert",
}
LEVELS: tuple[int, ...] = (1, 2, 3, 4)
LENSES: tuple[str, ...] = ("value", "workflow", "quality", "leadership")
LENS_LABELS: dict[str, str] = {
    "value": "Value",
    "workflow": "Workflow",
    "quality": "Quality",
    "leadership": "Leadership",
}


def group_by_lens(
    items: Iterable[T], lens_of: Callable[[T], str]
) -> list[tuple[str, tuple[T, ...]]]:
    """Items grouped by lens in the method's lens order, in their own order within a lens.

    Lenses without items are left out, and so are items whose lens the method does not know.
    """
    groups: dict[str, list[T]] = {lens: [] for lens in LENSES}
    for item in items:
        members = groups.get(lens_of(item))
        if members is not None:
            members.append(item)
    return [(lens, tuple(members)) for lens, members in groups.items() if members]


def round_half_up(value: float, places: int) -> float:
    """Round like a person does (2.25 -> 2.3), not like binary floats and banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Question:
    """An interview question, the probes that follow it up, and what to listen for per level."""

    text: str
    probes: tuple[str, ...] = ()
    listen_for: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Competency:
    """Something the role needs, with how it is weighed and recognised."""

    key: str
    name: str
    description: str
    lens: str
    weight: float
    required_level: int
    must_have: bool
    levels: dict[int, str]
    interview_questions: tuple[Question, ...]
    self_prompts: tuple[str, ...]
    counter_indicators: tuple[str, ...] = ()
    weight_rationale: str = ""
    evidence_examples: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # What stakeholders are asked (any schema version); none means they are not asked about it.
    stakeholder_prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleDefinition:
    """A formal description of a role and the competencies it is measured by."""

    key: str
    name: str
    purpose: str
    responsibilities: tuple[str, ...]
    experience: tuple[str, ...]
    expectations: tuple[str, ...]
    functions: tuple[str, ...]
    competencies: tuple[Competency, ...] = field(default_factory=tuple)
    schema_version: int = 1

    def competency(self, key: str) -> Competency | None:
        """Return the competency with this key, or None."""
        return next((c for c in self.competencies if c.key == key), None)

    def by_lens(self) -> list[tuple[str, tuple[Competency, ...]]]:
        """The competencies grouped by lens, in the method's lens order (empty lenses left out)."""
        return group_by_lens(self.competencies, lambda c: c.lens)
