"""When each panel member's interview is due, and when and where it takes place.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

from datetime import date, datetime

from app import audit, localtime
from app.extensions import db
from app.interviews.panels import PanelError
from app.models import Interview, User
from assessments.due import INTERVIEW_DUE_DAYS, default_due


def default_panel_due(panel: list[Interview]) -> date:
    """The due date the panel form offers for newcomers: the panel's latest one still ahead,
    else INTERVIEW_DUE_DAYS from today."""
    today = localtime.today()
    ahead = [i.due_on for i in panel if i.due_on is not None and i.due_on >= today]
    return max(ahead, default=default_due(today, INTERVIEW_DUE_DAYS))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def schedule_interview(
    interview: Interview,
    *,
    due_on: date,
    scheduled_at: datetime | None,
    location: str,
    actor: User | None,
) -> bool:
    """Set the due date, time and place of one interview; True when the time or place changed
    (the panel member is sent an updated invitation)."""
    if interview.status == "submitted":
        raise PanelError(
            f"{interview.interviewer.name} has submitted their interview, so its dates stay as"
            " they were"
        )
    location = location.strip()
    old = {
        "due_on": _iso(interview.due_on),
        "scheduled_at": _iso(interview.scheduled_at),
        "location": interview.location,
    }
    new = {"due_on": _iso(due_on), "scheduled_at": _iso(scheduled_at), "location": location}
    if old == new:
        return False
    moved = (old["scheduled_at"], old["location"]) != (new["scheduled_at"], new["location"])
    interview.due_on = due_on
    interview.scheduled_at = scheduled_at
    interview.location = location
    db.session.flush()
    when = localtime.format_datetime(scheduled_at, never="no time set")
    audit.record(
        "panel.schedule",
        f"Interview of {interview.assessment.candidate.name} by {interview.interviewer.name}:"
        f" due {due_on.isoformat()}, {when}",
        obj=interview.assessment,
        actor=actor,
        old={"interviewer": interview.interviewer.email, **old},
        new={"interviewer": interview.interviewer.email, **new},
    )
    return moved and scheduled_at is not None
