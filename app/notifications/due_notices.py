"""What people are asked to do by a date: the nomination, the panel seat, and their reminders.

Each function builds one message and hands it to `notify` with the permission that doing the
thing takes, so the policy decides who may receive it. Done keys let the in-app notification
leave "unread" once the thing is done (`mark_done` with the same key).
"""

from __future__ import annotations

from datetime import date

from app import localtime
from app.models import Assessment, CoachingPlan, InductionTask, Interview, Notification, User
from app.notifications import services
from app.notifications.calendar import ICS_CANCEL_TYPE, ICS_CONTENT_TYPE, interview_invitation
from app.notifications.emails import absolute_url, app_path
from app.notifications.services import notify
from assessments.due import due_words


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
    """Done when the induction item is ticked."""
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


def induction_overdue(user: User, task: InductionTask, stage: str, on: date) -> Notification | None:
    """An induction item this person owns is overdue."""
    assessment = task.checklist.assessment
    own = user.id == assessment.candidate_id
    whose = "your induction" if own else f"{assessment.candidate.name}'s induction"
    return notify(
        user,
        "induction.overdue",
        title=f"Overdue: “{task.title}” in {whose}",
        link=app_path("induction.show_checklist", assessment_id=assessment.id) + f"#task-{task.id}",
        template="induction_overdue",
        context={"item": task.title, "whose": whose, "own": own, **_due(task.due_date, on)},
        permission="induction.tick",
        obj=assessment,
        done_key=task_done_key(task),
        dedupe_key=f"induction.overdue:{task.id}:{task.due_date.isoformat()}:{stage}",
    )
