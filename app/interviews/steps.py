"""The interviews area's next steps on the home page (registered on import)."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import BindParameter, Executable, Select, bindparam, exists, func, select

from app import localtime, score_snapshots, statements
from app.interviews.panels import interviews_of
from app.models import (
    Assessment,
    CalibrationNote,
    Interview,
    ScoreSnapshot,
    SelfAssessment,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.policy import may
from app.scores import OFF_PANEL, own_seats, results
from app.statements import prebuilt
from app.steps import NextStep, person, provides_steps
from assessments.due import due_soon
from assessments.evidence import band_sentence
from assessments.scoring import BAND_LABELS

# A draft interview older than this shows as needing attention on the interviewer's home page.
INTERVIEW_DUE_DAYS = 14
# The CPO's home page names candidates waiting for a panel one by one up to this many.
PANEL_STEPS_MAX = 5
# Candidates named one by one for calibration or a decision; the rest are counted in one step.
CALIBRATION_STEPS_MAX = 10


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
    today = localtime.today()
    for interview in interviews_of(user, status="draft"):
        assessment = interview.assessment
        if interview.due_on is not None:
            # A due date agreed with the panel replaces the rule of thumb below.
            late = due_soon(interview.due_on, today)
            when = f"Due {localtime.due_label(interview.due_on, today)}"
            if interview.scheduled_at is not None:
                when += f"; the interview is on {localtime.format_datetime(interview.scheduled_at)}"
            detail = (
                f"{assessment.role_version.label}. {when}. Use the kit to rate each competency"
                " with evidence, then submit."
            )
        else:
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


@prebuilt
def _awaiting_statement() -> Executable:
    """Undecided assessments with a submitted interview, oldest first, with their panel counts
    read from the score snapshots."""
    return (
        select(Assessment.id, ScoreSnapshot.interviews_assigned, ScoreSnapshot.interviews_submitted)
        .join(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        # With no interview submitted there is nothing to calibrate or decide yet.
        .where(Assessment.decision.is_(None), ScoreSnapshot.interviews_submitted > 0)
        .order_by(Assessment.created_at, Assessment.id)
    )


@prebuilt
def _details_statement() -> Executable:
    """Name, band, readiness and flags of the assessments named on the home page."""
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    return (
        select(
            Assessment.id,
            User.name,
            ScoreSnapshot.band,
            ScoreSnapshot.readiness,
            ScoreSnapshot.flags,
            Assessment.candidate_id,
            ScoreSnapshot.self_submitted,
        )
        .join(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .join(User, User.id == Assessment.candidate_id)
        .where(Assessment.id.in_(ids))
    )


@prebuilt
def _notes_statement() -> Executable:
    return select(CalibrationNote.assessment_id, CalibrationNote.competency_key).where(
        CalibrationNote.assessment_id.in_(bindparam("ids", expanding=True))
    )


def _due_for_calibration(user: User) -> list[tuple[int, int, int]]:
    """(assessment id, panel size, submitted) of each assessment the CPO can calibrate or decide
    now, oldest first: two or more interviews in (or all of a smaller panel), and the panel's
    input open to them (the independence rule, asked of the policy for each seat they hold)."""
    viewer = user._get_current_object() if hasattr(user, "_get_current_object") else user
    seats = own_seats(viewer)
    off_panel = may(viewer, "panel.view_input", OFF_PANEL)
    return [
        (a_id, assigned, count)
        for a_id, assigned, count in statements.rows(_awaiting_statement())
        if (count >= 2 or count >= assigned)
        and (may(viewer, "panel.view_input", seats[a_id]) if a_id in seats else off_panel)
    ]


def _calibration_steps(user: User) -> list[NextStep]:
    """Calibrate once two or more interviews are in; record a decision once all are. The oldest
    CALIBRATION_STEPS_MAX are named, the rest counted in one step.

    Read from the score snapshots as plain rows: the home page scores nobody."""
    score_snapshots.settle()
    due = _due_for_calibration(user)
    named, more = due[:CALIBRATION_STEPS_MAX], len(due) - CALIBRATION_STEPS_MAX
    if not named:
        return []
    ids = [a_id for a_id, _assigned, _count in named]
    details = {row[0]: row[1:] for row in statements.rows(_details_statement(), ids=ids)}
    # A decision step explains its band: the few named read their stored detail (one query).
    stored = results(a_id for a_id, assigned, count in named if count >= assigned)
    noted = set(statements.rows(_notes_statement(), ids=ids))
    steps = []
    for a_id, assigned, count in named:
        name, band, _readiness, flags, candidate_id, self_submitted = details[a_id]
        unsettled = [key for key in flags.get("calibrate", []) if (a_id, key) not in noted]
        if count < assigned or unsettled:
            detail = (
                f"The panel differs by two levels or more on {len(unsettled)}"
                f" {'competency' if len(unsettled) == 1 else 'competencies'}: compare the"
                " ratings and note how you settle them."
                if unsettled
                else f"{count} of {assigned} panel members have submitted. Compare their"
                " ratings side by side."
            )
            steps.append(
                NextStep(
                    f"Calibrate: {count} {'interview' if count == 1 else 'interviews'} submitted"
                    f" for {name}",
                    detail,
                    url_for("interviews.calibrate", assessment_id=a_id),
                    permission="calibration.note",
                    subject=person(candidate_id),
                )
            )
        else:
            own = "self-assessment submitted" if self_submitted else "no self-assessment yet"
            steps.append(
                NextStep(
                    f"Record a decision for {name}",
                    # The band's sentence names the readiness figure: say it once.
                    f"Rests on {count} of {assigned} interviews · {own}."
                    f" {BAND_LABELS[band]}: {band_sentence(stored[a_id])}",
                    url_for("selection.record_decision", assessment_id=a_id),
                    permission="decision.record",
                    subject=person(candidate_id),
                )
            )
    if more > 0:
        noun = "candidate is" if more == 1 else "candidates are"
        steps.append(
            NextStep(
                f"{more} more {noun} waiting for calibration or a decision",
                "The oldest are named above; the candidates list shows everyone scored and"
                " not yet decided.",
                url_for("candidates.list_assessments", status="scored"),
                permission="decision.record",
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
