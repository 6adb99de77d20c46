"""Inviting stakeholders: who is asked, their single-use links, and where each invitation stands.

A link's token is never stored: only its sha256 is (as for account links, app/auth/services.py).
The token is an HMAC of the invitation's id, email and issue time under the app's SECRET_KEY, so
a reminder can repeat the very link the invitation email carried (a fresh random token would
silently break the link in the first email, and any page still open with it). The database
alone cannot rebuild a link; resending sets a new issue time, so the old link stops working.
See docs/decisions.md, "Issue 18 — Inviting stakeholders and answering".
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app import audit, localtime
from app.auth.services import normalise_email
from app.extensions import db
from app.models import Assessment, OutboxMessage, User
from app.models.base import utcnow
from app.models.stakeholders import RELATIONSHIPS, StakeholderInvitation
from app.notifications import send_to_address
from app.notifications.emails import app_path
from app.stakeholder_feedback import round_closed
from app.transactions import DomainError

MIN_STAKEHOLDERS = 3
MAX_STAKEHOLDERS = 12
DEFAULT_DUE_DAYS = 14
LATEST_DUE_DAYS = 90
# A link keeps working this long after its due date, so a late answer is still welcome; after
# that it is "expired" (the draft is kept: extending the due date opens it again).
LINK_GRACE = timedelta(days=7)
# What the invitation tells people the form takes.
MINUTES_TO_ANSWER = "10 to 15 minutes"

STATUS_LABELS: dict[str, str] = {
    "sent": "Sent",
    "answered": "Answered",
    "expired": "Expired",
    "withdrawn": "Withdrawn",
    "closed": "Round closed",
}


class InvitationError(DomainError):
    """An invitation change that cannot be made, with the reason."""


@dataclass(frozen=True)
class Invitee:
    """One person the CPO names: email, optional name, how they work with the exec."""

    email: str
    name: str
    relationship: str


# --- Links ---------------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def link_token(invitation: StakeholderInvitation) -> str:
    """The secret in the invitation's link (never stored; rebuilt from the app's key)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    issued = int(invitation.created_at.timestamp())
    message = f"stakeholder-invitation|{invitation.id}|{invitation.email}|{issued}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _issue_link(invitation: StakeholderInvitation) -> None:
    """Give the invitation a new link; the previous one, if any, stops working."""
    previous = invitation.token_hash
    invitation.created_at = utcnow()
    invitation.token_hash = _hash(link_token(invitation))
    if invitation.token_hash == previous:  # resent within the same second
        invitation.created_at += timedelta(seconds=1)
        invitation.token_hash = _hash(link_token(invitation))


def link_path(invitation: StakeholderInvitation) -> str | None:
    """The app path of the invitation's answer page, or None when it has no live link."""
    if invitation.token_hash is None:
        return None
    token = link_token(invitation)
    if not hmac.compare_digest(_hash(token), invitation.token_hash):
        return None  # SECRET_KEY changed since it was issued: only a resend makes a new link
    return app_path("stakeholders.answer", token=token)


def invitation_by_token(raw: str) -> StakeholderInvitation | None:
    """The invitation whose live link carries this token (expired or withdrawn too), or None."""
    if not raw or len(raw) > 128:
        return None
    return db.session.scalar(
        select(StakeholderInvitation).where(StakeholderInvitation.token_hash == _hash(raw))
    )


# --- Dates and states ----------------------------------------------------------------------


def default_due_on() -> date:
    """The due date the form suggests: two weeks from today."""
    return localtime.today() + timedelta(days=DEFAULT_DUE_DAYS)


def expiry_for(due_on: date) -> datetime:
    """When a link due on this day stops working (end of the day, plus the grace period)."""
    return localtime.day_end(due_on) + LINK_GRACE


def check_due_on(due_on: date | None) -> date:
    """A due date from tomorrow to LATEST_DUE_DAYS ahead, or InvitationError."""
    today = localtime.today()
    if due_on is None:
        raise InvitationError("Enter the date answers are due", field="due_on")
    if due_on <= today:
        raise InvitationError("The due date must be in the future", field="due_on")
    if due_on > today + timedelta(days=LATEST_DUE_DAYS):
        raise InvitationError(
            f"The due date must be within {LATEST_DUE_DAYS} days of today", field="due_on"
        )
    return due_on


def status_of(invitation: StakeholderInvitation, now: datetime | None = None) -> str:
    """sent, answered, expired, withdrawn or closed: what the CPO's list shows."""
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.submitted_at is not None:
        return "answered"
    if invitation.assessment.stakeholder_closed_at is not None:
        return "closed"
    if invitation.expires_at <= (now or utcnow()):
        return "expired"
    return "sent"


def invitations_of(assessment: Assessment) -> list[StakeholderInvitation]:
    """The invitations sent from Streamlead (imported answers have none), oldest first."""
    return list(
        db.session.scalars(
            select(StakeholderInvitation)
            .where(
                StakeholderInvitation.assessment_id == assessment.id,
                StakeholderInvitation.imported.is_(False),
            )
            .order_by(StakeholderInvitation.id)
        )
    )


def imported_count(assessment: Assessment) -> int:
    """How many stakeholders' answers came in through the ratings import (no invitation sent)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(StakeholderInvitation)
            .where(
                StakeholderInvitation.assessment_id == assessment.id,
                StakeholderInvitation.imported.is_(True),
            )
        )
        or 0
    )


def invitation_in(assessment: Assessment, invitation_id: int) -> StakeholderInvitation | None:
    """One of the assessment's invitations, or None."""
    invitation = db.session.get(StakeholderInvitation, invitation_id)
    if invitation is None or invitation.assessment_id != assessment.id or invitation.imported:
        return None
    return invitation


# --- Changes -------------------------------------------------------------------------------


def check_invitees(assessment: Assessment, people: Sequence[Invitee]) -> list[Invitee]:
    """The people to invite, normalised, or InvitationError saying what is wrong with the list."""
    if not people:
        raise InvitationError("Enter at least one stakeholder's email address")
    seen: set[str] = set()
    cleaned: list[Invitee] = []
    panel = {normalise_email(i.interviewer.email) for i in assessment.interviews}
    for person in people:
        email = normalise_email(person.email)
        if email in seen:
            raise InvitationError(f"{email} is in the list twice: enter each person once")
        if email == normalise_email(assessment.candidate.email):
            raise InvitationError(
                f"{email} is {assessment.candidate.name}'s own address: stakeholders give "
                "their view of the candidate, so the candidate cannot be one"
            )
        if email in panel:
            raise InvitationError(
                f"{email} is on {assessment.candidate.name}'s interview panel: a panel member "
                "gives their view in the interview, so cannot also answer as a stakeholder"
            )
        if person.relationship not in RELATIONSHIPS:
            raise InvitationError(f"Choose how {email} works with {assessment.candidate.name}")
        seen.add(email)
        cleaned.append(Invitee(email, person.name.strip(), person.relationship))
    existing = {i.email: i for i in invitations_of(assessment)}
    imported = set(
        db.session.scalars(
            select(StakeholderInvitation.email).where(
                StakeholderInvitation.assessment_id == assessment.id,
                StakeholderInvitation.imported.is_(True),
            )
        )
    )
    for person in cleaned:
        found = existing.get(person.email)
        if found is not None and found.withdrawn_at is None:
            raise InvitationError(f"{person.email} has already been invited")
        if person.email in imported:
            raise InvitationError(
                f"{person.email} has already answered: their answers were imported from a file"
            )
    refuse_if_closed(assessment)
    active = sum(1 for i in existing.values() if i.withdrawn_at is None)
    total = active + len(cleaned)
    if total < MIN_STAKEHOLDERS:
        already = f" ({active} already invited)" if active else ""
        raise InvitationError(
            f"Name at least {MIN_STAKEHOLDERS} stakeholders in all{already}: answers are "
            f"only shown once at least {min_responses()} have answered, so fewer could never "
            "be shown"
        )
    if total > MAX_STAKEHOLDERS:
        raise InvitationError(
            f"Name no more than {MAX_STAKEHOLDERS} stakeholders in all: {active} already "
            f"invited and {len(cleaned)} more makes {total}. More answers rarely add much, "
            "and each one asks for someone's time"
        )
    return cleaned


def min_responses() -> int:
    """How many must answer before anything they said is shown (STAKEHOLDER_MIN_RESPONSES)."""
    return int(current_app.config.get("STAKEHOLDER_MIN_RESPONSES", 3))


def invite(
    assessment: Assessment, people: Sequence[Invitee], due_on: date | None, actor: User
) -> list[StakeholderInvitation]:
    """Invite stakeholders (3-12 in all per assessment) and email each their link."""
    due_on = check_due_on(due_on)
    cleaned = check_invitees(assessment, people)
    withdrawn = {i.email: i for i in invitations_of(assessment) if i.withdrawn_at is not None}
    made: list[StakeholderInvitation] = []
    for person in cleaned:
        invitation = withdrawn.get(person.email)
        if invitation is None:
            invitation = StakeholderInvitation(assessment_id=assessment.id, email=person.email)
            db.session.add(invitation)
        invitation.name = person.name
        invitation.relationship = person.relationship
        invitation.created_by_id = actor.id
        invitation.withdrawn_at = None
        invitation.draft = {}
        invitation.due_on = due_on
        invitation.expires_at = expiry_for(due_on)
        db.session.flush()  # the link is built from the id
        _issue_link(invitation)
        made.append(invitation)
    db.session.flush()
    for invitation in made:
        send_invitation(invitation)
    # Who was asked stays on the invitations; audit events about the candidate's assessment
    # are in the candidate's personal-data export, so they name no stakeholder.
    audit.record(
        "stakeholder.invite",
        f"Invited {len(made)} stakeholder{'s' if len(made) != 1 else ''} to give feedback on "
        f"{assessment.candidate.name}, due {due_on.isoformat()}",
        obj=assessment,
        actor=actor,
        new={"invitations": [i.id for i in made], "due_on": due_on.isoformat()},
    )
    return made


CLOSED_MESSAGE = (
    "The feedback round for {name} has closed and its results are shown, so nobody more can be "
    "asked or given more time: one more answer would change the results by exactly what that "
    "person said"
)


def refuse_if_closed(assessment: Assessment) -> None:
    """InvitationError once the round has closed (docs/decisions.md, "Issue 18 — Results when
    the feedback round closes"): a later answer would show as a difference in the results."""
    if round_closed(assessment):
        raise InvitationError(CLOSED_MESSAGE.format(name=assessment.candidate.name))


def close_round(assessment: Assessment, actor: User) -> int:
    """Close the assessment's feedback round: open links stop working, their unsent drafts are
    discarded (as on a withdrawal), and the results show. Returns how many links were ended."""
    if assessment.stakeholder_closed_at is not None:
        raise InvitationError(
            f"The feedback round for {assessment.candidate.name} is already closed"
        )
    now = utcnow()
    ended = [
        i for i in invitations_of(assessment) if i.withdrawn_at is None and i.submitted_at is None
    ]
    for invitation in ended:
        invitation.expires_at = min(invitation.expires_at, now)
        invitation.draft = {}  # answers never sent are theirs, not ours to keep
    assessment.stakeholder_closed_at = now
    audit.record(
        "stakeholder.close",
        f"Closed the stakeholder feedback round on {assessment.candidate.name}"
        + (
            f", ending {len(ended)} unanswered link{'s' if len(ended) != 1 else ''}"
            if ended
            else ""
        ),
        obj=assessment,
        actor=actor,
        new={"ended_invitations": [i.id for i in ended]},
    )
    return len(ended)


def _still_open(invitation: StakeholderInvitation) -> None:
    if invitation.withdrawn_at is not None:
        raise InvitationError(f"The invitation to {invitation.email} has been withdrawn")
    if invitation.submitted_at is not None:
        raise InvitationError(f"{invitation.email} has already answered")


def withdraw(invitation: StakeholderInvitation, actor: User) -> None:
    """Stop an invitation: its link no longer works and the unsent draft is discarded."""
    _still_open(invitation)
    invitation.withdrawn_at = utcnow()
    invitation.draft = {}  # answers never sent are theirs, not ours to keep
    audit.record(
        "stakeholder.withdraw",
        f"Withdrew stakeholder invitation {invitation.id}",
        obj=invitation,
        actor=actor,
    )


def resend(invitation: StakeholderInvitation, actor: User) -> None:
    """Email a new link (the old one stops working); answers saved so far are kept."""
    _still_open(invitation)
    refuse_if_closed(invitation.assessment)
    if invitation.expires_at <= utcnow():
        raise InvitationError(
            f"The link to {invitation.email} has expired: extend the due date instead, "
            "which opens it again and tells them"
        )
    _issue_link(invitation)
    send_invitation(invitation)
    audit.record(
        "stakeholder.resend",
        f"Sent a new link for stakeholder invitation {invitation.id}",
        obj=invitation,
        actor=actor,
    )


def extend(invitation: StakeholderInvitation, due_on: date | None, actor: User) -> None:
    """Move the due date on (and the link's expiry with it), telling the stakeholder."""
    _still_open(invitation)
    refuse_if_closed(invitation.assessment)
    due_on = check_due_on(due_on)
    if invitation.due_on is not None and due_on <= invitation.due_on:
        raise InvitationError(
            f"Choose a date after the current due date, {localtime.format_date(invitation.due_on)}",
            field="due_on",
        )
    old = invitation.due_on
    invitation.due_on = due_on
    invitation.expires_at = expiry_for(due_on)
    send_reminder(invitation, reason="extended")
    audit.record(
        "stakeholder.extend",
        f"Gave stakeholder invitation {invitation.id} until {due_on.isoformat()}",
        obj=invitation,
        actor=actor,
        old={"due_on": old.isoformat() if old else None},
        new={"due_on": due_on.isoformat()},
    )


# --- Emails --------------------------------------------------------------------------------


def _email_context(invitation: StakeholderInvitation) -> dict[str, object]:
    assessment = invitation.assessment
    return {
        "candidate": assessment.candidate.name,
        "stakeholder_name": invitation.name,
        "relationship": RELATIONSHIPS.get(invitation.relationship, "").lower(),
        "due_on": localtime.format_date(invitation.due_on, long=True) if invitation.due_on else "",
        "min_responses": min_responses(),
        "minutes": MINUTES_TO_ANSWER,
        "role": assessment.role_version.role.name,
        "asked_by": invitation.created_by.name if invitation.created_by else "",
    }


def send_invitation(invitation: StakeholderInvitation) -> bool:
    """Email the invitation with its link; False when there is no email service to use."""
    link = link_path(invitation)
    if link is None:
        return False
    return _send(
        invitation,
        "stakeholder.invite",
        title=f"Your view of {invitation.assessment.candidate.name}, by "
        f"{localtime.format_date(invitation.due_on) if invitation.due_on else 'soon'}",
        link=link,
        template="stakeholder_invite",
        context=_email_context(invitation),
        # A resend is a new link: its own key, so it is never taken for the first email.
        dedupe_key=f"stakeholder.invite:{invitation.id}:{int(invitation.created_at.timestamp())}",
    )


def send_reminder(
    invitation: StakeholderInvitation, *, reason: str, on: date | None = None
) -> bool:
    """Remind a stakeholder who has not answered (once per reason, due date and day)."""
    link = link_path(invitation)
    if link is None:
        return False
    context = {**_email_context(invitation), "reason": reason}
    return _send(
        invitation,
        "stakeholder.reminder",
        title=(
            f"More time to give your view of {invitation.assessment.candidate.name}"
            if reason == "extended"
            else f"Reminder: your view of {invitation.assessment.candidate.name}"
        ),
        link=link,
        template="stakeholder_reminder",
        context=context,
        dedupe_key=reminder_key(invitation, reason, on),
    )


def reminder_key(invitation: StakeholderInvitation, reason: str, on: date | None = None) -> str:
    """The outbox dedupe key of one reminder: once per invitation, reason and due date."""
    due = invitation.due_on.isoformat() if invitation.due_on else ""
    return f"stakeholder.reminder:{invitation.id}:{reason}:{due}:{on or ''}"


def reminder_sent(invitation: StakeholderInvitation, reason: str, on: date | None = None) -> bool:
    """True when this reminder is already in the outbox."""
    key = reminder_key(invitation, reason, on)
    return (
        db.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.to_address == invitation.email, OutboxMessage.dedupe_key == key
            )
        )
        is not None
    )


def email_delivery_on() -> bool:
    """True when Streamlead emails stakeholders itself (MAIL_SERVER set); otherwise messages
    stay in the outbox and the CPO passes each link on by hand."""
    return bool(current_app.config.get("MAIL_SERVER"))


def absolute_link(invitation: StakeholderInvitation) -> str | None:
    """The full address of the invitation's answer page, for the CPO to pass on by hand when
    email is not set up (the link is rebuilt, never stored)."""
    path = link_path(invitation)
    return str(current_app.config["BASE_URL"]).rstrip("/") + path if path else None


def _send(invitation: StakeholderInvitation, kind: str, **kwargs: Any) -> bool:
    """Put the email in the notifications outbox (issue 17); False when it was already there."""
    return send_to_address(invitation.email, kind, **kwargs) is not None
