"""What people are asked to do by a date: the nomination, the panel seat, and their reminders.

Each function builds one message and hands it to `notify` with the permission that doing the
thing takes, so the policy decides who may receive it. Done keys let the in-app notification
leave "unread" once the thing is done (`mark_done` with the same key).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import (
    Assessment,
    CoachingPlan,
    InductionChecklist,
    InductionTask,
    Interview,
    Notification,
    User,
)
from app.models.base import utcnow
from app.notifications import services
from app.notifications.calendar import ICS_CANCEL_TYPE, ICS_CONTENT_TYPE, interview_invitation
from app.notifications.emails import absolute_url, app_path
from app.notifications.services import notify
from assessments.due import due_words, overdue_newly_due


def self_done_key(assessment: Assessment) -> str:
    """Done when the self-assessment is submitted."""
    return f"self:{assessment.id}"


def interview_done_key(interview: Interview) -> str:
    """Done when the interview is submitted."""
    return f"interview:{interview.id}"


def review_done_key(assessment: Assessment, day: int) -> str:
    """Done when the checkpoint's review is recorded."""
    return f"review:{assessment.id}:{day}"


def task_done_key(task: InductionTask) -> str:
    """Done when the induction item is ticked (reminders sent one per item, before grouping)."""
    return f"induction:{task.id}"


def _stream(assessment: Assessment) -> str:
    return assessment.value_stream.name if assessment.value_stream else ""


def _due(due: date | None, on: date | None = None) -> dict[str, str]:
    """The due date as the templates show it: "15 December 2026" and "due in 3 days"."""
    if due is None:
        return {"due_date": "", "due_words": ""}
    return {
        "due_date": localtime.format_date(due, long=True),
        "due_words": due_words(due, on or localtime.today()),
    }


def self_nominated(assessment: Assessment) -> Notification | None:
    """ "You have been nominated: please complete your self-assessment by <date>"."""
    due = assessment.self_due_on
    title = "You have been nominated: please complete your self-assessment" + (
        f" by {localtime.format_date(due, long=True)}" if due else ""
    )
    return notify(
        assessment.candidate,
        "self.nominated",
        title=title,
        link=app_path("candidates.self_intro", assessment_id=assessment.id),
        template="self_nominated",
        context={
            "stream": _stream(assessment),
            "role": assessment.role_version.label,
            **_due(due),
        },
        permission="self.fill",
        obj=assessment,
        done_key=self_done_key(assessment),
    )


def self_reminder(assessment: Assessment, stage: str, on: date) -> Notification | None:
    """A reminder of an unsubmitted self-assessment (`stage` from the cadence)."""
    due = assessment.self_due_on
    assert due is not None
    return notify(
        assessment.candidate,
        "self.reminder",
        title=f"Reminder: your self-assessment is {due_words(due, on)}",
        link=app_path("candidates.self_intro", assessment_id=assessment.id),
        template="self_reminder",
        context={"stream": _stream(assessment), **_due(due, on)},
        permission="self.fill",
        obj=assessment,
        done_key=self_done_key(assessment),
        dedupe_key=f"self.reminder:{assessment.id}:{due.isoformat()}:{stage}",
    )


def interview_assigned(interview: Interview, *, changed: bool = False) -> Notification | None:
    """ "You are on the panel for <candidate>": kit link, due date, and the .ics invitation when
    a date and time are set. `changed`: the time or place changed (an updated invitation)."""
    candidate = interview.assessment.candidate.name
    link = app_path("interviews.conduct_interview", interview_id=interview.id)
    ics = interview_invitation(interview, url=absolute_url(link))
    title = (
        f"Interview of {candidate}: the time or place has changed"
        if changed
        else f"You are on the interview panel for {candidate}"
    )
    return notify(
        interview.interviewer,
        "interview.assigned",
        title=title,
        link=link,
        template="interview_assigned",
        context={
            "candidate": candidate,
            "role": interview.assessment.role_version.label,
            "stream": _stream(interview.assessment),
            "changed": changed,
            "when": localtime.format_datetime(interview.scheduled_at, never=""),
            "location": interview.location,
            **_due(interview.due_on),
        },
        permission="interview.conduct",
        obj=interview,
        done_key=interview_done_key(interview),
        attachments=[("interview.ics", ics, ICS_CONTENT_TYPE)] if ics is not None else (),
    )


def interview_removed(interview: Interview) -> Notification | None:
    """A member taken off a panel whose interview had a date and time: the calendar event is
    cancelled. Call before the interview is deleted; its notifications leave "unread"."""
    services.mark_done(interview_done_key(interview))
    if interview.scheduled_at is None:
        return None
    candidate = interview.assessment.candidate.name
    link = app_path("interviews.my_interviews")
    ics = interview_invitation(interview, url=absolute_url(link), cancelled=True)
    assert ics is not None
    return notify(
        interview.interviewer,
        "interview.assigned",
        title=f"Interview of {candidate} cancelled: you are no longer on the panel",
        link=link,
        template="interview_cancelled",
        context={
            "candidate": candidate,
            "when": localtime.format_datetime(interview.scheduled_at, never=""),
        },
        permission="interviews.mine",
        attachments=[("interview.ics", ics, ICS_CANCEL_TYPE)],
    )


def interview_reminder(interview: Interview, stage: str, on: date) -> Notification | None:
    """A reminder of an unsubmitted interview."""
    due = interview.due_on
    assert due is not None
    candidate = interview.assessment.candidate.name
    return notify(
        interview.interviewer,
        "interview.reminder",
        title=f"Reminder: your interview of {candidate} is {due_words(due, on)}",
        link=app_path("interviews.conduct_interview", interview_id=interview.id),
        template="interview_reminder",
        context={"candidate": candidate, **_due(due, on)},
        permission="interview.conduct",
        obj=interview,
        done_key=interview_done_key(interview),
        dedupe_key=f"interview.reminder:{interview.id}:{due.isoformat()}:{stage}",
    )


def review_due(
    user: User, plan: CoachingPlan, day: int, due: date, stage: str, on: date
) -> Notification | None:
    """A checkpoint review coming up (or missed): the CPO records it, the exec reads the plan."""
    assessment = plan.assessment
    own = user.id == assessment.candidate_id
    name = assessment.candidate.name
    words = due_words(due, on)
    if own:
        title = f"Your day {day} checkpoint review is {words}"
        link = app_path("coaching.show_plan", assessment_id=assessment.id)
        permission, obj = "plan.view", plan
    else:
        title = f"{name}'s day {day} checkpoint review is {words}"
        link = app_path("coaching.record_review", assessment_id=assessment.id)
        permission, obj = "review.record", None
    return notify(
        user,
        "review.due",
        title=title,
        link=link,
        template="review_due",
        context={"own": own, "candidate": name, "day": day, **_due(due, on)},
        permission=permission,
        obj=obj,
        done_key=review_done_key(assessment, day),
        dedupe_key=f"review.due:{assessment.id}:{day}:{due.isoformat()}:{stage}",
    )


# Whose induction items remind whom: a mentor has no account, and the CPO arranges mentoring.
OWNER_ROLES: dict[str, str] = {"exec": "exec", "cpo": "cpo", "hr": "hr", "mentor": "cpo"}
_OVERDUE_KEY = "induction.overdue:checklist:{checklist}:{day}"
_OVERDUE_DONE = "induction-overdue:{checklist}:{role}:{day}"


def induction_overdue_key(checklist: InductionChecklist, on: date) -> str:
    """One reminder per person per checklist per day (the items in it follow their cadence)."""
    return _OVERDUE_KEY.format(checklist=checklist.id, day=on.isoformat())


def _overdue_notes(checklist: InductionChecklist) -> list[tuple[Notification, date]]:
    """Every grouped overdue reminder about this checklist, with the day it was sent for."""
    prefix = _OVERDUE_KEY.format(checklist=checklist.id, day="")
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.dedupe_key.startswith(prefix, autoescape=True))
        .order_by(Notification.id)
    )
    return [(n, date.fromisoformat((n.dedupe_key or "").removeprefix(prefix))) for n in notes]


def _items_of(
    checklist: InductionChecklist, role: str, on: date, earlier: list[date]
) -> list[InductionTask]:
    """The items of `role` a reminder of day `on` lists (done or not), after `earlier` days."""
    return [
        t
        for t in checklist.tasks
        if OWNER_ROLES.get(t.owner) == role and overdue_newly_due(t.due_date, on, earlier)
    ]


def induction_items_due(
    user: User, role: str, checklist: InductionChecklist, on: date
) -> list[InductionTask]:
    """The open items of `role` that `user` is due a reminder about on day `on`: overdue and at
    a stage of the cadence that no reminder of another day covered (reads only)."""
    earlier = [d for n, d in _overdue_notes(checklist) if n.user_id == user.id and d != on]
    items = [t for t in _items_of(checklist, role, on, earlier) if not t.done]
    return sorted(items, key=lambda t: (t.due_date, t.position))  # the longest overdue first


def induction_items_ticked(checklist: InductionChecklist) -> None:
    """An item was ticked: each overdue reminder whose items are now all done leaves "unread"."""
    notes = _overdue_notes(checklist)
    for note, day in notes:
        if note.done_at is not None or not note.done_key:
            continue
        role = note.done_key.split(":")[2]
        earlier = [d for n, d in notes if n.user_id == note.user_id and n.id < note.id]
        if all(t.done for t in _items_of(checklist, role, day, earlier)):
            note.done_at = utcnow()
    db.session.flush()


def induction_overdue(
    user: User, role: str, tasks: list[InductionTask], on: date
) -> Notification | None:
    """Overdue induction items of one checklist that this person (or their role) owns, in one
    message; `role` is the owners' role ("exec", "cpo" or "hr")."""
    checklist = tasks[0].checklist
    assessment = checklist.assessment
    own = user.id == assessment.candidate_id
    whose = "your induction" if own else f"{assessment.candidate.name}'s induction"
    link = app_path("induction.show_checklist", assessment_id=assessment.id)
    if len(tasks) == 1:
        title = f"Overdue: “{tasks[0].title}” in {whose}"
        link += f"#task-{tasks[0].id}"
    else:
        title = f"{len(tasks)} induction items are overdue in {whose}"
    return notify(
        user,
        "induction.overdue",
        title=title,
        link=link,
        template="induction_overdue",
        context={
            "items": [
                {"title": t.title, "due": localtime.due_label(t.due_date, on)} for t in tasks
            ],
            "whose": whose,
            "own": own,
        },
        permission="induction.tick",
        obj=assessment,
        done_key=_OVERDUE_DONE.format(checklist=checklist.id, role=role, day=on.isoformat()),
        dedupe_key=induction_overdue_key(checklist, on),
    )
