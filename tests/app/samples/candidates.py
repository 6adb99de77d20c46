"""URL arguments for the candidates area's routes (see tests/app/test_route_policy.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, User, ValueStream


def _exec_for(user: User | None) -> User:
    """The signed-in exec themselves; for anyone else, exec1."""
    if user is not None and user.role == "exec":
        return user
    exec1 = db.session.scalar(select(User).where(User.email == "exec1@example.org"))
    assert exec1 is not None
    return exec1


def _assessment(user: User | None) -> dict[str, Any]:
    assessment_id = db.session.scalar(
        select(Assessment.id)
        .where(Assessment.candidate_id == _exec_for(user).id)
        .order_by(Assessment.id)
        .limit(1)
    )
    assert assessment_id is not None, "the demo gives every exec an assessment"
    return {"assessment_id": assessment_id}


def _stream(user: User | None) -> dict[str, Any]:
    stream_id = db.session.scalar(
        select(ValueStream.id).where(ValueStream.name == "Customer onboarding")
    )
    assert stream_id is not None
    return {"stream_id": stream_id}


def _lens_page(user: User | None) -> dict[str, Any]:
    return {**_assessment(user), "lens": "value"}


SAMPLES = {
    "candidates.show_stream": _stream,
    "candidates.edit_stream": _stream,
    "candidates.show_assessment": _assessment,
    "candidates.set_assessment_stream": _assessment,
    "candidates.edit_self_due": _assessment,
    "candidates.self_intro": _assessment,
    "candidates.self_page": _lens_page,
    "candidates.autosave_self": _lens_page,
    "candidates.self_check": _assessment,
    "candidates.self_done": _assessment,
    "candidates.reopen_self": _assessment,
    "candidates.edit_profile": lambda user: {"user_id": _exec_for(user).id},
}
