"""Test data for the candidates area, built through the area's own services."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.candidates import listing, nominations, self_assessment
from app.candidates import streams as value_streams
from app.extensions import db
from app.models import Assessment, User, ValueStream
from app.roles.services import add_version, latest_published
from assessments.roles import load_default_role

ROLE = load_default_role()
VALUE_KEYS = [c.key for c in ROLE.competencies if c.lens == "value"]
ALL_KEYS = [c.key for c in ROLE.competencies]


def publish_role(app: Flask) -> int:
    """Publish the shipped Product Director role once; returns the version id."""
    with app.app_context():
        version = latest_published(ROLE.key)
        if version is None:
            version = add_version(ROLE, publish=True, actor=None)
            db.session.commit()
        return int(version.id)


def make_stream(app: Flask, name: str = "Customer onboarding", **kwargs: Any) -> int:
    """A value stream; returns its id."""
    with app.app_context():
        stream = value_streams.save_stream(
            None,
            name=name,
            journey=kwargs.get("journey", "From first visit to first successful use"),
            business_owner=kwargs.get("business_owner", "Rachel Adeyemi"),
            functions=kwargs.get("functions", ["Product management", "Engineering"]),
            hats=kwargs.get("hats", {"product": "Nina", "engineering": "Omar"}),
        )
        db.session.commit()
        return int(stream.id)


def nominate(app: Flask, candidate: User, stream_id: int | None = None) -> int:
    """An assessment of the exec against Product Director v1; returns its id."""
    version_id = publish_role(app)
    if stream_id is None:
        stream_id = make_stream(app, name=f"Stream for {candidate.email}")
    with app.app_context():
        from app.models import RoleVersion

        assessment = nominations.nominate(
            db.session.get(User, candidate.id),
            db.session.get(ValueStream, stream_id),
            db.session.get(RoleVersion, version_id),
            actor=None,
        )
        db.session.commit()
        return int(assessment.id)


def answer(
    app: Flask,
    assessment_id: int,
    answers: dict[str, tuple[int | None, str]],
    *,
    submit: bool = False,
) -> None:
    """Save (and optionally submit) self-assessment answers directly."""
    with app.app_context():
        assessment = listing.assessment_for_page(assessment_id)
        assert assessment is not None
        sa = assessment.self_assessment
        saved = self_assessment.save_self_answers(
            assessment,
            {k: self_assessment.Answer(level, text) for k, (level, text) in answers.items()},
            expected_version=sa.version if sa else None,
            actor=None,
        )
        db.session.commit()
        if submit:
            assert saved is not None
            self_assessment.submit_self(assessment, expected_version=saved.version, actor=None)
            db.session.commit()


def full_answers(level: int = 2) -> dict[str, tuple[int | None, str]]:
    """An answer for every competency, with evidence."""
    return {key: (level, f"Example for {key}") for key in ALL_KEYS}


def count(app: Flask, model: type) -> int:
    """Rows of a model."""
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def self_assessment_of(app: Flask, assessment_id: int) -> dict[str, Any]:
    """The saved self-assessment as plain data (status, version, answers by key)."""
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment is not None
        sa = assessment.self_assessment
        if sa is None:
            return {}
        return {
            "status": sa.status,
            "version": sa.version,
            "reopened_by_id": sa.reopened_by_id,
            "answers": {r.competency_key: (r.level, r.evidence) for r in sa.ratings},
        }
