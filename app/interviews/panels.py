"""Panels and their interviews: loading them, and choosing who sits on a panel.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit, localtime
from app.extensions import db
from app.models import Assessment, Interview, RoleVersion, SelfAssessment, User
from app.notifications import events
from app.transactions import DomainError
from assessments.due import INTERVIEW_DUE_DAYS, default_due
from assessments.focus import focus_items, split_focus

PANEL_ROLES: tuple[str, ...] = ("cpo", "interviewer")


class PanelError(DomainError):
    """A panel change that cannot be made; the message says why."""


# --- Loading -------------------------------------------------------------------------------


def load_interview(interview_id: int) -> Interview | None:
    """One interview with its ratings, its candidate and role version, and who sits on the
    panel (not the others' ratings or the self-assessment: `load_panel_input` reads those
    when a page shows them, so a draft kit does not load them)."""
    return db.session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(
            selectinload(Interview.ratings),
            joinedload(Interview.interviewer),
            joinedload(Interview.assessment).options(
                joinedload(Assessment.candidate),
                joinedload(Assessment.role_version).joinedload(RoleVersion.definition),
                selectinload(Assessment.interviews).joinedload(Interview.interviewer),
            ),
        )
    )


def load_panel_input(assessment: Assessment) -> None:
    """Load the panel's ratings and the self-assessment's into the session (two queries), for
    a page that compares them."""
    db.session.scalars(
        select(Interview)
        .where(Interview.assessment_id == assessment.id)
        .options(selectinload(Interview.ratings))
    ).all()
    db.session.scalars(
        select(SelfAssessment)
        .where(SelfAssessment.assessment_id == assessment.id)
        .options(selectinload(SelfAssessment.ratings))
    ).all()


def panel_of(assessment: Assessment) -> list[Interview]:
    """The assessment's interviews, by interviewer name."""
    interviews: list[Interview] = list(assessment.interviews)
    return sorted(interviews, key=lambda i: (i.interviewer.name.casefold(), i.id))


def submitted_panel(assessment: Assessment) -> list[Interview]:
    """The submitted interviews, by interviewer name."""
    return [i for i in panel_of(assessment) if i.status == "submitted"]


def own_interview(user: User, assessment: Assessment) -> Interview | None:
    """This user's interview of the assessment, if they are on its panel."""
    interviews: list[Interview] = list(assessment.interviews)
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


def assign_panel(
    assessment: Assessment,
    member_ids: Iterable[int],
    actor: User | None,
    *,
    due_on: date | None = None,
) -> list[Interview]:
    """Make the panel exactly these people: a draft interview for each newcomer, due on
    `due_on` (INTERVIEW_DUE_DAYS from today when not given); drafts of people taken off are
    deleted. Someone who has submitted cannot be taken off. Returns the newcomers' interviews."""
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
    due = due_on or default_due(localtime.today(), INTERVIEW_DUE_DAYS)
    added = []
    for uid in sorted(wanted - set(current)):
        # The backref adds it to assessment.interviews too.
        interview = Interview(
            assessment=assessment, interviewer=eligible[uid], status="draft", due_on=due
        )
        db.session.add(interview)
        added.append(interview)
    db.session.flush()
    new = sorted(_member_label(i.interviewer) for i in assessment.interviews)
    if old != new:
        resplit_focus(assessment)
        audit.record(
            "panel.assign",
            f"Interview panel for {assessment.candidate.name} changed",
            obj=assessment,
            actor=actor,
            old={"panel": old, "removed_drafts": [i.interviewer.email for i in leaving]},
            new={"panel": new, "due_on": due.isoformat() if added else None},
        )
        events.panel_assigned(assessment)
        if leaving:
            # Taking off the last draft can complete the panel.
            events.panel_check(assessment, actor)

    return added


def resplit_focus(assessment: Assessment) -> None:
    """Give every draft interview on the panel its default focus areas (the panel changed).

    Submitted interviews keep the focus they were done with.
    """
    panel = panel_of(assessment)
    split = split_focus(focus_items(assessment.role_version.role.competencies), panel)
    for interview in panel:
        if interview.status != "submitted":
            interview.focus = list(split[interview])
    db.session.flush()
