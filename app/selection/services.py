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
from app.scores import (
    EVIDENCE_COLUMNS,
    OFF_PANEL,
    SUMMARY_COLUMNS,
    ScoreSummary,
    evidence_from_row,
    own_seats,
    summary_from_row,
)
from app.statements import prebuilt
from app.transactions import DomainError
from assessments.evidence import Evidence
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
    evidence: Evidence

    @property
    def status_label(self) -> str:
        """Human name of the status; a decided one says what was decided ("Selected")."""
        if self.decision is not None:
            return DECISIONS[self.decision]
        return ASSESSMENT_STATUSES[self.status]


@dataclass(frozen=True)
class ShortlistRow:
    """One candidate on the shortlist, in ranking order."""

    rank: int
    candidate: ShortlistCandidate
    result: ScoreSummary
    must_haves: int

    @property
    def must_have_status(self) -> str:
        """'1 of 2 met' under the Must-haves heading, and how many are not rated yet."""
        unmet = len(self.result.must_have_unmet)
        unrated = len(self.result.must_have_unassessed)
        met = self.must_haves - unmet - unrated
        text = f"{met} of {self.must_haves} met" if self.must_haves else "None in the role"
        return f"{text} · {unrated} not rated" if unrated else text

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
            *EVIDENCE_COLUMNS,
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


@dataclass(frozen=True)
class Shortlist:
    """The ranked candidates, those the viewer may not see scored yet (their own interview is a
    draft), and those with no panel evidence yet: named, never ranked, as the PDF does."""

    ranked: list[ShortlistRow]
    held_back: list[ShortlistCandidate]
    not_scored: list[ShortlistCandidate]


def shortlist(stream: ValueStream, version: RoleVersion, viewer: User) -> Shortlist:
    """Every candidate for the stream and role version in ranking order, read from the stored
    scores (two queries whatever the number of rows; nobody is scored here)."""
    score_snapshots.settle()
    rows = statements.rows(_shortlist_statement(), stream_id=stream.id, version_id=version.id)
    seats = own_seats(viewer)
    must_haves = sum(1 for c in version.role.competencies if c.must_have)
    entries = []
    held_back = []
    not_scored = []
    for a_id, name, status, decision, *figures in rows:
        evidence = evidence_from_row(figures[: len(EVIDENCE_COLUMNS)])
        candidate = ShortlistCandidate(a_id, name, status, decision, evidence)
        if not may(viewer, "panel.view_input", seats.get(a_id, OFF_PANEL)):
            held_back.append(candidate)
        elif not evidence.scored:
            not_scored.append(candidate)
        else:
            summary = summary_from_row(figures[len(EVIDENCE_COLUMNS) :])
            entries.append(RankEntry(name, summary, candidate))  # type: ignore[arg-type]
    # The database ranked them; the method's own rule settles names that differ only in case.
    ranked = [
        ShortlistRow(rank, entry.ref, entry.result, must_haves)  # type: ignore[arg-type]
        for rank, entry in enumerate(rank_candidates(entries), start=1)
    ]
    held_back.sort(key=lambda c: c.name.casefold())
    not_scored.sort(key=lambda c: c.name.casefold())
    return Shortlist(ranked, held_back, not_scored)


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
