"""The demo teaches good rating habits: evidence notes say what happened, calibration notes
re-check against the level descriptions."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from app.demo import load_demo
from app.extensions import db
from app.models import CalibrationNote, InterviewRating
from tests.fixtures.builders import PASSWORD

MIN_WORDS = 8
# Words that judge without describing: a sentence made only of these is a verdict, not evidence.
VERDICT_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "very",
        "really",
        "quite",
        "exceptional",
        "outstanding",
        "excellent",
        "superb",
        "brilliant",
        "great",
        "good",
        "fine",
        "ok",
        "okay",
        "solid",
        "strong",
        "impressive",
        "weak",
        "poor",
        "average",
        "answer",
        "practitioner",
        "expert",
        "awareness",
        "working",
        "only",
        "level",
        "candidate",
        "overall",
    ]
)


def is_verdict_only(sentence: str) -> bool:
    """Whether a sentence is made only of judging words ("Exceptional.", "Good answer.")."""
    words = re.findall(r"[a-z']+", sentence.lower())
    return bool(words) and all(word in VERDICT_WORDS for word in words)


def note_problems(note: str) -> list[str]:
    """What makes a note an adjective rather than evidence."""
    problems = []
    if len(note.split()) < MIN_WORDS:
        problems.append(f"fewer than {MIN_WORDS} words")
    verdicts = [s for s in re.split(r"(?<=[.!?;:])\s+", note) if is_verdict_only(s)]
    if verdicts:
        problems.append(f"verdicts without evidence: {verdicts}")
    return problems


@pytest.mark.parametrize(
    ("note", "bad"),
    [
        ("Exceptional.", True),
        ("Good answer.", True),
        ("Listens to calls every week and sits with agents monthly. Exceptional.", True),
        ("Awareness only.", True),
        ("Set the measure before the change and stopped it when calls did not fall.", False),
    ],
)
def test_the_check_catches_adjective_notes(note: str, bad: bool) -> None:
    assert bool(note_problems(note)) is bad


def test_every_demo_evidence_note_describes_what_happened(app: Flask) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        notes = [n for n in db.session.scalars(select(InterviewRating.notes)) if n]
        calibration = list(db.session.scalars(select(CalibrationNote.note)))
    assert len(notes) > 50 and calibration
    bad = {note: note_problems(note) for note in [*notes, *calibration] if note_problems(note)}
    assert bad == {}


def test_demo_calibration_notes_name_the_level_the_evidence_matches(app: Flask) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        notes = list(db.session.scalars(select(CalibrationNote.note)))
    for note in notes:
        assert re.search(r"evidence matches level \d", note), note
        assert "stands" not in note  # an average kept is not a re-check
