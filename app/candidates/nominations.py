"""Nominating an exec: the account, the assessment it starts, and the value stream it is for.

Functions here flush and never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import audit, localtime
from app.auth import services as accounts
from app.candidates.errors import CandidateError
from app.extensions import db
from app.models import Assessment, RoleVersion, User, ValueStream
from assessments.due import SELF_DUE_DAYS, default_due


class DuplicateAssessment(CandidateError):
    """The exec already has an open assessment for this stream and role version."""

    def __init__(self, existing: Assessment) -> None:
        self.existing = existing
        stream = existing.value_stream.name if existing.value_stream else "no value stream"
        super().__init__(
            f"{existing.candidate.name} already has an open assessment for {stream} against "
            f"{existing.role_version.label} ({existing.status_label.lower()}). "
            "Choose another value stream or role version, or open the existing assessment."
        )


def create_exec(name: str, email: str) -> User:
    """A new exec without a password (they sign in after following an invite link)."""
    try:
        return accounts.create_user(email, name, "exec")
    except accounts.AccountError as exc:
        raise CandidateError(str(exc)) from exc


def open_assessment(
    candidate: User, stream: ValueStream | None, version: RoleVersion
) -> Assessment | None:
    """The exec's undecided assessment for this stream and role version, if any."""
    query = select(Assessment).where(
        Assessment.candidate_id == candidate.id,
        Assessment.role_version_id == version.id,
        Assessment.decision.is_(None),
    )
    if stream is None:
        query = query.where(Assessment.value_stream_id.is_(None))
    else:
        query = query.where(Assessment.value_stream_id == stream.id)
    return db.session.scalar(query.limit(1))


def nominate(
    candidate: User,
    stream: ValueStream,
    version: RoleVersion,
    *,
    actor: User | None,
    self_due_on: date | None = None,
) -> Assessment:
    """Start an assessment of an exec for a stream against a published role version, its
    self-assessment due on `self_due_on` (SELF_DUE_DAYS from today when not given)."""
    if candidate.role != "exec":
        raise CandidateError(f"{candidate.name} is not an executive, so cannot be nominated")
    if version.status != "published":
        raise CandidateError(f"{version.label} is not published: choose a published version")
    existing = open_assessment(candidate, stream, version)
    if existing is not None:
        raise DuplicateAssessment(existing)
    assessment = Assessment(
        candidate=candidate,
        value_stream=stream,
        role_version=version,
        created_by=actor,
        self_due_on=self_due_on or default_due(localtime.today(), SELF_DUE_DAYS),
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        "assessment.nominate",
        f"{candidate.email} nominated for {stream.name} against {version.label}",
        obj=assessment,
        actor=actor,
        new={
            "candidate": candidate.email,
            "stream": stream.name,
            "role_version": version.label,
            "self_due_on": assessment.self_due_on.isoformat() if assessment.self_due_on else None,
        },
    )
    return assessment


def set_self_due(assessment: Assessment, due: date, *, actor: User | None) -> None:
    """Change when the self-assessment is due (reminders follow the new date)."""
    old = assessment.self_due_on
    if old == due:
        return
    assessment.self_due_on = due
    db.session.flush()
    audit.record(
        "assessment.self_due",
        f"Self-assessment of {assessment.candidate.email} now due {due.isoformat()}",
        obj=assessment,
        actor=actor,
        old={"self_due_on": old.isoformat() if old else None},
        new={"self_due_on": due.isoformat()},
    )


def set_stream(assessment: Assessment, stream: ValueStream, *, actor: User | None) -> None:
    """Give an assessment (typically an imported one) its value stream."""
    existing = open_assessment(assessment.candidate, stream, assessment.role_version)
    if existing is not None and existing is not assessment:
        raise DuplicateAssessment(existing)
    old = assessment.value_stream.name if assessment.value_stream else None
    assessment.value_stream = stream
    db.session.flush()
    audit.record(
        "assessment.stream",
        f"Assessment of {assessment.candidate.email} now for {stream.name}",
        obj=assessment,
        actor=actor,
        old={"stream": old},
        new={"stream": stream.name},
    )
