"""Self-assessment due dates: set when nominating, changed by the CPO, shown in words."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import Assessment
from tests.fixtures.builders import make_stream, nominate, publish_role
from tests.fixtures.client import parse
from tests.fixtures.dates import date_parts


def _nominate_data(candidate: int, stream_id: int, version_id: int, due: object) -> dict:
    return {
        "candidate": candidate,
        "new_name": "",
        "new_email": "",
        "value_stream": stream_id,
        "role_version": version_id,
        **date_parts("self_due_on", due),  # type: ignore[arg-type]
    }


def test_nominating_sets_a_due_date_two_weeks_ahead_by_default(
    app: Flask, browser_as, make_user
) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app)
    candidate = make_user("exec", name="Laura Byrne")
    cpo = browser_as("cpo")
    with app.app_context():
        default = localtime.today() + timedelta(days=14)
    page = cpo.get("/candidates/nominate")
    assert page.find("legend", string="Self-assessment due by") is not None
    assert page.find("input", id="self_due_on-day")["value"] == str(default.day)
    assert page.find("input", id="self_due_on-year")["value"] == str(default.year)

    with app.app_context():
        chosen = localtime.today() + timedelta(days=10)
    response = cpo.post(
        "/candidates/nominate", _nominate_data(candidate.id, stream_id, version_id, chosen)
    )
    page = cpo.get(response.location)
    row = page.find(id="self-due")
    assert "due in 10 days" in row.get_text()
    with app.app_context():
        assert db.session.scalars(select(Assessment)).one().self_due_on == chosen


def test_bad_due_dates_are_form_errors(app: Flask, browser_as, make_user) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app)
    candidate = make_user("exec", name="Laura Byrne")
    cpo = browser_as("cpo")
    with app.app_context():
        yesterday = localtime.today() - timedelta(days=1)
    for typed, message in [
        ("31 2 2027", "The self-assessment due date must be a real date"),
        ("1  2027", "The self-assessment due date must include a month"),
        (yesterday, "The self-assessment due date must be today or later"),
        ("1 1 2099", "The self-assessment due date must be within a year of today"),
    ]:
        response = cpo.post(
            "/candidates/nominate",
            _nominate_data(candidate.id, stream_id, version_id, typed),
            status=200,
        )
        summary = parse(response).select_one(".govuk-error-summary").get_text()
        assert message in summary, (typed, summary)
    with app.app_context():
        assert db.session.scalars(select(Assessment)).all() == []
    # Left blank, it is due in two weeks.
    cpo.post("/candidates/nominate", _nominate_data(candidate.id, stream_id, version_id, "  "))
    with app.app_context():
        due = db.session.scalars(select(Assessment)).one().self_due_on
        assert due == localtime.today() + timedelta(days=14)


def test_cpo_changes_the_due_date_and_the_exec_sees_it(app: Flask, browser_as, make_user) -> None:
    publish_role(app)
    stream_id = make_stream(app)
    candidate = make_user("exec", name="Laura Byrne")
    assessment_id = nominate(app, candidate, stream_id)
    cpo = browser_as("cpo")
    page = cpo.get(f"/assessments/{assessment_id}")
    link = page.find(id="self-due").find("a")
    assert link["href"] == f"/assessments/{assessment_id}/self-due"
    with app.app_context():
        today = localtime.today()
    form = cpo.get(link["href"])
    version = form.find("input", attrs={"name": "version"})["value"]
    for typed, message in [("32 1 2027", "must be a real date"), ("  ", "Enter the date")]:
        bad = cpo.post(
            link["href"], {"version": version, **date_parts("self_due_on", typed)}, status=400
        )
        assert message in parse(bad).select_one(".govuk-error-summary").get_text()
    cpo.post(link["href"], {"version": version, **date_parts("self_due_on", today)})
    page = cpo.get(f"/assessments/{assessment_id}")
    assert "due today" in page.find(id="self-due").get_text()
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).self_due_on == today
    # The candidates list says it too.
    listed = cpo.get("/candidates").find("td", attrs={"data-label": "Self-assessment"})
    assert "due today" in listed.get_text()
    # The exec sees when it is due, and cannot change it.
    exec_browser = browser_as(candidate)
    own = exec_browser.get(f"/assessments/{assessment_id}")
    assert "due today" in own.find(id="self-due").get_text()
    assert own.find(id="self-due").find("a") is None
    exec_browser.get(f"/assessments/{assessment_id}/self-due", status=403)
    home = exec_browser.get("/")
    assert "Due " in home.get_text() and "(due today)" in home.get_text()
