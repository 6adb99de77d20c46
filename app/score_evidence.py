"""The evidence a score is worked out from, gathered with a few plain queries for many
assessments at once (app/score_snapshots.py scores and stores it; app.scores.score_for reads the
same evidence for one loaded assessment)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from app.models import (
    Assessment,
    Interview,
    InterviewRating,
    RoleVersion,
    SelfAssessment,
    SelfRating,
    StakeholderInvitation,
    StakeholderRating,
)
from app.models.roles import parsed_role
from assessments.model import RoleDefinition
from assessments.scoring import STAKEHOLDER_MIN


@dataclass
class Gathered:
    """What one assessment's score is worked out from, as score_for reads it."""

    role_version_id: int
    selfs: dict[str, int | None] = field(default_factory=dict)
    panel: dict[str, list[int]] = field(default_factory=dict)
    assigned: int = 0
    submitted: int = 0
    ratings: int = 0
    self_submitted: bool = False
    last_interview_at: datetime | None = None
    stakeholder: dict[str, list[int]] = field(default_factory=dict)
    stakeholder_responses: int = 0


def stakeholder_min() -> int:
    """The configured stakeholder threshold (the method's default outside an app)."""
    if has_app_context():
        return int(current_app.config.get("STAKEHOLDER_MIN_RESPONSES", STAKEHOLDER_MIN))
    return STAKEHOLDER_MIN


def gather(
    conn: Connection, ids: list[int], *, lock: bool, stakeholders: bool = True
) -> dict[int, Gathered]:
    """The evidence of these assessments (those that exist), in five queries (three without
    `stakeholders`, for migrations that run before the stakeholder tables exist).

    With `lock`, the assessments' rows are locked first (PostgreSQL; SQLite has one writer
    anyway), so two transactions changing one assessment's evidence at once refresh its
    snapshot one after the other, each reading what the other committed.
    """
    query = select(Assessment.id, Assessment.role_version_id).where(Assessment.id.in_(ids))
    if lock:
        query = query.order_by(Assessment.id).with_for_update()
    found = {a_id: Gathered(version_id) for a_id, version_id in conn.execute(query)}
    if not found:
        return found
    own = conn.execute(
        select(
            SelfAssessment.assessment_id,
            SelfAssessment.status,
            SelfRating.competency_key,
            SelfRating.level,
        )
        .select_from(SelfAssessment)
        .outerjoin(
            SelfRating,
            and_(
                SelfRating.self_assessment_id == SelfAssessment.id,
                SelfAssessment.status == "submitted",
            ),
        )
        .where(SelfAssessment.assessment_id.in_(ids))
    )
    for a_id, status, key, level in own:
        evidence = found[a_id]
        evidence.self_submitted = status == "submitted"
        if key is not None:
            evidence.selfs[key] = level
    # Interview order is the panel's (by id), as Assessment.interviews loads it.
    panel = conn.execute(
        select(
            Interview.assessment_id,
            Interview.id,
            Interview.status,
            Interview.submitted_at,
            InterviewRating.competency_key,
            InterviewRating.level,
        )
        .select_from(Interview)
        .outerjoin(
            InterviewRating,
            and_(
                InterviewRating.interview_id == Interview.id,
                Interview.status == "submitted",
                InterviewRating.level.is_not(None),
            ),
        )
        .where(Interview.assessment_id.in_(ids))
        .order_by(Interview.id)
    )
    seen: set[int] = set()
    for a_id, interview_id, status, submitted_at, key, level in panel:
        evidence = found[a_id]
        if interview_id not in seen:
            seen.add(interview_id)
            evidence.assigned += 1
            if status == "submitted":
                evidence.submitted += 1
                if submitted_at is not None and (
                    evidence.last_interview_at is None or submitted_at > evidence.last_interview_at
                ):
                    evidence.last_interview_at = submitted_at
        if key is not None and level is not None:
            evidence.panel.setdefault(key, []).append(level)
    if not stakeholders:
        return found
    rows = conn.execute(
        select(
            StakeholderRating.assessment_id,
            StakeholderRating.competency_key,
            StakeholderRating.level,
        ).where(StakeholderRating.assessment_id.in_(ids))
    )
    for a_id, key, level in rows:
        found[a_id].stakeholder.setdefault(key, []).append(level)
    responses = conn.execute(
        select(StakeholderInvitation.assessment_id, func.count())
        .where(
            StakeholderInvitation.assessment_id.in_(ids),
            StakeholderInvitation.submitted_at.is_not(None),
        )
        .group_by(StakeholderInvitation.assessment_id)
    )
    for a_id, count in responses:
        found[a_id].stakeholder_responses = int(count)
    return found


def roles_of(conn: Connection, version_ids: Iterable[int]) -> dict[int, RoleDefinition]:
    rows = conn.execute(
        select(RoleVersion.id, RoleVersion.content).where(RoleVersion.id.in_(set(version_ids)))
    )
    return {version_id: parsed_role(content) for version_id, content in rows}
