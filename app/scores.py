"""Scores: one assessment scored fresh from its records, and many read from their snapshots.

A page about one assessment scores it fresh (`score_for`), beside the very ratings it shows.
Lists read the snapshots app/score_snapshots.py keeps (`summaries`, `results`), never scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app import score_snapshots
from app.extensions import db
from app.models import (
    Assessment,
    Interview,
    ScoreSnapshot,
    StakeholderInvitation,
    StakeholderRating,
)
from assessments.evidence import Evidence
from assessments.model import LENSES
from assessments.scoring import BAND_LABELS, CompetencyScore, ScoreResult, score_assessment


def self_ratings(assessment: Assessment) -> dict[str, int | None]:
    """The exec's submitted self-ratings by competency key (none while still a draft)."""
    sa = assessment.self_assessment
    if sa is None or sa.status != "submitted":
        return {}
    return {r.competency_key: r.level for r in sa.ratings}


def panel_ratings(assessment: Assessment) -> dict[str, list[int]]:
    """Ratings from submitted interviews by competency key, leaving out "not assessed"."""
    ratings: dict[str, list[int]] = {}
    for interview in assessment.interviews:
        if interview.status != "submitted":
            continue
        for rating in interview.ratings:
            if rating.level is not None:
                ratings.setdefault(rating.competency_key, []).append(rating.level)
    return ratings


def stakeholder_ratings(assessment: Assessment) -> dict[str, list[int]]:
    """Stakeholders' levels by competency key (unlinked rows; "not observed" stores none)."""
    rows = db.session.execute(
        select(StakeholderRating.competency_key, StakeholderRating.level).where(
            StakeholderRating.assessment_id == assessment.id
        )
    )
    ratings: dict[str, list[int]] = {}
    for key, level in rows:
        ratings.setdefault(key, []).append(level)
    return ratings


def stakeholder_responses(assessment: Assessment) -> int:
    """How many stakeholders submitted (their answers stay in the pool even if withdrawn later)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(StakeholderInvitation)
            .where(
                StakeholderInvitation.assessment_id == assessment.id,
                StakeholderInvitation.submitted_at.is_not(None),
            )
        )
        or 0
    )


def score_for(assessment: Assessment) -> ScoreResult:
    """Score an assessment against the role version it is pinned to."""
    role = assessment.role_version.role
    keys = {c.key for c in role.competencies}
    selfs = {k: v for k, v in self_ratings(assessment).items() if k in keys}
    panel = {k: v for k, v in panel_ratings(assessment).items() if k in keys}
    stakeholders = {k: v for k, v in stakeholder_ratings(assessment).items() if k in keys}
    return score_assessment(
        role.competencies,
        selfs,
        panel,
        stakeholders,
        stakeholder_responses=stakeholder_responses(assessment),
        stakeholder_min=score_snapshots.stakeholder_min(),
    )


def evidence_for(assessment: Assessment, result: ScoreResult | None = None) -> Evidence:
    """What one loaded assessment's score rests on (its interviews and self-assessment); the
    ratings are counted from its score when given, so a list need not load every rating."""
    submitted = [i for i in assessment.interviews if i.status == "submitted"]
    sa = assessment.self_assessment
    ratings = (
        sum(len(c.ratings) for c in result.competencies)
        if result is not None
        else sum(1 for i in submitted for r in i.ratings if r.level is not None)
    )
    return Evidence(
        interviews_assigned=len(assessment.interviews),
        interviews_submitted=len(submitted),
        panel_ratings=ratings,
        self_submitted=sa is not None and sa.status == "submitted",
    )


# The snapshot's evidence columns, in Evidence's field order, for lists read as rows.
EVIDENCE_COLUMNS = (
    ScoreSnapshot.interviews_assigned,
    ScoreSnapshot.interviews_submitted,
    ScoreSnapshot.panel_ratings,
    ScoreSnapshot.self_submitted,
)


def evidence_from_row(values: Iterable[Any]) -> Evidence:
    """Evidence from the values of EVIDENCE_COLUMNS, in that order."""
    assigned, submitted, ratings, self_submitted = values
    return Evidence(int(assigned), int(submitted), int(ratings), bool(self_submitted))


# --- Reading snapshots ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreSummary:
    """The figures a list shows and ranks by, read from a snapshot's columns (no JSON detail
    per competency); the same names as ScoreResult, so templates take either."""

    band: str
    readiness: float
    coverage: float
    lenses: Mapping[str, float | None]
    must_have_unmet: tuple[str, ...]
    must_have_unassessed: tuple[str, ...]
    must_have_gap_sum: float

    @property
    def band_label(self) -> str:
        """The band as a person reads it."""
        return BAND_LABELS[self.band]


SUMMARY_COLUMNS = (
    ScoreSnapshot.band,
    ScoreSnapshot.readiness,
    ScoreSnapshot.coverage,
    ScoreSnapshot.lenses,
    ScoreSnapshot.must_have_unmet,
    ScoreSnapshot.must_have_unassessed,
    ScoreSnapshot.must_have_gap_sum,
)


def summary_from_row(values: Iterable[Any]) -> ScoreSummary:
    """A summary from the values of SUMMARY_COLUMNS, in that order."""
    band, readiness, coverage, lenses, unmet, unassessed, gap_sum = values
    return ScoreSummary(
        band,
        readiness,
        coverage,
        {lens: lenses.get(lens) for lens in LENSES},
        tuple(unmet),
        tuple(unassessed),
        gap_sum,
    )


def result_from_snapshot(snapshot: ScoreSnapshot) -> ScoreResult:
    """The whole result a snapshot stores, as assessments.scoring built it."""
    return ScoreResult(
        readiness=snapshot.readiness,
        band=snapshot.band,
        coverage=snapshot.coverage,
        lenses={lens: snapshot.lenses.get(lens) for lens in LENSES},
        must_have_unmet=tuple(snapshot.must_have_unmet),
        must_have_unassessed=tuple(snapshot.must_have_unassessed),
        competencies=tuple(
            CompetencyScore(
                key=c["key"],
                name=c["name"],
                lens=c["lens"],
                weight=c["weight"],
                required=c["required"],
                must_have=c["must_have"],
                self_rating=c["self"],
                ratings=tuple(c["ratings"]),
                panel=c["panel"],
                gap=c["gap"],
                attainment=c["attainment"],
                flags=tuple(c["flags"]),
                stakeholder=c.get("stakeholder"),
                stakeholder_count=c.get("stakeholder_count", 0),
            )
            for c in snapshot.competencies
        ),
        stakeholder_responses=snapshot.stakeholder_responses,
    )


def results(assessment_ids: Iterable[int]) -> dict[int, ScoreResult]:
    """The stored results of these assessments, by id, in one query."""
    ids = list(assessment_ids)
    if not ids:
        return {}
    score_snapshots.settle()
    found = db.session.scalars(select(ScoreSnapshot).where(ScoreSnapshot.assessment_id.in_(ids)))
    return {s.assessment_id: result_from_snapshot(s) for s in found}


# --- Independence on plain rows ------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """One interview of the viewer's: all the independence rule reads of a panel."""

    interviewer_id: int
    status: str


@dataclass(frozen=True)
class PanelSeats:
    """An assessment as the policy's independence rule sees it: the viewer's own seat, so a
    list read as plain rows asks `may(viewer, "panel.view_input", ...)` like a page does."""

    interviews: tuple[Seat, ...]


OFF_PANEL = PanelSeats(())


def own_seats(viewer: Any) -> dict[int, PanelSeats]:
    """The viewer's own interviews by assessment id, in one query."""
    rows = db.session.execute(
        select(Interview.assessment_id, Interview.status).where(
            Interview.interviewer_id == viewer.id
        )
    )
    return {int(a_id): PanelSeats((Seat(viewer.id, str(status)),)) for a_id, status in rows}
