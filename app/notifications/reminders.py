"""Reminders of what is due: unsubmitted self-assessments and interviews, checkpoint reviews
and overdue induction items; sent once a day by the worker, or by `flask notify due`.

`due_reminders(on)` lists what is due on a day and changes nothing; `send_reminders` sends it.
Each reminder carries a dedupe key naming its stage of the cadence (assessments/due.py), so a
second run on the same day (or a later day of the same stage) sends nothing twice. Overdue
induction items go out as one reminder per person and checklist per day (key: checklist and
day), listing the items whose stage no earlier reminder to that person covered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import click
from flask.cli import AppGroup
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from app import localtime
from app.extensions import db
from app.models import (
    Assessment,
    CoachingPlan,
    InductionChecklist,
    Interview,
    Notification,
    SelfAssessment,
    User,
)
from app.notifications import due_notices
from app.notifications.due_notices import OWNER_ROLES
from app.policy import may
from app.queue import crontab, periodic_task
from assessments.due import review_reminder, submission_reminder
from assessments.induction import due_date
from assessments.progress import plan_ended

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """One reminder due: who gets it, what it says in a line, and how to send it."""

    kind: str
    recipient: User
    about: str
    dedupe_key: str
    permission: str
    obj: object | None
    send: Callable[[], Notification | None]

    def allowed(self) -> bool:
        """The recipient is active and the policy lets them do what it asks."""
        return bool(self.recipient.active) and may(self.recipient, self.permission, self.obj)

    def already_sent(self) -> bool:
        """Recorded by an earlier run."""
        return (
            db.session.scalar(
                select(Notification.id).where(
                    Notification.user_id == self.recipient.id,
                    Notification.dedupe_key == self.dedupe_key,
                )
            )
            is not None
        )


def _staff(role: str) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role == role, User.active).order_by(User.id))
    )


def _self_reminders(on: date) -> list[Reminder]:
    query = (
        select(Assessment)
        .outerjoin(SelfAssessment, SelfAssessment.assessment_id == Assessment.id)
        .where(
            Assessment.self_due_on.is_not(None),
            Assessment.decision.is_(None),
            or_(SelfAssessment.id.is_(None), SelfAssessment.status != "submitted"),
        )
        .options(joinedload(Assessment.candidate), joinedload(Assessment.value_stream))
        .order_by(Assessment.self_due_on, Assessment.id)
    )
    found = []
    for assessment in db.session.scalars(query).unique():
        due = assessment.self_due_on
        assert due is not None
        stage = submission_reminder(due, on)
        if stage is None:
            continue
        found.append(
            Reminder(
                "self.reminder",
                assessment.candidate,
                f"self-assessment of {assessment.candidate.name},"
                f" due {localtime.due_label(due, on)}",
                f"self.reminder:{assessment.id}:{due.isoformat()}:{stage}",
                "self.fill",
                assessment,
                partial(due_notices.self_reminder, assessment, stage, on),
            )
        )
    return found


def _interview_reminders(on: date) -> list[Reminder]:
    query = (
        select(Interview)
        .join(Assessment, Assessment.id == Interview.assessment_id)
        .where(
            Interview.status == "draft",
            Interview.due_on.is_not(None),
            Assessment.decision.is_(None),
        )
        .options(
            joinedload(Interview.interviewer),
            joinedload(Interview.assessment).joinedload(Assessment.candidate),
        )
        .order_by(Interview.due_on, Interview.id)
    )
    found = []
    for interview in db.session.scalars(query).unique():
        due = interview.due_on
        assert due is not None
        stage = submission_reminder(due, on)
        if stage is None:
            continue
        found.append(
            Reminder(
                "interview.reminder",
                interview.interviewer,
                f"interview of {interview.assessment.candidate.name} by"
                f" {interview.interviewer.name}, due {localtime.due_label(due, on)}",
                f"interview.reminder:{interview.id}:{due.isoformat()}:{stage}",
                "interview.conduct",
                interview,
                partial(due_notices.interview_reminder, interview, stage, on),
            )
        )
    return found


def _selected() -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.decision == "selected")
            .options(
                joinedload(Assessment.candidate),
                selectinload(Assessment.plans).selectinload(CoachingPlan.reviews),
                selectinload(Assessment.checklist).selectinload(InductionChecklist.tasks),
            )
            .order_by(Assessment.id)
        ).unique()
    )


def _review_reminders(on: date, selected: list[Assessment]) -> list[Reminder]:
    """Checkpoints of each issued plan with no review: a week ahead, then weekly if missed."""
    cpos = _staff("cpo")
    found = []
    for assessment in selected:
        issued = [p for p in assessment.plans if p.status == "issued"]
        if not issued:
            continue
        plan = issued[-1]
        reviews = [r for p in assessment.plans for r in p.reviews]
        if plan_ended([r.decision for r in reviews]):
            continue
        reviewed = {r.checkpoint_day for r in reviews}
        last = max(reviewed, default=0)
        for checkpoint in sorted(plan.content.get("checkpoints", []), key=lambda c: c["day"]):
            day = int(checkpoint["day"])
            if day in reviewed or day < last:  # reviewed, or skipped by a later review
                continue
            due = due_date(plan.start_date, day)
            stage = review_reminder(due, on)
            if stage is None:
                continue
            for user in [*cpos, assessment.candidate]:
                own = user.id == assessment.candidate_id
                found.append(
                    Reminder(
                        "review.due",
                        user,
                        f"day {day} checkpoint review of {assessment.candidate.name},"
                        f" {localtime.due_label(due, on)}",
                        f"review.due:{assessment.id}:{day}:{due.isoformat()}:{stage}",
                        "plan.view" if own else "review.record",
                        plan if own else None,
                        partial(due_notices.review_due, user, plan, day, due, stage, on),
                    )
                )
    return found


def _induction_reminders(on: date, selected: list[Assessment]) -> list[Reminder]:
    """Overdue items, to whoever owns them: the exec, the CPO or HR (mentors' to the CPO); one
    reminder per person and checklist, listing the items whose stage of the cadence is new."""
    staff = {role: _staff(role) for role in set(OWNER_ROLES.values()) - {"exec"}}
    found = []
    for assessment in selected:
        checklist = assessment.checklist
        if checklist is None or all(t.done for t in checklist.tasks):
            continue
        name = assessment.candidate.name
        for role in sorted({OWNER_ROLES.get(t.owner, "") for t in checklist.tasks} - {""}):
            owners = [assessment.candidate] if role == "exec" else staff[role]
            for user in owners:
                tasks = due_notices.induction_items_due(user, role, checklist, on)
                if not tasks:
                    continue
                items = "; ".join(
                    f"“{t.title}” due {localtime.due_label(t.due_date, on)}" for t in tasks
                )
                count = f"{len(tasks)} item{'s' if len(tasks) > 1 else ''}"
                found.append(
                    Reminder(
                        "induction.overdue",
                        user,
                        f"{count} of {name}'s induction: {items}",
                        due_notices.induction_overdue_key(checklist, on),
                        "induction.tick",
                        assessment,
                        partial(due_notices.induction_overdue, user, role, tasks, on),
                    )
                )
    return found


def due_reminders(on: date) -> list[Reminder]:
    """Every reminder the cadence calls for on day `on`, whether or not already sent (reads,
    never writes)."""
    selected = _selected()
    return [
        *_self_reminders(on),
        *_interview_reminders(on),
        *_review_reminders(on, selected),
        *_induction_reminders(on, selected),
    ]


def to_send(on: date) -> list[Reminder]:
    """The reminders of day `on` that would go out now: allowed and not sent before."""
    return [r for r in due_reminders(on) if r.allowed() and not r.already_sent()]


def send_reminders(on: date) -> list[Reminder]:
    """Send what is due on day `on` (flushes; the caller commits). Returns what was sent."""
    return [r for r in to_send(on) if r.send() is not None]


# Reminders to people with no account (issue 18's stakeholders) come from their own area, which
# imports this module (not the other way round): fn(on, dry_run) sends what is due that day
# (or, in a dry run, writes nothing) and returns one line per reminder.
AddressReminders = Callable[[date, bool], list[str]]
_address_reminders: list[AddressReminders] = []


def reminders_by_address(fn: AddressReminders) -> AddressReminders:
    """Register a source of reminders to email addresses for the daily run."""
    _address_reminders.append(fn)
    return fn


def send_address_reminders(on: date, *, dry_run: bool = False) -> list[str]:
    """Every registered source's reminders of day `on`, as lines (flushes; caller commits)."""
    return [line for source in _address_reminders for line in source(on, dry_run)]


@periodic_task(crontab(minute="30", hour="6"), description="Send the day's reminders")
def send_daily_reminders() -> int:
    """Remind people of what is due or overdue today (daily, 06:30 UTC)."""
    today = localtime.today()
    sent = len(send_reminders(today)) + len(send_address_reminders(today))
    db.session.commit()
    log.info("Sent %d reminder(s)", sent)
    return sent


# --- flask notify due -----------------------------------------------------------------------

notify_cli = AppGroup("notify", help="Notifications and reminders.")


def _day(value: str | None) -> date:
    if value is None:
        return localtime.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD, like 2026-12-15", param_hint="--on"
        ) from None


@notify_cli.command("due")
@click.option("--on", "on_text", default=None, help="The day to remind for (YYYY-MM-DD); today.")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send nothing.")
def due_command(on_text: str | None, dry_run: bool) -> None:
    """Send the reminders due on a day (what the daily task does)."""
    on = _day(on_text)
    pending = to_send(on)
    verb = "Would send" if dry_run else "Sending"
    for reminder in pending:
        click.echo(f"{verb} {reminder.kind} to {reminder.recipient.email}: {reminder.about}")
    if dry_run:
        by_address = send_address_reminders(on, dry_run=True)
        for line in by_address:
            click.echo(f"{verb} {line}")
        db.session.rollback()
        total = len(pending) + len(by_address)
        click.echo(f"Dry run for {on.isoformat()}: {total} reminder(s) would be sent.")
        return
    sent = [r for r in pending if r.send() is not None]
    by_address = send_address_reminders(on)
    for line in by_address:
        click.echo(f"Sent {line}")
    db.session.commit()
    click.echo(f"Sent {len(sent) + len(by_address)} reminder(s) for {on.isoformat()}.")
