"""Calibration notes on an assessment, and the panel's ratings they are read against."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.extensions import db
from app.models import Assessment, CalibrationNote, InterviewRating, User
from app.models.base import utcnow

# --- Calibration ---------------------------------------------------------------------------


def calibration_notes(assessment: Assessment) -> dict[str, list[CalibrationNote]]:
    """The CPO's notes by competency key, oldest first (one query)."""
    notes = db.session.scalars(
        select(CalibrationNote)
        .where(CalibrationNote.assessment_id == assessment.id)
        .options(joinedload(CalibrationNote.author))
        .order_by(CalibrationNote.created_at, CalibrationNote.id)
    )
    by_key: dict[str, list[CalibrationNote]] = {}
    for note in notes:
        by_key.setdefault(note.competency_key, []).append(note)
    return by_key


def add_calibration_note(
    assessment: Assessment, competency_key: str, text: str, actor: User | None
) -> CalibrationNote:
    """Append a calibration note; the raw ratings are never changed."""
    note = CalibrationNote(
        assessment_id=assessment.id,
        competency_key=competency_key,
        note=text.strip(),
        author_id=actor.id if actor is not None else None,
        created_at=utcnow(),
    )
    db.session.add(note)
    db.session.flush()
    audit.record(
        "calibration.note",
        f"Calibration note on {competency_key} for {assessment.candidate.name}",
        obj=assessment,
        actor=actor,
        old=None,
        new={"competency": competency_key, "note": note.note},
    )
    return note


def ratings_by_interview(assessment: Assessment) -> dict[int, dict[str, InterviewRating]]:
    """Interview id -> competency key -> rating, for side-by-side tables."""
    return {i.id: {r.competency_key: r for r in i.ratings} for i in assessment.interviews}
