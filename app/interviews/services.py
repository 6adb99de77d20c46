"""Panels, interviews and calibration notes: the queries and changes behind the interviews area.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import url_for
from sqlalchemy import Executable, Select, bindparam, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from app import audit, statements
from app.extensions import db
from app.main.services import NextStep, provides_steps
from app.models import (
    Assessment,
    CalibrationNote,
    Interview,
    InterviewRating,
    RoleVersion,
    SelfAssessment,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.policy import may
from app.scores import score_for, self_ratings
from app.statements import prebuilt
from app.transactions import DomainError
from assessments.model import LENS_LABELS, LENSES, Competency, RoleDefinition

PANEL_ROLES: tuple[str, ...] = ("cpo", "interviewer")
# A draft interview older than this shows as needing attention on the interviewer's home page.
INTERVIEW_DUE_DAYS = 14
# The CPO's home page names candidates waiting for a panel one by one up to this many.
PANEL_STEPS_MAX = 5
NOT_ASSESSED = "na"


class PanelError(DomainError):
    """A panel change that cannot be made; the message says why."""


# --- Loading -------------------------------------------------------------------------------


def assessment_options() -> list[Any]:
    """Eager loads for a page that scores one or many assessments with a constant query count."""
    # Stream and role version hold JSON: select-in loading decodes it once per object rather
    # than once per row, which matters on a shortlist of hundreds.
    return [
        joinedload(Assessment.candidate),
        selectinload(Assessment.value_stream),
        joinedload(Assessment.decided_by),
        selectinload(Assessment.role_version).joinedload(RoleVersion.definition),
        selectinload(Assessment.self_assessment).selectinload(SelfAssessment.ratings),
        selectinload(Assessment.interviews).options(
            joinedload(Interview.interviewer), selectinload(Interview.ratings)
        ),
    ]


def load_assessment(assessment_id: int) -> Assessment | None:
    """One assessment with its candidate, role version, self-assessment and panel."""
    return db.session.scalar(
        select(Assessment).where(Assessment.id == assessment_id).options(*assessment_options())
    )


def load_interview(interview_id: int) -> Interview | None:
    """One interview with its ratings and its assessment's whole panel and self-assessment."""
    return db.session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(
            selectinload(Interview.ratings),
            joinedload(Interview.interviewer),
            joinedload(Interview.assessment).options(*assessment_options()),
        )
    )


def panel_of(assessment: Assessment) -> list[Interview]:
    """The assessment's interviews, by interviewer name."""
    interviews: list[Interview] = list(getattr(assessment, "interviews", []))
    return sorted(interviews, key=lambda i: (i.interviewer.name.casefold(), i.id))


def submitted_panel(assessment: Assessment) -> list[Interview]:
    """The submitted interviews, by interviewer name."""
    return [i for i in panel_of(assessment) if i.status == "submitted"]


def own_interview(user: User, assessment: Assessment) -> Interview | None:
    """This user's interview of the assessment, if they are on its panel."""
    interviews: list[Interview] = list(getattr(assessment, "interviews", []))
    return next((i for i in interviews if i.interviewer_id == user.id), None)


def interviews_of(user: User, *, status: str | None = None) -> list[Interview]:
    """Every interview assigned to this user (only those in `status` if given), newest
    assignment first."""
    query = select(Interview).where(Interview.interviewer_id == user.id)
    if status is not None:
        query = query.where(Interview.status == status)
    return list(
        db.session.scalars(
            query.options(
                selectinload(Interview.ratings),
                joinedload(Interview.assessment).options(
                    joinedload(Assessment.candidate),
                    joinedload(Assessment.value_stream),
                    joinedload(Assessment.role_version).joinedload(RoleVersion.definition),
                ),
            ).order_by(Interview.assigned_at.desc(), Interview.id.desc())
        ).unique()
    )


# --- The panel -----------------------------------------------------------------------------


def panel_candidates() -> list[User]:
    """Active people who may sit on a panel: the CPO and panel interviewers."""
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(PANEL_ROLES), User.active).order_by(User.name, User.id)
        )
    )


def _member_label(user: User) -> str:
    return f"{user.name} <{user.email}>"


def assign_panel(assessment: Assessment, member_ids: Iterable[int], actor: User | None) -> None:
    """Make the panel exactly these people: a draft interview for each newcomer; drafts of people
    taken off are deleted. Someone who has submitted cannot be taken off."""
    wanted = set(member_ids)
    eligible = {u.id: u for u in panel_candidates()}
    current = {i.interviewer_id: i for i in assessment.interviews}
    unknown = wanted - set(eligible) - set(current)
    if unknown:
        raise PanelError("Choose panel members from the list: only the CPO and interviewers")
    leaving = [i for uid, i in current.items() if uid not in wanted]
    for interview in leaving:
        if interview.status == "submitted":
            raise PanelError(
                f"{interview.interviewer.name} has submitted their interview, so they stay on"
                " the panel"
            )
    old = sorted(_member_label(i.interviewer) for i in current.values())
    for interview in leaving:
        assessment.interviews.remove(interview)
        db.session.delete(interview)
    for uid in sorted(wanted - set(current)):
        # The backref adds it to assessment.interviews too.
        db.session.add(Interview(assessment=assessment, interviewer=eligible[uid], status="draft"))
    db.session.flush()
    new = sorted(_member_label(i.interviewer) for i in assessment.interviews)
    if old != new:
        audit.record(
            "panel.assign",
            f"Interview panel for {assessment.candidate.name} changed",
            obj=assessment,
            actor=actor,
            old={"panel": old, "removed_drafts": [i.interviewer.email for i in leaving]},
            new={"panel": new},
        )


# --- The interview kit ---------------------------------------------------------------------


@dataclass(frozen=True)
class KitSection:
    """The competencies of one lens, in the role's order."""

    lens: str
    label: str
    competencies: tuple[Competency, ...]


def kit_sections(role: RoleDefinition) -> list[KitSection]:
    """The kit groups competencies by lens (value, workflow, quality, leadership)."""
    sections = []
    for lens in LENSES:
        comps = tuple(c for c in role.competencies if c.lens == lens)
        if comps:
            sections.append(KitSection(lens, LENS_LABELS[lens], comps))
    return sections


def kit_order(role: RoleDefinition) -> list[Competency]:
    """The competencies in the order the kit shows them."""
    return [c for section in kit_sections(role) for c in section.competencies]


def _rating_value(rating: InterviewRating | None) -> str:
    if rating is None:
        return ""
    if rating.level is not None:
        return str(rating.level)
    return NOT_ASSESSED if rating.not_assessed else ""


def rating_label(rating: InterviewRating | None) -> str:
    """A rating as shown in tables: the number, "Not assessed" or "Not rated"."""
    value = _rating_value(rating)
    if value == NOT_ASSESSED:
        return "Not assessed"
    return value or "Not rated"


def answered(interview: Interview) -> tuple[int, int]:
    """(competencies rated or marked not assessed, competencies in the role)."""
    keys = {c.key for c in interview.assessment.role_version.role.competencies}
    done = sum(
        1
        for r in interview.ratings
        if r.competency_key in keys and (r.level is not None or r.not_assessed)
    )
    return done, len(keys)


def form_data(interview: Interview) -> dict[str, object]:
    """The saved interview as the kit form's data."""
    data: dict[str, object] = {
        "version": str(interview.version),
        "strengths": interview.strengths,
        "weaknesses": interview.weaknesses,
        "recommendation": interview.recommendation,
    }
    for rating in interview.ratings:
        data[f"rating-{rating.competency_key}"] = _rating_value(rating) or None
        data[f"notes-{rating.competency_key}"] = rating.notes
    return data


def snapshot(interview: Interview) -> dict[str, Any]:
    """Everything an interviewer records, for the audit log and for conflict messages."""
    return {
        "status": interview.status,
        "recommendation": interview.recommendation,
        "strengths": interview.strengths,
        "weaknesses": interview.weaknesses,
        "ratings": {
            r.competency_key: {"rating": _rating_value(r), "notes": r.notes}
            for r in sorted(interview.ratings, key=lambda r: r.competency_key)
        },
    }


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in new:
        if key == "ratings":
            keys = sorted(set(old["ratings"]) | set(new["ratings"]))
            blank = {"rating": "", "notes": ""}
            changed = [k for k in keys if old["ratings"].get(k, blank) != new["ratings"].get(k)]
            if changed:
                before["ratings"] = {k: old["ratings"].get(k, blank) for k in changed}
                after["ratings"] = {k: new["ratings"].get(k, blank) for k in changed}
        elif old.get(key) != new[key]:
            before[key] = old.get(key)
            after[key] = new[key]
    return before, after


def save_interview(
    interview: Interview,
    ratings: dict[str, tuple[str, str]],
    *,
    strengths: str,
    weaknesses: str,
    recommendation: str | None,
    submit: bool,
    actor: User | None,
) -> None:
    """Store a draft (everything as typed) or submit it; audited with old and new values.

    `ratings` maps competency key -> (rating "0".."4", "na" or "", notes). The caller has
    validated a submission (every competency answered, a recommendation given).
    """
    if interview.status == "submitted":
        raise PanelError("A submitted interview cannot be changed")
    old = snapshot(interview)
    existing = {r.competency_key: r for r in interview.ratings}
    for key, (value, notes) in ratings.items():
        rating = existing.get(key)
        if rating is None:
            if not value and not notes:
                continue
            rating = InterviewRating(competency_key=key)
            interview.ratings.append(rating)
        rating.level = int(value) if value not in ("", NOT_ASSESSED) else None
        rating.not_assessed = value == NOT_ASSESSED
        rating.notes = notes
    interview.strengths = strengths.strip()
    interview.weaknesses = weaknesses.strip()
    interview.recommendation = recommendation or None
    if submit:
        interview.status = "submitted"
        interview.submitted_at = utcnow()
    # Ratings live in their own rows: touching the interview bumps its version, so a second
    # tab holding the old version is refused instead of overwriting these ratings.
    interview.updated_at = utcnow()
    db.session.flush()
    before, after = _changes(old, snapshot(interview))
    if before or after or submit:
        candidate = interview.assessment.candidate.name
        audit.record(
            "interview.submit" if submit else "interview.save",
            f"{interview.interviewer.name} {'submitted' if submit else 'saved'} the interview"
            f" of {candidate}",
            obj=interview,
            actor=actor,
            old=before,
            new=after,
        )


@dataclass(frozen=True)
class ConflictRow:
    """One answer that differs between what the user sent and what is saved now."""

    label: str
    yours: str
    saved: str


def conflicts(
    interview: Interview, competencies: Sequence[Competency], sent: dict[str, Any]
) -> list[ConflictRow]:
    """Where the user's input differs from the interview as saved now (for the conflict page)."""
    saved = snapshot(interview)
    rows = []

    def show(value: str) -> str:
        return {"": "Not rated", NOT_ASSESSED: "Not assessed"}.get(value, value)

    for comp in competencies:
        blank = {"rating": "", "notes": ""}
        now = saved["ratings"].get(comp.key, blank)
        value, notes = sent["ratings"][comp.key]
        if now["rating"] != value:
            rows.append(ConflictRow(f"{comp.name}: rating", show(value), show(now["rating"])))
        if now["notes"] != notes:
            rows.append(ConflictRow(f"{comp.name}: evidence", notes, now["notes"]))
    for key, label in (
        ("strengths", "Strengths"),
        ("weaknesses", "Weaknesses"),
        ("recommendation", "Recommendation"),
    ):
        if (saved[key] or "") != (sent[key] or ""):
            rows.append(ConflictRow(label, sent[key] or "", saved[key] or ""))
    return rows


@dataclass(frozen=True)
class PanelLine:
    """One competency of the "how the others rated" table."""

    competency: Competency
    mine: str
    others: tuple[tuple[str, str], ...]
    self_rating: str


def panel_lines(interview: Interview, competencies: Sequence[Competency]) -> list[PanelLine]:
    """After submitting: this interviewer's ratings beside the other submitted ratings and the
    self-ratings. Callers ask the policy for "panel.view_input" first."""
    others = [i for i in submitted_panel(interview.assessment) if i.id != interview.id]
    own = {r.competency_key: r for r in interview.ratings}
    theirs = [(i.interviewer.name, {r.competency_key: r for r in i.ratings}) for i in others]
    selfs = self_ratings(interview.assessment)
    lines = []
    for comp in competencies:
        self_level = selfs.get(comp.key)
        lines.append(
            PanelLine(
                competency=comp,
                mine=rating_label(own.get(comp.key)),
                others=tuple((name, rating_label(r.get(comp.key))) for name, r in theirs),
                self_rating="Not given" if self_level is None else str(self_level),
            )
        )
    return lines


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
    return {
        i.id: {r.competency_key: r for r in i.ratings}
        for i in getattr(assessment, "interviews", [])
    }


# --- Home page steps -----------------------------------------------------------------------


def _subject(assessment: Assessment) -> str:
    stream = assessment.value_stream.name if assessment.value_stream else None
    return _named(assessment.candidate.name, stream)


def _named(candidate: str, stream: str | None) -> str:
    """E.g. 'Sarah Whitfield for Home buying', or the name alone without a stream."""
    return f"{candidate} for {stream}" if stream else candidate


def _waiting_for_a_panel_query() -> Select:  # type: ignore[type-arg]
    return (
        select(Assessment.id, User.name, ValueStream.name, Assessment.created_at)
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
            .options(*assessment_options())
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
                )
            )
        else:
            steps.append(
                NextStep(
                    f"Record a decision for {assessment.candidate.name}",
                    f"All {len(panel)} interviews are in: {result.band_label.lower()},"
                    f" readiness {result.readiness:.1f}%.",
                    url_for("selection.record_decision", assessment_id=assessment.id),
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
        )
        for assessment_id, name, stream, _created in sorted(waiting, key=lambda r: (r[3], r[0]))
    ]
