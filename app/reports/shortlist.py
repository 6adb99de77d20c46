"""The shortlist of a value stream and role version, built for its viewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, bindparam, select

from app import score_snapshots, statements
from app.candidates.listing import status_expression
from app.candidates.profiles import profiles_for
from app.models import (
    Assessment,
    ExecProfile,
    Interview,
    RoleVersion,
    ScoreSnapshot,
    SelfAssessment,
    User,
    ValueStream,
)
from app.models.people import DECISIONS
from app.policy import may
from app.reports.documents import (
    HELD_BACK_REASON,
    Document,
    HeldBack,
    _document,
    data_as_of,
    slug,
)
from app.scores import EVIDENCE_COLUMNS, Seat, evidence_from_row, results
from assessments.evidence import Evidence
from assessments.scoring import BAND_LABELS, RankEntry, ScoreResult, rank_candidates
from assessments.status import status_label

# --- shortlist -------------------------------------------------------------------------------

# A long shortlist explains and compares only its leading candidates (two side-by-side pages)
# and ranks everyone one line each: 250 candidates in full made 99 pages and took WeasyPrint
# 11 s of CPU, too long for the worker to have the document ready (docs/decisions.md, issue 14).
LEADING = 8


@dataclass(frozen=True)
class ShortlistCandidate:
    """One assessment on the shortlist read as plain rows: what the document shows of it and
    what the policy and "Data as of" read (its panel seats, its change times)."""

    id: int
    candidate_id: int
    name: str
    decision: str | None
    # Where the assessment stands (a key of ASSESSMENT_STATUSES), worked out in SQL.
    status: str
    # Every interview on its panel in the order assigned: the independence rule reads these.
    interviews: tuple[Seat, ...]
    self_status: str | None
    # What its score rests on, from its snapshot; None without one (counted as not scored).
    evidence: Evidence | None
    # The figures it is ranked by, from its snapshot's columns.
    standing: Standing | None
    updated_at: datetime
    # The last change to its evidence (readiness.evidence_as_of without stream and version).
    evidence_changed: datetime | None

    @property
    def status_label(self) -> str:
        """Human name of the status; a decided one says what was decided ("Selected")."""
        return status_label(self.status, self.decision)

    @property
    def scored(self) -> bool:
        """Ranked once the panel has given a real rating (the web shortlist's rule)."""
        return self.evidence is not None and self.evidence.scored


@dataclass(frozen=True)
class Standing:
    """The figures a candidate is ranked by and the full ranking shows: a snapshot's plain
    columns, so ranking 250 candidates decodes none of their JSON."""

    band: str
    readiness: float
    must_have_gap_sum: float

    @property
    def band_label(self) -> str:
        """The band as a person reads it."""
        return BAND_LABELS[self.band]


@dataclass
class ShortlistEntry:
    """One ranked candidate on a shortlist: the leading ones with their whole result, the rest
    with the figures the full ranking shows."""

    rank: int
    candidate: ShortlistCandidate
    result: ScoreResult | Standing
    profile: ExecProfile | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    evidence: Evidence | None = None


@statements.prebuilt
def _rows_statement() -> Executable:
    """Every assessment for a stream and role version with its candidate's name, what its
    status and "Data as of" read, and its snapshot's evidence and ranking columns."""
    return (
        select(
            Assessment.id,
            Assessment.candidate_id,
            User.name,
            Assessment.decision,
            Assessment.updated_at,
            status_expression(),
            SelfAssessment.status,
            SelfAssessment.submitted_at,
            SelfAssessment.reopened_at,
            ExecProfile.updated_at,
            ScoreSnapshot.assessment_id,
            ScoreSnapshot.band,
            ScoreSnapshot.readiness,
            ScoreSnapshot.must_have_gap_sum,
            *EVIDENCE_COLUMNS,
        )
        .select_from(Assessment)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(SelfAssessment, SelfAssessment.assessment_id == Assessment.id)
        .outerjoin(ExecProfile, ExecProfile.user_id == Assessment.candidate_id)
        .outerjoin(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .where(
            Assessment.value_stream_id == bindparam("stream_id"),
            Assessment.role_version_id == bindparam("version_id"),
        )
        .order_by(Assessment.id)
    )


@statements.prebuilt
def _panels_statement() -> Executable:
    """Every interview of those assessments, in the order assigned."""
    return (
        select(
            Interview.assessment_id,
            Interview.interviewer_id,
            Interview.status,
            Interview.submitted_at,
            Interview.assigned_at,
        )
        .join(Assessment, Assessment.id == Interview.assessment_id)
        .where(
            Assessment.value_stream_id == bindparam("stream_id"),
            Assessment.role_version_id == bindparam("version_id"),
        )
        .order_by(Interview.assessment_id, Interview.id)
    )


def load_shortlist(stream: ValueStream, version: RoleVersion) -> list[ShortlistCandidate]:
    """Every assessment for this stream and role version as plain rows, in two queries whatever
    their number: names, panels, evidence and the figures they are ranked by (their stored
    scores); the leading candidates' whole results are read when the document is built."""
    score_snapshots.settle()
    params = {"stream_id": stream.id, "version_id": version.id}
    seats: dict[int, list[Seat]] = {}
    stamps: dict[int, list[datetime | None]] = {}
    for a_id, interviewer_id, status, submitted_at, assigned_at in statements.rows(
        _panels_statement(), **params
    ):
        seats.setdefault(a_id, []).append(Seat(interviewer_id, status))
        stamps.setdefault(a_id, []).append(submitted_at if status == "submitted" else assigned_at)
    found = []
    for row in statements.rows(_rows_statement(), **params):
        a_id, candidate_id, name, decision, updated_at, status, own, own_at, reopened_at = row[:9]
        profile_at, snapshot, band, readiness, gap_sum = row[9:14]
        found.append(
            ShortlistCandidate(
                id=a_id,
                candidate_id=candidate_id,
                name=name,
                decision=decision,
                status=status,
                interviews=tuple(seats.get(a_id, ())),
                self_status=own,
                evidence=evidence_from_row(row[14:]) if snapshot is not None else None,
                standing=Standing(band, readiness, gap_sum) if snapshot is not None else None,
                updated_at=updated_at,
                evidence_changed=data_as_of(
                    updated_at,
                    stamps.get(a_id, ()),
                    (own_at if own == "submitted" else reopened_at) if own else None,
                    profile_at,
                ),
            )
        )
    return found


def _evidence(candidate: ShortlistCandidate) -> Evidence:
    """What a candidate's score rests on; without a snapshot (one is written with every
    assessment, so only in a database restored by hand) their panel as the rows tell it."""
    if candidate.evidence is not None:
        return candidate.evidence
    return Evidence(
        interviews_assigned=len(candidate.interviews),
        interviews_submitted=sum(1 for i in candidate.interviews if i.status == "submitted"),
        panel_ratings=0,
        self_submitted=candidate.self_status == "submitted",
    )


def shortlist_context(
    stream: ValueStream,
    version: RoleVersion,
    candidates: Sequence[ShortlistCandidate],
    viewer: Any,
) -> dict[str, Any]:
    """Scored candidates in ranking order (their stored scores), the ones not scored yet, and the
    ones whose panel input the viewer may not read yet (named only, never scored or ranked).

    Only the leading candidates' whole results are read (their JSON): the rest of the ranking
    shows band, readiness and decision, plain columns of the snapshot."""
    held = sorted(
        (c for c in candidates if not may(viewer, "panel.view_input", c)),
        key=lambda c: c.name,
    )
    held_ids = {c.id for c in held}
    shown = [c for c in candidates if c.id not in held_ids]
    # The same rule as the web shortlist: ranked once the panel has given a real rating.
    scored = [c for c in shown if c.scored]
    waiting = sorted((c for c in shown if not c.scored), key=lambda c: c.name)
    evidence = {c.id: _evidence(c) for c in shown}
    ranked = rank_candidates(
        RankEntry(c.name, c.standing, c) for c in scored if c.standing is not None
    )
    leaders: list[ShortlistCandidate] = [e.ref for e in ranked[:LEADING]]  # type: ignore[misc]
    full = results(c.id for c in leaders)
    profiles = profiles_for(c.candidate_id for c in leaders)
    entries = []
    for rank, entry in enumerate(ranked, start=1):
        candidate: ShortlistCandidate = entry.ref  # type: ignore[assignment]
        if rank > LEADING:
            assert candidate.standing is not None  # only candidates with a snapshot are ranked
            entries.append(ShortlistEntry(rank, candidate, candidate.standing))
            continue
        result = full[candidate.id]
        entries.append(
            ShortlistEntry(
                rank=rank,
                candidate=candidate,
                result=result,
                profile=profiles.get(candidate.candidate_id),
                scores={c.key: c for c in result.competencies},
                evidence=evidence[candidate.id],
            )
        )
    leading = entries[:LEADING]
    # Side by side: at most four candidates across a portrait page, more pages as needed, the
    # candidates shared evenly (9 as 3, 3, 3, not 4, 4, 1) so no page holds a lone column.
    count = -(-len(leading) // 4)
    groups = [
        leading[i * len(leading) // count : (i + 1) * len(leading) // count] for i in range(count)
    ]
    return {
        "stream": stream,
        "version": version,
        "role": version.role,
        "entries": entries,
        "leading": leading,
        "groups": groups,
        "waiting": waiting,
        "held_back": held,
        "held_back_reason": HELD_BACK_REASON,
        "decisions": DECISIONS,
        "evidence": evidence,
    }


def shortlist_document(
    stream: ValueStream,
    version: RoleVersion,
    viewer: Any,
    candidates: Sequence[ShortlistCandidate] | None = None,
) -> Document:
    """The ranked shortlist for one value stream and role version, as this viewer may read it;
    raises HeldBack when the viewer may not see the role version at all."""
    if not may(viewer, "roles.view", version):
        raise HeldBack(f"shortlist:{stream.id}:{version.id}")
    if candidates is None:
        candidates = load_shortlist(stream, version)
    context = shortlist_context(stream, version, candidates, viewer)
    # Candidates not scored or held back are only named: their panels' progress shows nowhere.
    as_of = data_as_of(
        stream.updated_at,
        version.updated_at,
        (e.candidate.evidence_changed for e in context["entries"]),
        (c.updated_at for c in (*context["waiting"], *context["held_back"])),
    )
    held_ids = ",".join(str(c.id) for c in context["held_back"])
    title = f"Shortlist: {stream.name}, {version.label}"
    return _document(
        "shortlist",
        "pdf/shortlist.html",
        context,
        title=title,
        description=f"Candidates for {stream.name} ranked against {version.label}",
        document_name=f"Shortlist · {stream.name}",
        as_of=as_of,
        ref=f"shortlist:{stream.id}:{version.id}",
        filename=f"shortlist-{slug(stream.name)}-{slug(version.definition.key)}-v{version.number}.pdf",
        audience=f"staff;held-back={held_ids}" if held_ids else "staff",
    )
