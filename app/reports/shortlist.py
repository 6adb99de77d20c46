"""The shortlist of a value stream and role version, built for its viewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.candidates.profiles import profiles_for
from app.extensions import db
from app.models import Assessment, ExecProfile, RoleVersion, ValueStream
from app.models.people import DECISIONS
from app.policy import may
from app.reports.documents import (
    HELD_BACK_REASON,
    Document,
    HeldBack,
    _document,
    data_as_of,
    is_scored,
    slug,
)
from app.reports.readiness import evidence_as_of
from app.scores import evidence_for, results
from assessments.evidence import Evidence
from assessments.scoring import RankEntry, ScoreResult, rank_candidates

# --- shortlist -------------------------------------------------------------------------------

# A long shortlist explains and compares only its leading candidates (two side-by-side pages)
# and ranks everyone one line each: 250 candidates in full made 99 pages and took WeasyPrint
# 11 s of CPU, too long for the worker to have the document ready (docs/decisions.md, issue 14).
LEADING = 8


@dataclass
class ShortlistEntry:
    """One ranked candidate on a shortlist."""

    rank: int
    assessment: Assessment
    result: ScoreResult
    profile: ExecProfile | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    evidence: Evidence | None = None


def load_shortlist(stream: ValueStream, version: RoleVersion) -> list[Assessment]:
    """Every assessment for this stream and role version, with what the shortlist reads of it
    (names, panel, self-assessment status); the scores come from their snapshots."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(
                Assessment.value_stream_id == stream.id, Assessment.role_version_id == version.id
            )
            .options(
                joinedload(Assessment.candidate),
                selectinload(Assessment.interviews),
                selectinload(Assessment.self_assessment),
            )
        )
    )


def shortlist_context(
    stream: ValueStream, version: RoleVersion, assessments: Sequence[Assessment], viewer: Any
) -> dict[str, Any]:
    """Scored candidates in ranking order (their stored scores), the ones not scored yet, and the
    ones whose panel input the viewer may not read yet (named only, never scored or ranked)."""
    held = sorted(
        (a for a in assessments if not may(viewer, "panel.view_input", a)),
        key=lambda a: a.candidate.name,
    )
    shown = [a for a in assessments if a not in held]
    # The same rule as the web shortlist: ranked once the panel has given a real rating.
    stored = results(a.id for a in shown if is_scored(a))
    evidence = {a.id: evidence_for(a, stored.get(a.id)) for a in shown}
    scored = [a for a in shown if evidence[a.id].scored]
    waiting = sorted(
        (a for a in shown if not evidence[a.id].scored), key=lambda a: a.candidate.name
    )
    ranked = rank_candidates(RankEntry(a.candidate.name, stored[a.id], a) for a in scored)
    profiles = profiles_for(a.candidate_id for a in assessments)
    entries = []
    for rank, entry in enumerate(ranked, start=1):
        assessment: Assessment = entry.ref  # type: ignore[assignment]
        entries.append(
            ShortlistEntry(
                rank=rank,
                assessment=assessment,
                result=entry.result,
                profile=profiles.get(assessment.candidate_id),
                scores={c.key: c for c in entry.result.competencies},
                evidence=evidence[assessment.id],
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
        "profiles": profiles,
        "evidence": evidence,
    }


def shortlist_document(
    stream: ValueStream,
    version: RoleVersion,
    viewer: Any,
    assessments: Sequence[Assessment] | None = None,
) -> Document:
    """The ranked shortlist for one value stream and role version, as this viewer may read it;
    raises HeldBack when the viewer may not see the role version at all."""
    if not may(viewer, "roles.view", version):
        raise HeldBack(f"shortlist:{stream.id}:{version.id}")
    if assessments is None:
        assessments = load_shortlist(stream, version)
    context = shortlist_context(stream, version, assessments, viewer)
    # Candidates not scored or held back are only named: their panels' progress shows nowhere.
    as_of = data_as_of(
        stream.updated_at,
        version.updated_at,
        (evidence_as_of(e.assessment, e.profile) for e in context["entries"]),
        (a.updated_at for a in (*context["waiting"], *context["held_back"])),
    )
    held_ids = ",".join(str(a.id) for a in context["held_back"])
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
