"""A scored candidate with stakeholder feedback: five responses (a concern the panel missed)
or two (below the threshold). Names, emails and comments are distinctive, so a test can search
every page and file for them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import (
    StakeholderComment,
    StakeholderInvitation,
    StakeholderRating,
    User,
)
from app.models.base import utcnow
from tests.fixtures.builders import add_interview, make_assessment, new_stream, publish_mini_role

# In the order they submitted: (email, name, relationship, levels, comments)
FIVE = (
    (
        "quentin.xylo@example.org",
        "Quentin Xylo",
        "digital-team",
        {"a": 1, "b": 2, "c": 4},
        [("a", "ZEBRA-ONE pushes finished plans onto the team")],
    ),
    (
        "wilma.vantablack@example.org",
        "Wilma Vantablack",
        "business-peer",
        {"a": 1, "b": 2},
        [("a", "ZEBRA-TWO wants everything at once")],
    ),
    (
        "orla.quimby@example.org",
        "Orla Quimby",
        "senior-stakeholder",
        {"a": 2, "b": 3},
        [("b", "ZEBRA-THREE clear about value")],
    ),
    (
        "piet.zwanenburg@example.org",
        "Piet Zwanenburg",
        "digital-team",
        {"a": 1},
        [(None, "ZEBRA-FOUR energetic overall")],
    ),
    (
        "ysolde.krumm@example.org",
        "Ysolde Krumm",
        "other",
        {"a": 2},
        [("c", "ZEBRA-FIVE fixes quality herself")],
    ),
)
TWO = (
    (
        "quentin.xylo@example.org",
        "Quentin Xylo",
        "digital-team",
        {"a": 1, "b": 2},
        [("a", "YAK-ONE talks over the engineers")],
    ),
    (
        "wilma.vantablack@example.org",
        "Wilma Vantablack",
        "business-peer",
        {"a": 2, "b": 3},
        [("b", "YAK-TWO good with finance")],
    ),
)
PENDING = ("hamish.ostrog@example.org", "Hamish Ostrog", "business-peer")


@dataclass
class Scene:
    """The ids and the words to look for."""

    assessment_id: int
    cpo: User
    candidate: User
    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def add_responses(
    assessment_id: int, responses: tuple, pending: bool = True, by: int | None = None
) -> None:  # type: ignore[type-arg]
    """Invitations (submitted, plus one pending) and their answers as unlinked rows."""
    now = utcnow()
    asked = [(e, n, r, None, None) for e, n, r in [PENDING]] if pending else []
    for email, name, relationship, levels, comments in responses:
        asked.append((email, name, relationship, levels, comments))
    for email, name, relationship, levels, comments in asked:
        db.session.add(
            StakeholderInvitation(
                assessment_id=assessment_id,
                email=email,
                name=name,
                relationship=relationship,
                token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                created_at=now - timedelta(days=9),
                created_by_id=by,
                expires_at=now + timedelta(days=12),
                draft={},
                submitted_at=now - timedelta(days=3) if levels is not None else None,
            )
        )
        for key, level in (levels or {}).items():
            db.session.add(
                StakeholderRating(assessment_id=assessment_id, competency_key=key, level=level)
            )
        for key, text in comments or []:
            db.session.add(
                StakeholderComment(assessment_id=assessment_id, competency_key=key, text=text)
            )
    db.session.flush()


def close(assessment_id: int) -> None:
    """Close the feedback round as the CPO's button does: the pending link ends, results show."""
    from app.models import Assessment

    now = utcnow()
    assessment = db.session.get(Assessment, assessment_id)
    assert assessment is not None
    assessment.stakeholder_closed_at = now
    for invitation in db.session.scalars(
        select(StakeholderInvitation).where(
            StakeholderInvitation.assessment_id == assessment_id,
            StakeholderInvitation.submitted_at.is_(None),
        )
    ):
        invitation.expires_at = min(invitation.expires_at, now)
        invitation.draft = {}
    db.session.flush()


def build(
    app: Flask,
    make_user,  # type: ignore[no-untyped-def]
    responses: tuple,  # type: ignore[type-arg]
    *,
    decision: str | None = None,
    closed: bool = True,
) -> Scene:
    """Dana Quist scored against the mini role: panel a 3.0, b 2.5, c 2.5, d 2.0. The feedback
    round is closed (results show) unless `closed` is False (one invitation still open)."""
    cpo = make_user("cpo", name="Priya Raman")
    candidate = make_user("exec", name="Dana Quist")
    tom = make_user("interviewer", name="Tom Okafor")
    mei = make_user("interviewer", name="Mei Lin")
    with app.app_context():
        version = publish_mini_role()
        stream = new_stream("Payments and billing", ["Product management"])
        assessment = make_assessment(
            candidate.id, version, stream, self_ratings={"a": 4, "b": 2, "c": 3, "d": 2}
        )
        add_interview(assessment, tom.id, {"a": 3, "b": 2, "c": 3, "d": 2})
        add_interview(assessment, mei.id, {"a": 3, "b": 3, "c": 2, "d": 2})
        add_responses(assessment.id, responses, by=cpo.id)
        if closed:
            close(assessment.id)
        if decision is not None:
            assessment.decision = decision
            assessment.decision_rationale = "RATIONALE-WORDS for the panel."
            assessment.decided_by_id = cpo.id
            assessment.decided_at = utcnow()
        db.session.commit()
        assessment_id = assessment.id
    return Scene(
        assessment_id=assessment_id,
        cpo=cpo,
        candidate=candidate,
        names=[r[1] for r in responses] + [PENDING[1]],
        emails=[r[0] for r in responses] + [PENDING[0]],
        comments=[text for r in responses for _key, text in r[4]],
    )


def comments_by_id(app: Flask, assessment_id: int) -> list[str]:
    """The comments in the order of their random ids (the order pages show them in)."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(StakeholderComment.text)
                .where(StakeholderComment.assessment_id == assessment_id)
                .order_by(StakeholderComment.id)
            )
        )
