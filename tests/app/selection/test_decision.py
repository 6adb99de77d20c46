"""The CPO's decision: validation, who and when, audit, and the start of induction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import Assessment, AuditEvent
from tests.fixtures.builders import panel_scene
from tests.fixtures.client import parse
from tests.fixtures.dates import date_parts

RATIONALE = "Strong with customers; the P&L gap is coachable within six months."


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, date, int | None]]:
    """Calls to coaching.start_after_selection (implemented by the coaching area)."""
    calls: list[tuple[int, date, int | None]] = []

    def fake(assessment, start_date, actor):  # type: ignore[no-untyped-def]
        calls.append((assessment.id, start_date, actor.id if actor else None))

    monkeypatch.setattr("app.coaching.plans.start_after_selection", fake)
    return calls


def _assessment(app: Flask, assessment_id: int) -> Assessment:
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        db.session.expunge(assessment)
        return assessment


def test_cpo_selects_with_rationale_and_start_date(
    app: Flask, browser_as, make_user, started
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    browser = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/decision"
    form = browser.get(url)
    today = localtime.today()
    # Day, month and year boxes in one fieldset, filled with today.
    legend = form.select_one("#start_date").find_parent("fieldset").legend.get_text(strip=True)
    assert legend == "Start date (if selected)"
    boxes = {
        form.find("label", attrs={"for": f"start_date-{part}"}).get_text(strip=True): form.find(
            "input", attrs={"name": f"start_date-{part}"}
        )["value"]
        for part in ("day", "month", "year")
    }
    assert boxes == {"Day": str(today.day), "Month": str(today.month), "Year": str(today.year)}
    start = today + timedelta(days=10)
    response = browser.post(
        url,
        {
            "version": "1",
            "decision": "selected",
            "rationale": RATIONALE,
            **date_parts("start_date", start),
        },
    )
    assert response.location.endswith(f"/assessments/{scene.assessment_id}/results")
    page = browser.get(response.location)
    banner = page.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert (
        "Decision recorded: Sarah Whitfield selected."
        f" Induction and coaching start on {start.day} {start:%B %Y}." in banner
    )
    assessment = _assessment(app, scene.assessment_id)
    assert assessment.decision == "selected"
    assert assessment.decision_rationale == RATIONALE
    assert assessment.decided_by_id == scene.cpo.id and assessment.decided_at is not None
    assert started == [(scene.assessment_id, start, scene.cpo.id)]
    summary = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert summary["Decision"] == "Selected"
    assert summary["Rationale"] == RATIONALE
    assert summary["Decided by"].startswith("Priya Raman,")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision.record"))
        assert event.actor_id == scene.cpo.id
        assert event.old_value == {
            "decision": None,
            "rationale": "",
            "decided_by": None,
            "decided_at": None,
        }
        assert event.new_value["decision"] == "selected"
        assert event.new_value["rationale"] == RATIONALE
        assert event.new_value["start_date"] == start.isoformat()


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({"rationale": RATIONALE}, ["Choose a decision"]),
        ({"decision": "on-hold", "rationale": ""}, ["Enter a rationale for the decision"]),
        (
            {"decision": "not-selected", "rationale": "Not ready yet."},
            [
                "The rationale must be at least 20 characters: say why, so others can follow"
                " the decision later"
            ],
        ),
        (
            {
                "decision": "selected",
                "rationale": RATIONALE,
                **date_parts("start_date", "31 2 2026"),
            },
            ["Start date must be a real date"],
        ),
        (
            {"decision": "selected", "rationale": RATIONALE, **date_parts("start_date", "1  2026")},
            ["Start date must include a month"],
        ),
        (
            {"decision": "selected", "rationale": RATIONALE, **date_parts("start_date", "  ")},
            ["Enter the start date"],
        ),
        (
            {
                "decision": "selected",
                "rationale": RATIONALE,
                **date_parts("start_date", "1 1 2031"),
            },
            ["The start date must be within a year of today"],
        ),
        (
            {"decision": "fired", "rationale": RATIONALE},
            ["Choose selected, not selected or on hold"],
        ),
    ],
)
def test_decision_is_validated_and_nothing_saved(
    app: Flask, browser_as, make_user, started, data: dict[str, str], messages: list[str]
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    response = browser_as(scene.cpo).post(
        f"/assessments/{scene.assessment_id}/decision", {"version": "1", **data}, status=400
    )
    page = parse(response)
    assert [a.get_text() for a in page.select(".govuk-error-summary a")] == messages
    assert page.title.get_text().startswith("Error:")
    if data.get("rationale"):
        assert (
            page.find("textarea", attrs={"name": "rationale"}).get_text().strip()
            == (data["rationale"])
        )
    assert _assessment(app, scene.assessment_id).decision is None
    assert started == []


def test_a_start_date_is_not_needed_unless_selected(
    app: Flask, browser_as, make_user, started
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    browser_as(scene.cpo).post(
        f"/assessments/{scene.assessment_id}/decision",
        {"version": "1", "decision": "on-hold", "rationale": RATIONALE, "start_date": "nonsense"},
    )
    assert _assessment(app, scene.assessment_id).decision == "on-hold"
    assert started == []


def test_changing_the_decision_is_recorded_and_reselecting_calls_coaching_again(
    app: Flask, browser_as, make_user, started
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    browser = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/decision"
    today = date.today().isoformat()
    browser.post(
        url, {"version": "1", "decision": "selected", "rationale": RATIONALE, "start_date": today}
    )
    later = "Put on hold while the stream's funding is reviewed by the board."
    browser.post(url, {"version": "2", "decision": "on-hold", "rationale": later})
    browser.post(
        url, {"version": "3", "decision": "selected", "rationale": RATIONALE, "start_date": today}
    )
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "decision.record").order_by(AuditEvent.id)
        ).all()
        assert [(e.old_value["decision"], e.new_value["decision"]) for e in events] == [
            (None, "selected"),
            ("selected", "on-hold"),
            ("on-hold", "selected"),
        ]
        assert events[1].old_value["rationale"] == RATIONALE
        assert events[1].new_value["rationale"] == later
    # The coaching side is idempotent; it is asked each time someone is selected.
    assert len(started) == 2


def test_a_stale_form_is_refused(app: Flask, browser_as, make_user, started) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    browser = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/decision"
    browser.post(url, {"version": "1", "decision": "on-hold", "rationale": RATIONALE})
    page = parse(
        browser.post(
            url,
            {"version": "1", "decision": "not-selected", "rationale": "A different view, typed."},
            status=409,
        )
    )
    assert (
        "Someone else changed this candidate's record"
        in page.select_one(".govuk-error-summary").get_text()
    )
    assert page.find("textarea", attrs={"name": "rationale"}).get_text().strip() == (
        "A different view, typed."
    )
    assert "On hold" in page.find("dt", string="Current decision").find_next("dd").get_text()
    assert _assessment(app, scene.assessment_id).decision == "on-hold"


def test_only_the_cpo_decides(app: Flask, browser_as, make_user, started) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    url = f"/assessments/{scene.assessment_id}/decision"
    for role in ("hr", "admin", "interviewer", "exec"):
        browser_as(role).post(
            url, {"version": "1", "decision": "selected", "rationale": RATIONALE}, status=403
        )
    assert _assessment(app, scene.assessment_id).decision is None
