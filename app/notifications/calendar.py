"""Calendar invitations (.ics) for interviews with a date and time, built with `icalendar`.

Each interview keeps one event UID, so a changed time or place updates the event already in
the panel member's calendar (with a higher SEQUENCE) instead of adding a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from app.models import Interview
from app.models.base import utcnow

# How long an interview is put in the calendar for.
INTERVIEW_LENGTH = timedelta(hours=1)
ICS_CONTENT_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
ICS_CANCEL_TYPE = "text/calendar; method=CANCEL; charset=utf-8"


def event_uid(interview: Interview) -> str:
    """The interview's event, the same every time it is sent."""
    host = urlsplit(str(current_app.config["BASE_URL"])).hostname or "streamlead"
    return f"interview-{interview.id}@{host}"


def _organizer() -> vCalAddress:
    name, address = parseaddr(str(current_app.config.get("MAIL_DEFAULT_SENDER") or ""))
    organizer = vCalAddress(f"mailto:{address or 'streamlead@localhost'}")
    organizer.params["cn"] = vText(name or current_app.config["ORGANISATION_NAME"])
    return organizer


def interview_invitation(
    interview: Interview, *, url: str, cancelled: bool = False
) -> bytes | None:
    """The .ics invitation to an interview (its cancellation when `cancelled`), or None while
    it has no date and time."""
    if interview.scheduled_at is None:
        return None
    start = interview.scheduled_at.astimezone(UTC)
    candidate = interview.assessment.candidate.name
    calendar = Calendar()
    calendar.add("prodid", "-//Streamlead//Interview invitations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", event_uid(interview))
    # Every change to the interview raises its version, so a later invitation always wins.
    event.add("sequence", int(interview.version or 1) + (1 if cancelled else 0))
    if cancelled:
        event.add("status", "CANCELLED")
    event.add("dtstamp", utcnow().astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + INTERVIEW_LENGTH)
    event.add("summary", f"Interview: {candidate} ({interview.assessment.role_version.label})")
    event.add("location", interview.location or "To be confirmed")
    event.add("description", f"Your interview kit: {url}")
    event.add("url", url)
    event["organizer"] = _organizer()
    attendee = vCalAddress(f"mailto:{interview.interviewer.email}")
    attendee.params["cn"] = vText(interview.interviewer.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def ics_start(data: bytes) -> datetime:
    """DTSTART of the first event in an .ics (for checks and tests)."""
    event = next(iter(Calendar.from_ical(data).walk("VEVENT")))
    return event.decoded("dtstart")  # type: ignore[no-any-return]
