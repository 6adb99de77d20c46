"""URL arguments for the coaching area: exec1's plan v1 (issued in the demo) and review.

See tests/app/samples/induction.py for why exec1, and what id 0 means.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CoachingPlan, ProgressReview, User
from tests.app.samples.induction import exec1_assessment_id


def _assessment(user: User | None) -> dict[str, Any]:
    return {"assessment_id": exec1_assessment_id()}


def _plan(user: User | None) -> dict[str, Any]:
    return {"assessment_id": exec1_assessment_id(), "number": 1}


def _review(user: User | None) -> dict[str, Any]:
    assessment_id = exec1_assessment_id()
    review_id = db.session.scalar(
        select(ProgressReview.id)
        .join(CoachingPlan)
        .where(CoachingPlan.assessment_id == assessment_id)
        .limit(1)
    )
    return {"assessment_id": assessment_id, "review_id": review_id or 0}


SAMPLES = {
    "coaching.show_plan": _assessment,
    "coaching.show_plan_version": _plan,
    "coaching.edit_plan": _plan,
    "coaching.issue_plan": _plan,
    "coaching.revise_plan": _plan,
    "coaching.record_review": _assessment,
    "coaching.show_review": _review,
    "coaching.decide_review": _review,
}
