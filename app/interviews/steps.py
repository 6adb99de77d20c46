"""The interviews area's next steps on the home page (registered on import)."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import Executable, Select, bindparam, exists, func, select

from app import statements
from app.extensions import db
from app.interviews.panels import interviews_of, panel_of
from app.models import Assessment, CalibrationNote, Interview, SelfAssessment, User, ValueStream
from app.models.base import utcnow
from app.models.loaders import results_options
from app.policy import may
from app.scores import score_for
from app.statements import prebuilt
from app.steps import NextStep, person, provides_steps

# A draft interview older than this shows as needing attention on the interviewer's home page.
INTERVIEW_DUE_DAYS = 14
# The CPO's home page names candidates waiting for a panel one by one up to this many.
PANEL_STEPS_MAX = 5


# --- Home page steps -----------------------------------------------------------------------


def _subject(assessment: Assessment) -> str:
    stream = assessment.value_stream.name if assessment.value_stream else None
    return _named(assessment.candidate.name, stream)


def _named(candidate: str, stream: str | None) -> str:
    """E.g. 'Sarah Whitfield for Home buying', or the name alone without a stream."""
    return f"{candidate} for {stream}" if stream else candidate


def _waiting_for_a_panel_query() -> Select:  # type: ignore[type-arg]
    return (
        select(Assessment.id, User.name, ValueStream.name, Assessment.created_at, User.id)
        .select_from(Assessment)
        .join(SelfAssessment, SelfAssessment.assessment_id == Assessment.id)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .where(
            SelfAssessment.status == "submitted",
            Assessment.decision.is_(None),
            ~Assessment.interviews.any(),
        )
        # Unordered on purpose: the steps are shown only when these are all of them, so the
        # database may stop at the first few matches instead of sorting every one.
        .limit(PANEL_STEPS_MAX + 1)
    )


@prebuilt
def _home_summary() -> Executable:
    """One row for the home page: does this person have draft interviews, is any assessment
    waiting for calibration or a decision, and how many (up to one more than are named) wait
    for a panel. Details are read only for what is there."""
    awaiting = exists().where(
        Assessment.decision.is_(None),
        Assessment.interviews.any(Interview.status == "submitted"),
    )
    return select(
        exists().where(
            Interview.interviewer_id == bindparam("user_id"), Interview.status == "draft"
        ),
        awaiting,
        select(func.count()).select_from(_waiting_for_a_panel_query().subquery()).scalar_subquery(),
    )


@prebuilt
def _waiting_for_a_panel() -> Executable:
    return _waiting_for_a_panel_query()


@provides_steps("cpo", "interviewer")
def _interviews_area_steps(user: User) -> list[NextStep]:
    """Draft interviews (CPO and interviewers); calibrations, decisions and panels to assign
    (CPO). The home page is the busiest page: one plain question first, details only for what
    is there."""
    has_drafts, awaiting, waiting = statements.one(_home_summary(), user_id=user.id)
    steps = _interview_steps(user) if has_drafts else []
    if user.role == "cpo":
        if awaiting:
            steps += _calibration_steps(user)
        if 0 < waiting <= PANEL_STEPS_MAX:
            steps += _panel_steps()
    return steps


def _interview_steps(user: User) -> list[NextStep]:
    steps: list[NextStep] = []
    due = utcnow() - timedelta(days=INTERVIEW_DUE_DAYS)
    for interview in interviews_of(user, status="draft"):
        assessment = interview.assessment
        late = interview.assigned_at < due
        days = (utcnow() - interview.assigned_at).days
        detail = (
            f"{assessment.role_version.label}. Assigned {days} days ago: the panel is waiting"
            " for your ratings."
            if late
            else f"{assessment.role_version.label}. Use the kit to rate each competency with"
            " evidence, then submit."
        )
        steps.append(
            NextStep(
                f"Interview {_subject(assessment)}",
                detail,
                url_for("interviews.conduct_interview", interview_id=interview.id),
                urgent=late,
                permission="interview.conduct",
                obj=interview,
                subject=person(assessment.candidate_id),
            )
        )
    return steps


def _calibration_steps(user: User) -> list[NextStep]:
    """Calibrate once two or more interviews are in; record a decision once all are."""
    assessments = list(
        db.session.scalars(
            select(Assessment)
            # With no interview submitted there is nothing to calibrate or decide yet.
            .where(
                Assessment.decision.is_(None),
                Assessment.interviews.any(Interview.status == "submitted"),
            )
            .options(*results_options())
            .order_by(Assessment.created_at)
        ).unique()
    )
    if not assessments:
        return []
    noted = {
        (row.assessment_id, row.competency_key)
        for row in db.session.execute(
            select(CalibrationNote.assessment_id, CalibrationNote.competency_key).where(
                CalibrationNote.assessment_id.in_([a.id for a in assessments])
            )
        )
    }
    steps = []
    for assessment in assessments:
        if not may(user, "panel.view_input", assessment):
            continue
        panel = panel_of(assessment)
        submitted = [i for i in panel if i.status == "submitted"]
        if len(submitted) < 2 and len(submitted) < len(panel):
            continue
        result = score_for(assessment)
        unsettled = [
            c
            for c in result.competencies
            if "calibrate" in c.flags and (assessment.id, c.key) not in noted
        ]
        if len(submitted) < len(panel) or unsettled:
            count = len(submitted)
            detail = (
                f"The panel differs by two levels or more on {len(unsettled)}"
                f" {'competency' if len(unsettled) == 1 else 'competencies'}: compare the"
                " ratings and note how you settle them."
                if unsettled
                else f"{count} of {len(panel)} panel members have submitted. Compare their"
                " ratings side by side."
            )
            steps.append(
                NextStep(
                    f"Calibrate: {count} {'interview' if count == 1 else 'interviews'} submitted"
                    f" for {assessment.candidate.name}",
                    detail,
                    url_for("interviews.calibrate", assessment_id=assessment.id),
                    permission="calibration.note",
                    obj=assessment,
                    subject=person(assessment.candidate_id),
                )
            )
        else:
            steps.append(
                NextStep(
                    f"Record a decision for {assessment.candidate.name}",
                    f"All {len(panel)} interviews are in: {result.band_label.lower()},"
                    f" readiness {result.readiness:.1f}%.",
                    url_for("selection.record_decision", assessment_id=assessment.id),
                    permission="decision.record",
                    obj=assessment,
                    subject=person(assessment.candidate_id),
                )
            )
    return steps


def _panel_steps() -> list[NextStep]:
    """Candidates whose self-assessment is in but who have no panel yet, one step each while
    there are only a few; beyond that the candidates area's single "ready for interviews" step
    (linking to the filtered list) says it, so the home page stays short."""
    # Plain rows rather than objects: only names and ids are shown.
    waiting = statements.rows(_waiting_for_a_panel())
    if len(waiting) > PANEL_STEPS_MAX:
        return []
    return [
        NextStep(
            f"Assign an interview panel for {_named(name, stream)}",
            "The self-assessment is in. Choose who interviews: yourself and/or panel interviewers.",
            url_for("interviews.assign_panel", assessment_id=assessment_id),
            permission="panel.assign",
            subject=person(candidate_id),
        )
        for assessment_id, name, stream, _created, candidate_id in sorted(
            waiting, key=lambda r: (r[3], r[0])
        )
    ]
