"""Scoring an assessment from its records, with the pure engine in assessments.scoring."""

from __future__ import annotations

from app.models import Assessment
from assessments.scoring import ScoreResult, score_assessment


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


def score_for(assessment: Assessment) -> ScoreResult:
    """Score an assessment against the role version it is pinned to."""
    role = assessment.role_version.role
    keys = {c.key for c in role.competencies}
    selfs = {k: v for k, v in self_ratings(assessment).items() if k in keys}
    panel = {k: v for k, v in panel_ratings(assessment).items() if k in keys}
    return score_assessment(role.competencies, selfs, panel)
