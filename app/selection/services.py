"""Results, the shortlist and the CPO's decision: the queries and changes behind selection.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Executable, Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from app import audit, score_snapshots, statements
from app.candidates import profiles as exec_profiles
from app.candidates.listing import status_expression
from app.coaching import plans
from app.extensions import db
from app.models import (
    DECISIONS,
    Assessment,
    RoleVersion,
    ScoreSnapshot,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.notifications import events
from app.pagination import Paging, paging
from app.policy import may
from app.scores import (
    EVIDENCE_COLUMNS,
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
from assessments.status import status_label

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
        return status_label(self.status, self.decision)


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
    # Count by id first, then load the few versions: grouping whole versions (their JSON)
    # copies it once per candidate.
    counts = (
        select(Assessment.role_version_id, func.count().label("candidates"))
        .where(Assessment.value_stream_id == stream.id)
        .group_by(Assessment.role_version_id)
        .subquery()
    )
    rows = db.session.execute(
        select(RoleVersion, counts.c.candidates)
        .join(counts, counts.c.role_version_id == RoleVersion.id)
        .options(joinedload(RoleVersion.definition))
        .order_by(RoleVersion.definition_id, RoleVersion.number.desc())
    ).all()
    return [(version, count) for version, count in rows]


# A page of the shortlist: the ranking runs in the database, so a page of 25 costs the same
# whatever the number of candidates (the PDF still holds them all).
SHORTLIST_PAGE_SIZE = 25


_AnySelect = TypeVar("_AnySelect", bound=Select)  # type: ignore[type-arg]

_RANKING = (
    ScoreSnapshot.band_rank,
    ScoreSnapshot.readiness.desc(),
    ScoreSnapshot.must_have_gap_sum,
    func.lower(User.name),
    Assessment.id,
)

# Scored means at least one submitted interview with a real rating (Evidence.scored): only
# those are ranked; the rest are named under "Not scored yet", as the PDF does.
_SCORED = (ScoreSnapshot.interviews_submitted > 0) & (ScoreSnapshot.panel_ratings > 0)


def _candidates(query: _AnySelect, hide: bool) -> _AnySelect:
    """Narrow a query over assessments to the stream's candidates for the role version, with
    their stored scores; `hide` leaves out the ones held back from the viewer."""
    query = (
        query.join(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .join(User, User.id == Assessment.candidate_id)
        .where(
            Assessment.value_stream_id == bindparam("stream_id"),
            Assessment.role_version_id == bindparam("version_id"),
        )
    )
    if hide:
        query = query.where(Assessment.id.not_in(bindparam("hidden", expanding=True)))
    return query


@prebuilt
def _shortlist_statement(mode: str, hide: bool) -> Executable:
    """The stream's candidates for one role version: how many are ranked ("count"), one page
    of the ranked with their stored scores in ranking order ("page": band, readiness high
    first, must-have gaps low first, name), the ones held back from the viewer ("held") or the
    ones with no panel evidence yet ("unscored"), by name."""
    if mode == "count":
        return _candidates(select(func.count()).select_from(Assessment), hide).where(_SCORED)
    columns = select(
        Assessment.id,
        User.name,
        status_expression(),
        Assessment.decision,
        *EVIDENCE_COLUMNS,
        *SUMMARY_COLUMNS,
    ).select_from(Assessment)
    if mode in ("held", "unscored"):
        query = _candidates(columns, hide and mode == "unscored")
        if mode == "held":
            query = query.where(Assessment.id.in_(bindparam("hidden", expanding=True)))
        else:
            query = query.where(~_SCORED)
        return query.order_by(func.lower(User.name), Assessment.id)
    # The page's ids first (sorting needs only the snapshot and the name), so the status
    # subqueries and the score columns are read for these rows only.
    page = (
        _candidates(select(Assessment.id).select_from(Assessment), hide)
        .where(_SCORED)
        .order_by(*_RANKING)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return (
        _candidates(columns, False)
        .where(Assessment.id.in_(page.scalar_subquery()))
        .order_by(*_RANKING)
    )


@dataclass(frozen=True)
class ShortlistPage:
    """One page of the ranked candidates, those the viewer may not see scored yet (their own
    interview is a draft) and those with no panel evidence yet: named, never ranked."""

    paging: Paging
    rows: list[ShortlistRow]
    held_back: list[ShortlistCandidate]
    not_scored: list[ShortlistCandidate]


def _named(rows: Iterable[Any]) -> list[ShortlistCandidate]:
    """Candidates read as plain rows (id, name, status, decision, evidence columns...)."""
    return [
        ShortlistCandidate(
            a_id, name, status, decision, evidence_from_row(figures[: len(EVIDENCE_COLUMNS)])
        )
        for a_id, name, status, decision, *figures in rows
    ]


def shortlist_page(
    stream: ValueStream, version: RoleVersion, viewer: User, requested: int | None
) -> ShortlistPage:
    """One page of the candidates for the stream and role version in ranking order, read from
    the stored scores (a fixed number of queries whatever the number of candidates; nobody is
    scored here).

    Held back are the candidates the viewer may not see scored yet because their own interview
    of them is still a draft (independence): they are left out of the ranking and named.
    """
    score_snapshots.settle()
    hidden = sorted(
        a_id
        for a_id, seat in own_seats(viewer).items()
        if not may(viewer, "panel.view_input", seat)
    )
    params = {"stream_id": stream.id, "version_id": version.id, "hidden": hidden}
    total = int(statements.one(_shortlist_statement("count", bool(hidden)), **params)[0])
    paged = paging(total, requested, SHORTLIST_PAGE_SIZE)
    rows = statements.rows(
        _shortlist_statement("page", bool(hidden)),
        **params,
        offset=paged.offset,
        limit=paged.per_page,
    )
    must_haves = sum(1 for c in version.role.competencies if c.must_have)
    scores_from = 4 + len(EVIDENCE_COLUMNS)
    entries = [
        RankEntry(candidate.name, summary_from_row(row[scores_from:]), candidate)
        for candidate, row in zip(_named(rows), rows, strict=True)
    ]
    # The database ranked them; the method's own rule settles names that differ only in case.
    ranked = [
        ShortlistRow(rank, entry.ref, entry.result, must_haves)  # type: ignore[arg-type]
        for rank, entry in enumerate(rank_candidates(entries), start=paged.offset + 1)
    ]
    held_back = (
        _named(statements.rows(_shortlist_statement("held", True), **params)) if hidden else []
    )
    not_scored = _named(statements.rows(_shortlist_statement("unscored", bool(hidden)), **params))
    return ShortlistPage(paged, ranked, held_back, not_scored)


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
    previous = assessment.decision
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
    events.decision_made(assessment, previous, start_date, actor)
