"""Stakeholder reminders for the daily reminders run (`flask notify due`, issue 17).

`due_stakeholder_reminders(on)` is the one entry point: the daily run calls it with the day it
runs for; it emails each stakeholder who has not answered, REMIND_DAYS_BEFORE days before their
due date and on the due date itself. Each reminder is recorded by its dedupe key in the outbox,
so running it twice on a day (or re-running a missed day) never sends one twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.stakeholders import StakeholderInvitation
from app.notifications.reminders import reminders_by_address
from app.stakeholders import invitations

REMIND_DAYS_BEFORE = 3


@dataclass(frozen=True)
class StakeholderReminder:
    """One reminder due: to whom, about which invitation, and why."""

    invitation_id: int
    email: str
    due_on: date
    reason: str  # "due-soon" (days before) or "due-today"

    def describe(self) -> str:
        """A line for the command's output; names no candidate (the address is enough)."""
        when = "today" if self.reason == "due-today" else f"on {self.due_on.isoformat()}"
        return f"stakeholder.reminder to {self.email}: feedback due {when}"


def _reason(due_on: date, on: date) -> str | None:
    if on == due_on:
        return "due-today"
    if on == due_on - timedelta(days=REMIND_DAYS_BEFORE):
        return "due-soon"
    return None


def due_stakeholder_reminders(on: date, *, dry_run: bool = False) -> list[StakeholderReminder]:
    """Send the stakeholder reminders due on this day (flushes; the caller commits) and return
    them; with dry_run, only list those that would go out (not sent before), writing nothing."""
    candidates = db.session.scalars(
        select(StakeholderInvitation)
        .where(
            StakeholderInvitation.submitted_at.is_(None),
            StakeholderInvitation.withdrawn_at.is_(None),
            StakeholderInvitation.token_hash.is_not(None),
            StakeholderInvitation.due_on.in_([on, on + timedelta(days=REMIND_DAYS_BEFORE)]),
        )
        .order_by(StakeholderInvitation.id)
    )
    found: list[StakeholderReminder] = []
    for invitation in candidates:
        assert invitation.due_on is not None
        reason = _reason(invitation.due_on, on)
        if reason is None or invitations.status_of(invitation) != "sent":
            continue
        reminder = StakeholderReminder(invitation.id, invitation.email, invitation.due_on, reason)
        if dry_run:
            if not invitations.reminder_sent(invitation, reason, invitation.due_on):
                found.append(reminder)
        elif invitations.send_reminder(invitation, reason=reason, on=invitation.due_on):
            found.append(reminder)
    db.session.flush()
    return found


@reminders_by_address
def _daily(on: date, dry_run: bool) -> list[str]:
    """The daily reminders run's share: one line per stakeholder reminder."""
    return [r.describe() for r in due_stakeholder_reminders(on, dry_run=dry_run)]
