"""Results, the shortlist and the CPO's decision: the queries and changes behind selection.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Executable, bindparam, func, select
from sqlalchemy.orm import joinedload

from app import audit, score_snapshots, statements
from app.candidates import profiles as exec_profiles
from app.candidates.listing import status_expression
from app.coaching import plans
from app.extensions import db
from app.models import (
    ASSESSMENT_STATUSES,
    DECISIONS,
    Assessment,
    RoleVersion,
    ScoreSnapshot,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.policy import may
from app.scores import OFF_PANEL, SUMMARY_COLUMNS, ScoreSummary, own_seats, summary_from_row
from app.statements import prebuilt
from app.transactions import DomainError
from assessments.experience import Coverage
from assessments.scoring import RankEntry, rank_candidates

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
class ShortlistCandidate:
    """A candidate on the shortlist, read as a plain row."""

    id: int
    name: str
    status: str
    decision: str | None

    @property
    def status_label(self) -> str:
        """Human name of the status."""
        return ASSESSMENT_STATUSES[self.status]


@dataclass(frozen=True)
class ShortlistRow:
    """One candidate on the shortlist, in ranking order."""

    rank: int
    candidate: ShortlistCandidate
    result: ScoreSummary

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


@prebuilt
def _shortlist_statement() -> Executable:
    """A stream's candidates for one role version with their stored scores, in ranking order:
    band, readiness (high first), must-have gaps (low first), name."""
    return (
        select(
            Assessment.id,
            User.name,
            status_expression(),
            Assessment.decision,
            *SUMMARY_COLUMNS,
        )
        .join(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .join(User, User.id == Assessment.candidate_id)
        .where(
            Assessment.value_stream_id == bindparam("stream_id"),
            Assessment.role_version_id == bindparam("version_id"),
        )
        .order_by(
            ScoreSnapshot.band_rank,
            ScoreSnapshot.readiness.desc(),
            ScoreSnapshot.must_have_gap_sum,
            func.lower(User.name),
            Assessment.id,
        )
    )


def shortlist(
    stream: ValueStream, version: RoleVersion, viewer: User
) -> tuple[list[ShortlistRow], list[ShortlistCandidate]]:
    """Every candidate for the stream and role version in ranking order, read from the stored
    scores (two queries whatever the number of rows; nobody is scored here).

    The second list holds candidates the viewer may not see scored yet because their own
    interview of them is still a draft (independence).
    """
    score_snapshots.settle()
    rows = statements.rows(_shortlist_statement(), stream_id=stream.id, version_id=version.id)
    seats = own_seats(viewer)
    entries = []
    held_back = []
    for a_id, name, status, decision, *figures in rows:
        candidate = ShortlistCandidate(a_id, name, status, decision)
        if not may(viewer, "panel.view_input", seats.get(a_id, OFF_PANEL)):
            held_back.append(candidate)
            continue
        entries.append(RankEntry(name, summary_from_row(figures), candidate))  # type: ignore[arg-type]
    # The database ranked them; the method's own rule settles names that differ only in case.
    ranked = [
        ShortlistRow(rank, entry.ref, entry.result)  # type: ignore[arg-type]
        for rank, entry in enumerate(rank_candidates(entries), start=1)
    ]
    held_back.sort(key=lambda c: c.name.casefold())
    return ranked, held_back


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
