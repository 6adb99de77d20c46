"""Focus areas on a panel: the CPO's changes and a summary (the default split is in panels).

Services flush and never commit; the view commits once. The split itself is
assessments.focus.split_focus; a focus changes what the kit shows first, never the scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app import audit
from app.extensions import db
from app.interviews.panels import PanelError
from app.models import Assessment, Interview, User
from assessments.focus import (
    MAX_FOCUS,
    coverage_counts,
    focus_items,
    focus_places,
    members_needed,
    outside_focus,
    thin_must_haves,
)
from assessments.model import Competency


def set_focus(interview: Interview, keys: Iterable[str], actor: User | None) -> None:
    """The CPO's choice of one member's focus competencies (kept in the role's order)."""
    if interview.status == "submitted":
        raise PanelError(
            f"{interview.interviewer.name} has submitted their interview, so their focus areas "
            "stay as they were"
        )
    role = interview.assessment.role_version.role
    wanted = set(keys)
    known = {c.key for c in role.competencies}
    if wanted - known:
        raise PanelError("Choose focus competencies from the list")
    if not wanted:
        raise PanelError(f"Choose at least one competency for {interview.interviewer.name}")
    focus = [c.key for c in role.competencies if c.key in wanted]
    old = interview.focus
    if old == focus:
        return
    interview.focus = focus
    db.session.flush()
    audit.record(
        "panel.focus",
        f"Focus areas of {interview.interviewer.name} for {interview.assessment.candidate.name}"
        " changed",
        obj=interview.assessment,
        actor=actor,
        old={"interviewer": interview.interviewer.email, "focus": old},
        new={"interviewer": interview.interviewer.email, "focus": focus},
    )


@dataclass(frozen=True)
class FocusSummary:
    """The panel's focus areas at a glance, for the panel page."""

    competencies: tuple[Competency, ...]
    counts: dict[str, int]
    thin: list[str]
    heavy: list[Interview]
    outside: list[str]  # in nobody's focus
    places: int  # focus places the role wants filled (must-haves twice)
    needed: int  # the smallest panel that fills them with at most MAX_FOCUS each
    members: int

    @property
    def too_small(self) -> bool:
        """Whether the panel is too small to cover the role without anyone over MAX_FOCUS."""
        return self.members < self.needed

    def names(self, keys: Sequence[str]) -> list[str]:
        """Competency names for keys, in the role's order."""
        return [c.name for c in self.competencies if c.key in keys]


def focus_summary(assessment: Assessment, panel: Sequence[Interview]) -> FocusSummary:
    """How many members cover each competency; must-haves covered thinly; heavy loads."""
    competencies = assessment.role_version.role.competencies
    items = focus_items(competencies)
    focus = {i: list(i.focus or ()) for i in panel if i.focus is not None}
    return FocusSummary(
        competencies=competencies,
        counts=coverage_counts(items, focus),
        thin=thin_must_haves(items, focus, len(panel)) if focus else [],
        heavy=[i for i in panel if len(i.focus or ()) > MAX_FOCUS],
        outside=outside_focus(items, focus) if focus else [],
        places=focus_places(items),
        needed=members_needed(items),
        members=len(panel),
    )
