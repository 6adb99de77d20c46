"""The interviews area's next steps on the home page (registered on import)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import url_for
from sqlalchemy import (
    BindParameter,
    Executable,
    Select,
    bindparam,
    exists,
    func,
    or_,
    select,
)

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
from app.models.interviews import INTERVIEW_STATUSES
from app.policy import may
from app.scores import OFF_PANEL, PanelSeats, Seat, results
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
# The home page counts the assessments waiting for the CPO up to this many, then says "over 100".
COUNT_CAP = 110


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


def _awaiting_filter(off_panel: bool, open_statuses: tuple[str, ...]) -> list[Any]:
    """Undecided assessments the CPO can calibrate or decide now: two or more interviews in (or
    all of a smaller panel), and the panel's input open to them. The independence rule depends
    only on the status of the viewer's own seat, so it is asked of the policy once per status
    and applied here in SQL: the home page reads no row per assessment."""
    own = exists().where(
        Interview.assessment_id == Assessment.id,
        Interview.interviewer_id == bindparam("viewer_id"),
    )
    if off_panel:  # open unless the viewer holds a seat whose status keeps it closed
        open_to_viewer = ~own.where(Interview.status.not_in(open_statuses))
    else:  # closed unless the viewer holds a seat whose status opens it
        open_to_viewer = own.where(Interview.status.in_(open_statuses))
    return [
        Assessment.decision.is_(None),
        ScoreSnapshot.interviews_submitted > 0,
        or_(
            ScoreSnapshot.interviews_submitted >= 2,
            ScoreSnapshot.interviews_submitted >= ScoreSnapshot.interviews_assigned,
        ),
        open_to_viewer,
    ]


def _awaiting(off_panel: bool, open_statuses: tuple[str, ...]) -> Select:  # type: ignore[type-arg]
    return (
        select(Assessment.id, ScoreSnapshot.interviews_assigned, ScoreSnapshot.interviews_submitted)
        .join(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .where(*_awaiting_filter(off_panel, open_statuses))
    )


@prebuilt
def _awaiting_statement(off_panel: bool, open_statuses: tuple[str, ...]) -> Executable:
    """(id, panel size, submitted) of the oldest assessments due for calibration or a decision:
    the partial index of undecided assessments by age lets the database stop at the first few."""
    return (
        _awaiting(off_panel, open_statuses)
        .order_by(Assessment.created_at, Assessment.id)
        .limit(CALIBRATION_STEPS_MAX)
    )


@prebuilt
def _awaiting_count(off_panel: bool, open_statuses: tuple[str, ...]) -> Executable:
    """How many are due, counted no further than COUNT_CAP: past that the page says "over 100"
    rather than reading every undecided assessment of the organisation."""
    capped = _awaiting(off_panel, open_statuses).limit(COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(capped)


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


def _due_for_calibration(user: User) -> tuple[list[tuple[int, int, int]], int]:
    """(assessment id, panel size, submitted) of the oldest CALIBRATION_STEPS_MAX assessments
    the CPO can calibrate or decide now, and how many there are in all (at most COUNT_CAP + 1)."""
    viewer = user._get_current_object() if hasattr(user, "_get_current_object") else user
    off_panel = may(viewer, "panel.view_input", OFF_PANEL)
    open_statuses = tuple(
        status
        for status in INTERVIEW_STATUSES
        if may(viewer, "panel.view_input", PanelSeats((Seat(viewer.id, status),)))
    )
    named = statements.rows(_awaiting_statement(off_panel, open_statuses), viewer_id=viewer.id)
    if not named:
        return [], 0
    (total,) = statements.one(_awaiting_count(off_panel, open_statuses), viewer_id=viewer.id)
    return [(row[0], row[1], row[2]) for row in named], int(total)


def _calibration_steps(user: User) -> list[NextStep]:
    """Calibrate once two or more interviews are in; record a decision once all are. The oldest
    CALIBRATION_STEPS_MAX are named, the rest counted in one step.

    Read from the score snapshots as plain rows: the home page scores nobody."""
    score_snapshots.settle()
    named, total = _due_for_calibration(user)
    more = total - len(named)
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
        counted = f"Over {COUNT_CAP - len(named)}" if total > COUNT_CAP else str(more)
        steps.append(
            NextStep(
                f"{counted} more {noun} waiting for calibration or a decision",
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
