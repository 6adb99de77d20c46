"""Interview due dates, times and places: set with the panel and per member, shown in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import Interview
from tests.fixtures.builders import make_assessment, new_stream, panel_scene, published_role
from tests.fixtures.client import parse
from tests.fixtures.dates import date_parts


def test_panel_members_get_the_due_date_chosen_with_the_panel(
    app: Flask, browser_as, make_user
) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    tom = make_user("interviewer", name="Tom Okafor")
    candidate = make_user("exec", name="Laura Byrne")
    with app.app_context():
        assessment_id = make_assessment(candidate.id, published_role(), new_stream()).id
        db.session.commit()
        today = localtime.today()
    browser = browser_as(cpo)
    page = browser.get(f"/assessments/{assessment_id}/panel")
    assert page.find("legend", string="Interviews due by") is not None
    default = today + timedelta(days=14)
    assert page.find("input", id="due_on-day")["value"] == str(default.day)

    bad = browser.post(
        f"/assessments/{assessment_id}/panel",
        {"members": [str(tom.id)], **date_parts("due_on", "30 2 2027")},
        status=400,
    )
    assert "The interview due date must be a real date" in parse(bad).get_text()
    browser.post(
        f"/assessments/{assessment_id}/panel",
        {"members": [str(tom.id)], **date_parts("due_on", today + timedelta(days=3))},
    )
    with app.app_context():
        interview = db.session.scalars(select(Interview)).one()
        assert interview.due_on == today + timedelta(days=3)
    page = browser.get(f"/assessments/{assessment_id}/panel")
    assert "due in 3 days" in page.find(id=f"schedule-{interview.id}").get_text()
    # Tom sees it in his list and on his home page.
    tom_browser = browser_as(tom)
    assert "due in 3 days" in tom_browser.get("/interviews").get_text()
    assert "due in 3 days" in tom_browser.get("/").get_text()


def test_cpo_sets_a_members_date_time_and_place(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        today = localtime.today()
    browser = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/panel/{scene.tom_interview_id}/schedule"
    page = browser.get(url)
    version = page.find("input", attrs={"name": "version"})["value"]
    held = today + timedelta(days=5)
    for typed, message in [
        ({**date_parts("held_on", held), "held_at": ""}, "Enter the time of the interview"),
        ({**date_parts("held_on", "  "), "held_at": "14:30"}, "Enter the interview date as well"),
        ({**date_parts("held_on", held), "held_at": "25:00"}, "Enter the time like 14:30"),
        ({**date_parts("held_on", "5 13 2027"), "held_at": "9am"}, "the month is 1 to 12"),
    ]:
        response = browser.post(
            url,
            {"version": version, **date_parts("due_on", held), "location": "", **typed},
            status=400,
        )
        assert message in parse(response).select_one(".govuk-error-summary").get_text()
    browser.post(
        url,
        {
            "version": version,
            **date_parts("due_on", held + timedelta(days=1)),
            **date_parts("held_on", held),
            "held_at": "2:30pm",
            "location": "Room 4.01, Leeds office",
        },
    )
    with app.app_context():
        interview = db.session.get(Interview, scene.tom_interview_id)
        local = localtime.local(interview.scheduled_at)
        assert (local.date(), local.hour, local.minute) == (held, 14, 30)
        assert interview.scheduled_at.tzinfo is not None
        assert interview.location == "Room 4.01, Leeds office"
        shown = localtime.format_datetime(interview.scheduled_at)
    row = browser.get(f"/assessments/{scene.assessment_id}/panel").find(
        id=f"schedule-{scene.tom_interview_id}"
    )
    assert "due in 6 days" in row.get_text()
    assert f"Interview {shown}, Room 4.01, Leeds office" in " ".join(row.get_text().split())
    # Submitted members' dates stay: no Change link, and the page says so.
    mei_row = browser.get(f"/assessments/{scene.assessment_id}/panel").find(
        id=f"schedule-{scene.mei_interview_id}"
    )
    assert mei_row.find("a") is None
    done = browser.get(
        f"/assessments/{scene.assessment_id}/panel/{scene.mei_interview_id}/schedule"
    )
    assert "stay as they were" in done.get_text()


def test_an_overdue_due_date_can_be_kept_while_the_place_changes(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        interview = db.session.get(Interview, scene.tom_interview_id)
        past = localtime.today() - timedelta(days=2)
        interview.due_on = past
        interview.scheduled_at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        db.session.commit()
    browser = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/panel/{scene.tom_interview_id}/schedule"
    page = browser.get(url)
    data = {i["name"]: i.get("value", "") for i in page.select("form input") if i.get("name")}
    assert "overdue by 2 days" in browser_as(scene.tom).get("/").get_text()
    data["location"] = "Teams"
    browser.post(url, data)
    with app.app_context():
        interview = db.session.get(Interview, scene.tom_interview_id)
        assert (interview.due_on, interview.location) == (past, "Teams")
