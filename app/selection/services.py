"""Results, the shortlist and the CPO's decision: the queries and changes behind selection.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import audit
from app.candidates import profiles as exec_profiles
from app.coaching import plans
from app.extensions import db
from app.models import DECISIONS, Assessment, RoleVersion, User, ValueStream
from app.models.base import utcnow
from app.models.loaders import results_options
from app.policy import may
from app.scores import score_for
from app.transactions import DomainError
from assessments.experience import Coverage
from assessments.scoring import RankEntry, ScoreResult, rank_candidates

# --- Experience coverage -------------------------------------------------------------------


class DecisionError(DomainError):
    """A decision that cannot be recorded as asked; the message says why."""


def experience_coverage(assessment: Assessment) -> Coverage:
    """The exec's experience (ExecProfile) against the functions the value stream needs."""
    return exec_profiles.coverage(
        exec_profiles.needed_functions(assessment), exec_profiles.profile_of(assessment.candidate)
    )


# --- Shortlist -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortlistRow:
    """One candidate on the shortlist, in ranking order."""

    rank: int
    assessment: Assessment
    result: ScoreResult

    @property
    def must_have_status(self) -> str:
        """All met, or how many are unmet or not assessed."""
        parts = []
        if self.result.must_have_unmet:
            parts.append(f"{len(self.result.must_have_unmet)} unmet")
        if self.result.must_have_unassessed:
            parts.append(f"{len(self.result.must_have_unassessed)} not assessed")
        return ", ".join(parts) if parts else "All met"

    @property
    def must_have_ok(self) -> bool:
        """True when every must-have is assessed and met."""
        return not self.result.must_have_unmet and not self.result.must_have_unassessed


def stream_versions(stream: ValueStream) -> list[tuple[RoleVersion, int]]:
    """Role versions that candidates for this stream are assessed against, with how many."""
    rows = db.session.execute(
        select(RoleVersion, func.count(Assessment.id))
        .join(Assessment, Assessment.role_version_id == RoleVersion.id)
        .where(Assessment.value_stream_id == stream.id)
        .options(joinedload(RoleVersion.definition))
        .group_by(RoleVersion.id)
        .order_by(RoleVersion.definition_id, RoleVersion.number.desc())
    ).all()
    return [(version, count) for version, count in rows]


def shortlist(
    stream: ValueStream, version: RoleVersion, viewer: User
) -> tuple[list[ShortlistRow], list[Assessment]]:
    """Every candidate for the stream and role version in ranking order.

    The second list holds candidates the viewer may not see scored yet because their own
    interview of them is still a draft (independence). One query whatever the number of rows.
    """
    assessments = db.session.scalars(
        select(Assessment)
        .where(Assessment.value_stream_id == stream.id, Assessment.role_version_id == version.id)
        .options(*results_options())
    ).unique()
    entries = []
    held_back = []
    for assessment in assessments:
        if not may(viewer, "panel.view_input", assessment):
            held_back.append(assessment)
            continue
        entries.append(RankEntry(assessment.candidate.name, score_for(assessment), assessment))
    rows = [
        ShortlistRow(rank, entry.ref, entry.result)  # type: ignore[arg-type]
        for rank, entry in enumerate(rank_candidates(entries), start=1)
    ]
    held_back.sort(key=lambda a: a.candidate.name.casefold())
    return rows, held_back


# --- Decision ------------------------------------------------------------------------------


def _decision_state(assessment: Assessment) -> dict[str, object]:
    return {
        "decision": assessment.decision,
        "rationale": assessment.decision_rationale or "",
        "decided_by": assessment.decided_by.email if assessment.decided_by else None,
        "decided_at": assessment.decided_at.isoformat() if assessment.decided_at else None,
    }


def record_decision(
    assessment: Assessment,
    decision: str,
    rationale: str,
    *,
    start_date: date | None,
    actor: User | None,
) -> None:
    """Record (or change) the CPO's decision; selecting starts induction and coaching."""
    if decision not in DECISIONS:
        raise DecisionError(f"Unknown decision {decision!r}")
    if decision == "selected" and start_date is None:
        raise DecisionError("A selection needs a start date", field="start_date")
    old = _decision_state(assessment)
    assessment.decision = decision
    assessment.decision_rationale = rationale.strip()
    assessment.decided_by = actor
    assessment.decided_at = utcnow()
    db.session.flush()
    new = _decision_state(assessment)
    if decision == "selected" and start_date is not None:
        new["start_date"] = start_date.isoformat()
    audit.record(
        "decision.record",
        f"{assessment.candidate.name}: {DECISIONS[decision].lower()}",
        obj=assessment,
        actor=actor,
        old=old,
        new=new,
    )
    if decision == "selected" and start_date is not None:
        # Idempotent on the coaching side: re-selecting never makes a second checklist.
        plans.start_after_selection(assessment, start_date, actor)
