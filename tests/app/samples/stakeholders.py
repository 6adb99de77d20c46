"""URL arguments for the stakeholders area's routes (see tests/app/test_route_policy.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, User


def _assessment(user: User | None) -> dict[str, Any]:
    assessment_id = db.session.scalar(select(Assessment.id).order_by(Assessment.id).limit(1))
    assert assessment_id is not None
    return {"assessment_id": assessment_id}


def _invitation(user: User | None) -> dict[str, Any]:
    # No demo invitation is needed: the permission is checked before the invitation is loaded.
    return {**_assessment(user), "invitation_id": 1}


SAMPLES = {
    "stakeholders.manage": _assessment,
    "stakeholders.invite": _assessment,
    "stakeholders.close": _assessment,
    "stakeholders.withdraw": _invitation,
    "stakeholders.resend": _invitation,
    "stakeholders.extend": _invitation,
    "stakeholders.answer": lambda user: {"token": "no-such-token"},
    "stakeholders.autosave": lambda user: {"token": "no-such-token"},
    "stakeholders.check": lambda user: {"token": "no-such-token"},
}
