"""Small builders for assessments, self-assessments and interviews, straight on the models.

They run inside an app context, flush, and leave committing to the caller (or use `commit`).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping

from app.extensions import db
from app.models import (
    Assessment,
    ExecProfile,
    Interview,
    InterviewRating,
    RoleVersion,
    SelfAssessment,
    SelfRating,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.roles.lifecycle import add_version
from assessments.model import Competency
from assessments.role_files import load_default_role

_streams = itertools.count(1)

Rating = int | str | None  # 0-4, "na" for not assessed, None for not answered


def publish_default_role() -> RoleVersion:
    """The shipped Product Director role, published as a new version."""
    return add_version(load_default_role(), publish=True, actor=None)


def mini_role_competencies() -> tuple[Competency, ...]:
    """Four competencies for hand-worked examples (keys a, b, c, d)."""
    base = load_default_role().competencies[0]

    def comp(key: str, lens: str, weight: float, required: int, must: bool) -> Competency:
        return dataclasses.replace(
            base,
            key=key,
            name=f"Competency {key.upper()}",
            lens=lens,
            weight=weight,
            required_level=required,
            must_have=must,
        )

    return (
        comp("a", "value", 3, 3, True),
        comp("b", "value", 2, 2, False),
        comp("c", "workflow", 1.5, 3, False),
        comp("d", "leadership", 1, 2, True),
    )


def publish_mini_role() -> RoleVersion:
    """A four-competency role 'mini-pd', published as a new version."""
    role = dataclasses.replace(
        load_default_role(),
        key="mini-pd",
        name="Mini Product Director",
        competencies=mini_role_competencies(),
    )
    return add_version(role, publish=True, actor=None)


def make_stream(name: str | None = None, functions: list[str] | None = None) -> ValueStream:
    """A value stream."""
    stream = ValueStream(
        name=name or f"Stream {next(_streams)}",
        functions=functions if functions is not None else [],
        hats={},
    )
    db.session.add(stream)
    db.session.flush()
    return stream


def make_assessment(
    candidate: User | int,
    version: RoleVersion,
    stream: ValueStream | None = None,
    *,
    self_ratings: Mapping[str, int | None] | None = None,
    self_status: str = "submitted",
) -> Assessment:
    """An assessment, with a self-assessment when self_ratings is given."""
    user = candidate if isinstance(candidate, User) else db.session.get(User, candidate)
    assessment = Assessment(candidate=user, role_version=version, value_stream=stream)
    db.session.add(assessment)
    if self_ratings is not None:
        sa = SelfAssessment(
            assessment=assessment,
            status=self_status,
            submitted_at=utcnow() if self_status == "submitted" else None,
        )
        for key, level in self_ratings.items():
            sa.ratings.append(SelfRating(competency_key=key, level=level, evidence="My example"))
        db.session.add(sa)
    db.session.flush()
    return assessment


def add_interview(
    assessment: Assessment,
    interviewer: User | int,
    ratings: Mapping[str, Rating] | None = None,
    *,
    status: str = "submitted",
    recommendation: str | None = "yes",
    notes: str = "Evidence noted in the interview",
) -> Interview:
    """An interview with ratings; submitted unless said otherwise."""
    user = interviewer if isinstance(interviewer, User) else db.session.get(User, interviewer)
    interview = Interview(
        assessment=assessment,
        interviewer=user,
        status=status,
        recommendation=recommendation,
        strengths="Strong with customers" if status == "submitted" else "",
        weaknesses="New to delivery measures" if status == "submitted" else "",
        submitted_at=utcnow() if status == "submitted" else None,
    )
    for key, value in (ratings or {}).items():
        interview.ratings.append(
            InterviewRating(
                competency_key=key,
                level=value if isinstance(value, int) else None,
                not_assessed=value == "na",
                notes=f"{notes} ({key})",
            )
        )
    db.session.add(interview)
    db.session.flush()
    return interview


def set_experience(user: User | int, experience: dict[str, str]) -> ExecProfile:
    """An exec profile with experience per function."""
    user_id = user if isinstance(user, int) else user.id
    profile = db.session.get(ExecProfile, user_id) or ExecProfile(user_id=user_id)
    profile.experience = experience
    db.session.add(profile)
    db.session.flush()
    return profile


def all_ratings(role_version: RoleVersion, level: Rating) -> dict[str, Rating]:
    """The same rating for every competency of the role version."""
    return {c.key: level for c in role_version.role.competencies}


@dataclasses.dataclass
class Panel:
    """Ids of a ready-made scene: a candidate, a CPO and two interviewers on one assessment."""

    cpo: User
    tom: User
    mei: User
    candidate: User
    assessment_id: int
    stream_id: int
    tom_interview_id: int
    mei_interview_id: int


def panel_scene(make_user, *, mei_submitted: bool = True) -> Panel:  # type: ignore[no-untyped-def]
    """Tom's interview is a draft; Mei's is submitted (all 2s, notes 'Mei saw ...').

    The candidate rated themself 4 on everything (submitted). Call inside an app context.
    """
    cpo = make_user("cpo", name="Priya Raman")
    tom = make_user("interviewer", name="Tom Okafor")
    mei = make_user("interviewer", name="Mei Lin")
    candidate = make_user("exec", name="Sarah Whitfield")
    version = publish_default_role()
    stream = make_stream("Customer onboarding", ["Product management", "Engineering"])
    assessment = make_assessment(
        candidate.id, version, stream, self_ratings=all_ratings(version, 4)
    )
    tom_interview = add_interview(assessment, tom.id, status="draft", recommendation=None)
    mei_interview = add_interview(
        assessment,
        mei.id,
        all_ratings(version, 2),
        status="submitted" if mei_submitted else "draft",
        notes="Mei saw",
    )
    db.session.commit()
    return Panel(
        cpo, tom, mei, candidate, assessment.id, stream.id, tom_interview.id, mei_interview.id
    )
