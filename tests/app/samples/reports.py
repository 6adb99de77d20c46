"""URL arguments for the reports area's routes (see tests/app/test_route_policy.py).

Each picks an object the signed-in user may reach in the demo organisation, or id 0 (a 404)
when the demo has none, such as a bulk export nobody has started.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, CoachingPlan, ExportJob, Interview, RoleVersion, User


def _scored_assessment(user: User | None) -> dict[str, object]:
    found = db.session.scalar(
        select(Interview.assessment_id)
        .where(Interview.status == "submitted")
        .order_by(Interview.id)
        .limit(1)
    )
    return {"assessment_id": found or 0}


def _plan(user: User | None) -> dict[str, object]:
    query = (
        select(CoachingPlan.id).join(CoachingPlan.assessment).where(CoachingPlan.status == "issued")
    )
    if user is not None and user.role == "exec":
        query = query.where(Assessment.candidate_id == user.id)
    return {"plan_id": db.session.scalar(query.order_by(CoachingPlan.id).limit(1)) or 0}


def _shortlist(user: User | None) -> dict[str, object]:
    row = db.session.execute(
        select(Assessment.value_stream_id, Assessment.role_version_id)
        .where(Assessment.value_stream_id.is_not(None))
        .order_by(Assessment.id)
        .limit(1)
    ).first()
    return {"stream_id": row[0], "version_id": row[1]} if row else {"stream_id": 0, "version_id": 0}


def _guide(user: User | None) -> dict[str, object]:
    found = db.session.scalar(
        select(RoleVersion.id)
        .where(RoleVersion.status == "published")
        .order_by(RoleVersion.id)
        .limit(1)
    )
    return {"version_id": found or 0}


def _job(user: User | None) -> dict[str, object]:
    found = None
    if user is not None:
        found = db.session.scalar(select(ExportJob.id).where(ExportJob.user_id == user.id).limit(1))
    return {"job_id": found or 0}


SAMPLES = {
    "reports.readiness_pdf": _scored_assessment,
    "reports.plan_pdf": _plan,
    "reports.shortlist_pdf": _shortlist,
    "reports.interview_guide_pdf": _guide,
    "reports.export_progress": _job,
    "reports.export_download": _job,
    "reports.cancel_export": _job,
}
