"""Emails about what is due: the nomination, the panel seat with its calendar invitation, and
each reminder. Each test reads the OutboxMessage rows (no mail server: 'kept')."""

from __future__ import annotations

import base64
from datetime import UTC, time, timedelta

from flask import Flask
from icalendar import Calendar
from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import Assessment, Interview, Notification, OutboxMessage
from tests.fixtures.builders import (
    answer,
    full_answers,
    make_stream,
    panel_scene,
    publish_role,
)
from tests.fixtures.dates import date_parts

BASE = "http://127.0.0.1:5000"
# Words that would mean a private field leaked into an email.
PRIVATE = ("rationale", "Mei saw", "Strong yes", "Strongest aptitude", "readiness", "score")


def _messages(app: Flask, kind: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            )
        )
        for row in rows:
            db.session.expunge(row)
        return rows


def assert_nothing_private(message: OutboxMessage) -> None:
    """No score, note or rationale in either part."""
    for part in (message.subject, message.text_body, message.html_body):
        for word in PRIVATE:
            assert word.lower() not in part.lower(), (word, part)


def _unread(app: Flask, kind: str) -> list[bool]:
    with app.app_context():
        return [
            n.unread
            for n in db.session.scalars(select(Notification).where(Notification.kind == kind))
        ]


def test_nominating_emails_the_exec_to_complete_the_self_assessment_by_the_date(
    app: Flask, browser_as, make_user
) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app, name="Home buying")
    candidate = make_user("exec", name="Laura Byrne")
    with app.app_context():
        due = localtime.today() + timedelta(days=10)
        words = localtime.format_date(due, long=True)
    browser_as("cpo").post(
        "/candidates/nominate",
        {
            "candidate": candidate.id,
            "value_stream": stream_id,
            "role_version": version_id,
            **date_parts("self_due_on", due),
        },
    )
    with app.app_context():
        assessment_id = db.session.scalars(select(Assessment.id)).one()
    (message,) = _messages(app, "self.nominated")
    assert message.to_address == candidate.email
    assert message.status == "kept"
    assert message.subject == (
        f"You have been nominated: please complete your self-assessment by {words}"
    )
    link = f"{BASE}/assessments/{assessment_id}/self"
    for part in (message.text_body, message.html_body):
        assert "Hello Laura Byrne" in part
        assert "Home buying" in part
        assert words in part
        assert link in part
    assert "Start your self-assessment" in message.text_body
    assert f'href="{link}"' in message.html_body
    assert_nothing_private(message)
    assert _unread(app, "self.nominated") == [True]
    # Submitting the self-assessment takes it out of "unread".
    answer(app, assessment_id, full_answers(), submit=True)
    assert _unread(app, "self.nominated") == [False]


def test_panel_members_are_told_with_the_kit_link_and_due_date(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        due = localtime.today() + timedelta(days=5)
    ada = make_user("interviewer", name="Ada Quinn")
    browser_as(scene.cpo).post(
        f"/assessments/{scene.assessment_id}/panel",
        {
            "members": [str(scene.tom.id), str(scene.mei.id), str(ada.id)],
            **date_parts("due_on", due),
        },
    )
    (message,) = _messages(app, "interview.assigned")  # only the newcomer
    assert message.to_address == ada.email
    assert message.subject == "You are on the interview panel for Sarah Whitfield"
    with app.app_context():
        interview = db.session.scalar(select(Interview).where(Interview.interviewer_id == ada.id))
        link = f"{BASE}/interviews/{interview.id}"
    for part in (message.text_body, message.html_body):
        assert link in part
        assert localtime.format_date(due, long=True) in part
        assert "Open your interview kit" in part
    assert message.attachments == []  # no time set: no invitation
    assert_nothing_private(message)


def _ics(message: OutboxMessage) -> Calendar:
    (attachment,) = message.attachments
    assert attachment["filename"] == "interview.ics"
    assert attachment["content_type"].startswith("text/calendar")
    return Calendar.from_ical(base64.b64decode(attachment["data_base64"]))


def test_a_date_and_time_send_a_calendar_invitation_and_a_change_updates_it(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        held = localtime.today() + timedelta(days=4)
    browser = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/panel/{scene.tom_interview_id}/schedule"

    def save(at: str, place: str) -> None:
        page = browser.get(url)
        version = page.find("input", attrs={"name": "version"})["value"]
        browser.post(
            url,
            {
                "version": version,
                **date_parts("due_on", held + timedelta(days=1)),
                **date_parts("held_on", held),
                "held_at": at,
                "location": place,
            },
        )

    save("14:30", "Room 4.01, Leeds office")
    (first,) = _messages(app, "interview.assigned")
    assert first.to_address == scene.tom.email
    assert first.subject == "You are on the interview panel for Sarah Whitfield"
    assert "A calendar invitation is attached" in first.text_body
    assert "Room 4.01, Leeds office" in first.text_body
    event = next(iter(_ics(first).walk("VEVENT")))
    with app.app_context():
        start = localtime.local_moment(held, time(14, 30))
    assert event.decoded("dtstart") == start
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(event["dtstart"].to_ical().decode()).endswith("Z")  # written in UTC
    assert str(event["summary"]).startswith("Interview: Sarah Whitfield")
    assert str(event["location"]) == "Room 4.01, Leeds office"
    assert str(event["organizer"]).startswith("mailto:")
    assert f"/interviews/{scene.tom_interview_id}" in str(event["description"])
    uid, sequence = str(event["uid"]), int(event["sequence"])

    # Saving the same again sends nothing; a new time sends an update of the same event.
    save("14:30", "Room 4.01, Leeds office")
    assert len(_messages(app, "interview.assigned")) == 1
    save("16:00", "Room 2.10")
    second = _messages(app, "interview.assigned")[1]
    assert second.subject == "Interview of Sarah Whitfield: the time or place has changed"
    assert "updates the event already in your calendar" in second.text_body
    moved = next(iter(_ics(second).walk("VEVENT")))
    assert str(moved["uid"]) == uid
    assert int(moved["sequence"]) > sequence
    assert moved.decoded("dtstart").astimezone(UTC) == start.astimezone(UTC) + timedelta(minutes=90)
    assert str(moved["location"]) == "Room 2.10"
    for message in (first, second):
        assert_nothing_private(message)


def test_a_new_exec_is_told_to_set_a_password_first(app: Flask, browser_as) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app, name="Home buying")
    browser_as("cpo").post(
        "/candidates/nominate",
        {
            "candidate": "new",
            "new_name": "James Carter",
            "new_email": "james.carter@example.org",
            "value_stream": stream_id,
            "role_version": version_id,
        },
        status=200,
    )
    (message,) = _messages(app, "self.nominated")
    assert message.to_address == "james.carter@example.org"
    for part in (message.text_body, message.html_body):
        assert "first set your password with the link in the invitation email" in part
    assert _messages(app, "account.invite")  # the invitation itself (i17-core)


def test_taking_a_scheduled_member_off_the_panel_cancels_the_event(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        held = localtime.today() + timedelta(days=4)
    browser = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/panel/{scene.tom_interview_id}/schedule"
    version = browser.get(url).find("input", attrs={"name": "version"})["value"]
    browser.post(
        url,
        {
            "version": version,
            **date_parts("due_on", held),
            **date_parts("held_on", held),
            "held_at": "10:00",
            "location": "Room 1",
        },
    )
    (invitation,) = _messages(app, "interview.assigned")
    uid = str(next(iter(_ics(invitation).walk("VEVENT")))["uid"])
    # Only Mei (submitted) stays: Tom is taken off.
    browser.post(f"/assessments/{scene.assessment_id}/panel", {})
    cancel = _messages(app, "interview.assigned")[-1]
    assert cancel.to_address == scene.tom.email
    assert cancel.subject == (
        "Interview of Sarah Whitfield cancelled: you are no longer on the panel"
    )
    assert f"{BASE}/interviews" in cancel.text_body
    calendar = _ics(cancel)
    assert str(calendar["method"]) == "CANCEL"
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["uid"]) == uid and str(event["status"]) == "CANCELLED"
    assert_nothing_private(cancel)
    assert _unread(app, "interview.assigned") == [False, True]
