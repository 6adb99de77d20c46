"""Focus areas: which competencies each panel member must cover in their interview.

Structured-interview practice gives each interviewer four to six competencies, with the
must-haves covered twice, so nobody races through thirteen and nothing that decides readiness
rests on one person. The split here is the default the CPO can adjust; it changes what the
kit puts first, never how ratings are scored.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from assessments.model import Competency

MAX_FOCUS = 6
MIN_FOCUS = 4
MUST_HAVE_COVER = 2

M = TypeVar("M", bound=Hashable)


@dataclass(frozen=True)
class FocusItem:
    """What the split needs to know of a competency."""

    key: str
    must_have: bool
    weight: float


def focus_items(competencies: Sequence[Competency]) -> list[FocusItem]:
    """The role's competencies as the split sees them, in the role's order."""
    return [FocusItem(c.key, c.must_have, c.weight) for c in competencies]


def split_focus(items: Sequence[FocusItem], members: Sequence[M]) -> dict[M, tuple[str, ...]]:
    """Each member's focus competencies (keys, in the role's order).

    Every must-have goes to two members (one when the panel has one), even if that means more
    than MAX_FOCUS each; then every other competency to one member while anyone has room
    under MAX_FOCUS, heaviest first; then members under MIN_FOCUS get second copies. Each
    copy goes to the member with the fewest so far (ties by panel order), so loads differ by
    at most one. The same input always gives the same split.
    """
    if not members:
        return {}
    if len(set(members)) != len(members):
        raise ValueError("each panel member once")
    order = {item.key: place for place, item in enumerate(items)}
    # Heaviest first, then the role's order: when room runs out, what weighs most is covered.
    must = sorted((i for i in items if i.must_have), key=lambda i: (-i.weight, order[i.key]))
    rest = sorted((i for i in items if not i.must_have), key=lambda i: (-i.weight, order[i.key]))
    focus: dict[M, list[str]] = {member: [] for member in members}
    place = {member: index for index, member in enumerate(members)}

    def least_loaded(key: str, limit: int | None) -> M | None:
        free = [m for m in members if key not in focus[m]]
        if limit is not None:
            free = [m for m in free if len(focus[m]) < limit]
        return min(free, key=lambda m: (len(focus[m]), place[m]), default=None)

    for item in must:
        for _ in range(min(MUST_HAVE_COVER, len(members))):
            member = least_loaded(item.key, None)
            if member is not None:
                focus[member].append(item.key)
    for item in rest:
        member = least_loaded(item.key, MAX_FOCUS)
        if member is not None:
            focus[member].append(item.key)
    # Room left: a second pair of ears on what matters most, up to MIN_FOCUS each.
    added = True
    while added:
        added = False
        for item in [*must, *rest]:
            member = least_loaded(item.key, MIN_FOCUS)
            if member is not None:
                focus[member].append(item.key)
                added = True
    return {m: tuple(sorted(keys, key=order.__getitem__)) for m, keys in focus.items()}


def coverage_counts(items: Sequence[FocusItem], focus: Mapping[M, Sequence[str]]) -> dict[str, int]:
    """How many members have each competency in their focus."""
    counts = {item.key: 0 for item in items}
    for keys in focus.values():
        for key in keys:
            if key in counts:
                counts[key] += 1
    return counts


def thin_must_haves(
    items: Sequence[FocusItem], focus: Mapping[M, Sequence[str]], members: int
) -> list[str]:
    """Must-haves fewer members cover than the split would give them (keys, role order)."""
    want = min(MUST_HAVE_COVER, members)
    counts = coverage_counts(items, focus)
    return [i.key for i in items if i.must_have and counts[i.key] < want]


def focus_places(items: Sequence[FocusItem]) -> int:
    """Focus places the split wants filled: each must-have twice, every other competency once."""
    return sum(MUST_HAVE_COVER if item.must_have else 1 for item in items)


def members_needed(items: Sequence[FocusItem]) -> int:
    """The smallest panel that covers every competency, must-haves twice, with at most
    MAX_FOCUS each (15 competencies with 7 must-haves: 22 places, so four members)."""
    return max(1, -(-focus_places(items) // MAX_FOCUS))


def outside_focus(items: Sequence[FocusItem], focus: Mapping[M, Sequence[str]]) -> list[str]:
    """Competencies in nobody's focus (keys, role order): kits still offer them as optional."""
    counts = coverage_counts(items, focus)
    return [item.key for item in items if counts[item.key] == 0]
