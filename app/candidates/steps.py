"""What execs and the CPO have to do next in the candidates area, for their home page."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import Executable, exists, func, select

from app import localtime, statements
from app.candidates.listing import assessments_of
from app.candidates.profiles import profile_of
from app.candidates.self_assessment import progress, resume_page, self_state
from app.models import Assessment, Interview, SelfAssessment, User, ValueStream
from app.statements import prebuilt
from app.steps import NextStep, provides_steps
from assessments.due import due_soon


def stream_label(assessment: Assessment) -> str:
    """The stream's name, or the role's when the assessment has no stream yet."""
    if assessment.value_stream is not None:
        return assessment.value_stream.name
    return assessment.role_version.label


@provides_steps("exec")
def _exec_steps(user: User) -> list[NextStep]:
    steps = []
    for assessment in assessments_of(user):
        if assessment.decision or self_state(assessment) == "submitted":
            continue
        done = progress(assessment)
        lens = resume_page(assessment)
        if self_state(assessment) == "not-started":
            url = url_for("candidates.self_intro", assessment_id=assessment.id)
            detail = (
                f"Read the role, then rate yourself on {done.total} competencies. "
                "You can save and come back at any time."
            )
        else:
            url = (
                url_for("candidates.self_page", assessment_id=assessment.id, lens=lens)
                if lens
                else url_for("candidates.self_check", assessment_id=assessment.id)
            )
            detail = f"{done.text}. Pick up where you left off."
        due = assessment.self_due_on
        if due is not None:
            detail = f"{detail} Due {localtime.due_label(due)}."
        steps.append(
            NextStep(
                f"Complete your self-assessment for {stream_label(assessment)}",
                detail,
                url,
                urgent=due is not None and due_soon(due, localtime.today()),
                permission="self.fill",
                obj=assessment,
            )
        )
    if profile_of(user) is None:
        steps.append(
            NextStep(
                "Tell us about your experience",
                "Your current role, business area and experience in each function.",
                url_for("candidates.edit_profile", user_id=user.id),
                permission="profile.edit",
                obj=user,
            )
        )
    return steps


@prebuilt
def _cpo_counts() -> Executable:
    """Candidates ready for interviews, assessments without a stream, streams, and streams
    without candidates: one row."""
    return select(
        select(func.count())
        .select_from(Assessment)
        .join(SelfAssessment)
        .where(
            SelfAssessment.status == "submitted",
            Assessment.decision.is_(None),
            ~exists().where(Interview.assessment_id == Assessment.id),
        )
        .scalar_subquery(),
        select(func.count())
        .select_from(Assessment)
        .where(Assessment.value_stream_id.is_(None))
        .scalar_subquery(),
        select(func.count()).select_from(ValueStream).scalar_subquery(),
        select(func.count())
        .select_from(ValueStream)
        .where(~ValueStream.assessments.any())
        .scalar_subquery(),
    )


@prebuilt
def _streams_without_candidates() -> Executable:
    return (
        select(ValueStream.id, ValueStream.name)
        .where(~ValueStream.assessments.any())
        .order_by(ValueStream.name)
    )


@provides_steps("cpo")
def _cpo_steps(user: User) -> list[NextStep]:
    steps = []
    ready, unassigned, has_streams, empty_streams = statements.one(_cpo_counts())
    if ready:
        noun = "self-assessment" if ready == 1 else "self-assessments"
        steps.append(
            NextStep(
                f"{ready} {noun} submitted, ready for interviews",
                "Read what the candidates said about themselves, then arrange their panel.",
                url_for("candidates.list_assessments", status="self-submitted"),
                permission="panel.assign",
            )
        )
    if unassigned:
        noun = "assessment has" if unassigned == 1 else "assessments have"
        steps.append(
            NextStep(
                f"{unassigned} {noun} no value stream",
                "Imported ratings start without a value stream: choose the stream for each.",
                url_for("candidates.list_assessments", stream="none"),
                urgent=True,
                permission="assessments.nominate",
            )
        )
    empty = statements.rows(_streams_without_candidates()) if empty_streams else []
    for stream_id, name in empty:
        steps.append(
            NextStep(
                f"Nominate candidates for {name} (no candidates yet)",
                "Choose executives with experience in the functions this stream needs.",
                url_for("candidates.nominate", stream=stream_id),
                permission="assessments.nominate",
            )
        )
    if not has_streams:
        steps.append(
            NextStep(
                "Describe your first value stream",
                "Its customer journey, owner, the functions it needs and its team's hats.",
                url_for("candidates.new_stream"),
                permission="streams.edit",
            )
        )
    return steps
