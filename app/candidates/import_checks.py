"""The checks of a ratings import that read the database: who the people in the file are,
and what they have already recorded (app/candidates/importing.py runs them on the whole file)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.candidates.import_records import Group, _latest_assessments, _users
from app.extensions import db
from app.models import Interview, RoleVersion, SelfAssessment, StakeholderInvitation, User
from app.stakeholder_feedback import round_closed

INTERVIEWER_ROLES = ("interviewer", "cpo")


def check_people(groups: Iterable[Group], problems: list[str]) -> dict[str, str]:
    """Existing people must have a fitting role; new ones get exec or interviewer."""
    wanted: dict[str, tuple[str, int]] = {}  # email -> (role needed, first line)
    for group in groups:
        line = group.rows[0].line
        needs = [(group.candidate, "exec")]
        if group.source == "interview":
            needs.append((group.rater, "interviewer"))
        for email, role in needs:
            earlier = wanted.get(email)
            if earlier is None:
                wanted[email] = (role, line)
            elif earlier[0] != role:
                problems.append(
                    f"Line {line}: {email} is both a candidate and an interviewer in this file "
                    f"(see line {earlier[1]}); one person cannot be both"
                )
    users = {
        u.email: u for u in db.session.scalars(select(User).where(User.email.in_(list(wanted))))
    }
    new_people: dict[str, str] = {}
    for email, (role, line) in wanted.items():
        user = users.get(email)
        if user is None:
            new_people[email] = role
        elif role == "exec" and user.role != "exec":
            problems.append(
                f"Line {line}: {email} has the role {user.role_label} in Streamlead, so cannot "
                "be a candidate"
            )
        elif role == "interviewer" and user.role not in INTERVIEWER_ROLES:
            problems.append(
                f"Line {line}: {email} has the role {user.role_label} in Streamlead, so cannot "
                "be recorded as an interviewer"
            )
    return new_people


def check_existing(groups: Iterable[Group], version: RoleVersion, problems: list[str]) -> None:
    """A self-assessment, an interview by the same rater, or the same stakeholder's feedback
    (or invitation) must not already exist."""
    groups = list(groups)
    users = _users({g.candidate for g in groups} | {g.rater for g in groups})
    latest = _latest_assessments((u.id for u in users.values()), version)
    ids = [a.id for a in latest.values()]
    with_self = set(
        db.session.scalars(
            select(SelfAssessment.assessment_id).where(SelfAssessment.assessment_id.in_(ids))
        )
    )
    interviewed = {
        (row.assessment_id, row.interviewer_id)
        for row in db.session.execute(
            select(Interview.assessment_id, Interview.interviewer_id).where(
                Interview.assessment_id.in_(ids)
            )
        )
    }
    asked = {
        (row.assessment_id, row.email)
        for row in db.session.execute(
            select(StakeholderInvitation.assessment_id, StakeholderInvitation.email).where(
                StakeholderInvitation.assessment_id.in_(ids)
            )
        )
    }
    panel_in_file = {
        (g.candidate, g.rater): g.rows[0].line for g in groups if g.source == "interview"
    }
    for group in groups:
        line = group.rows[0].line
        if group.source == "stakeholder" and (group.candidate, group.rater) in panel_in_file:
            problems.append(
                f"Line {line}: {group.rater} interviews {group.candidate} in this file (line "
                f"{panel_in_file[(group.candidate, group.rater)]}); one person gives one view, so "
                "remove either their stakeholder rows or their interview rows"
            )
        candidate = users.get(group.candidate)
        assessment = latest.get(candidate.id) if candidate is not None else None
        if assessment is None:
            continue
        if group.source == "self" and assessment.id in with_self:
            problems.append(
                f"Line {line}: {group.candidate} already has a self-assessment for "
                f"{version.label}; remove these rows, or ask the CPO to handle it in Streamlead"
            )
        if group.source == "interview":
            rater = users.get(group.rater)
            if rater is not None and (assessment.id, rater.id) in interviewed:
                problems.append(
                    f"Line {line}: {group.rater} already has an interview with {group.candidate} "
                    f"for {version.label}; remove these rows"
                )
        rater = users.get(group.rater)
        if (
            group.source == "stakeholder"
            and rater is not None
            and (assessment.id, rater.id) in interviewed
        ):
            problems.append(
                f"Line {line}: {group.rater} is on the interview panel of {group.candidate} for "
                f"{version.label}; a panel member cannot also rate as a stakeholder"
            )
        if group.source == "stakeholder" and (assessment.id, group.rater) in asked:
            problems.append(
                f"Line {line}: {group.rater} is already a stakeholder of {group.candidate} for "
                f"{version.label} (invited or imported); remove these rows"
            )
        elif group.source == "stakeholder" and round_closed(assessment):
            # docs/decisions.md, "Issue 18 — Results when the feedback round closes".
            problems.append(
                f"Line {line}: the stakeholder feedback round for {group.candidate} has closed "
                "and its results are shown, so no more answers can be added: one more would "
                "change them by exactly what that person said; remove these rows"
            )
