"""URL arguments for the interviews area, from the demo organisation.

Sarah Whitfield (exec1) has a submitted panel of the CPO and both interviewers; a panel
member's own interview is used for them, anyone else gets Sarah's first interview (and a 403).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, Interview, User


def sarah_assessment() -> Assessment:
    """The demo assessment of exec1@example.org."""
    assessment = db.session.scalar(
        select(Assessment)
        .join(User, Assessment.candidate_id == User.id)
        .where(User.email == "exec1@example.org")
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    assert assessment is not None, "the demo assesses exec1@example.org"
    return assessment


def _assessment(user: User | None) -> dict[str, Any]:
    return {"assessment_id": sarah_assessment().id}


def _interview(user: User | None) -> dict[str, Any]:
    query = select(Interview).order_by(Interview.id)
    if user is not None and user.role in ("cpo", "interviewer"):
        query = query.where(Interview.interviewer_id == user.id)
    else:
        query = query.where(Interview.assessment_id == sarah_assessment().id)
    interview = db.session.scalars(query).first()
    assert interview is not None, "the demo gives every panel member an interview"
    return {"interview_id": interview.id}


SAMPLES = {
    "interviews.assign_panel": _assessment,
    "interviews.conduct_interview": _interview,
    "interviews.autosave_interview": _interview,
    "interviews.check_interview": _interview,
    "interviews.calibrate": _assessment,
    "interviews.edit_focus": lambda user: {
        "assessment_id": sarah_assessment().id,
        "interview_id": db.session.scalars(
            select(Interview.id).where(Interview.assessment_id == sarah_assessment().id)
        ).first(),
    },
    "interviews.edit_schedule": lambda user: {
        "assessment_id": sarah_assessment().id,
        "interview_id": db.session.scalars(
            select(Interview.id).where(Interview.assessment_id == sarah_assessment().id)
        ).first(),
    },
    "interviews.add_calibration_note": lambda user: {
        "assessment_id": sarah_assessment().id,
        "key": "value-and-pnl",
    },
}
