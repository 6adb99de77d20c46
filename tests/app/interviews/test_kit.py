"""The interview kit: generated from the pinned role version, drafts, submission, conflicts."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Interview
from assessments.role_files import load_default_role
from tests.app.interviews.helpers import submit_through_check
from tests.fixtures.builders import panel_scene
from tests.fixtures.client import parse

ROLE = load_default_role()
FIRST = ROLE.competencies[0]  # value-and-pnl: "Owning value and the P&L"


def _complete(version: int, **overrides: str) -> dict[str, str]:
    data = {"version": str(version), "action": "submit"}
    for comp in ROLE.competencies:
        data[f"rating-{comp.key}"] = "3"
        data[f"notes-{comp.key}"] = f"Clear example for {comp.key}"
    data.update(strengths="Customer focus", weaknesses="Delivery measures", recommendation="yes")
    data.update(overrides)
    return data


def _interview(app: Flask, interview_id: int) -> Interview:
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        assert interview is not None
        _ = [(r.competency_key, r.level, r.not_assessed, r.notes) for r in interview.ratings]
        db.session.expunge_all()
        return interview


def test_kit_shows_each_competency_by_lens_with_questions_rubric_and_ratings(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    page = browser_as(scene.tom).get(f"/interviews/{scene.tom_interview_id}")

    assert page.h1.get_text(strip=True) == "Interview of Sarah Whitfield"
    lenses = [h.get_text(strip=True) for h in page.select("h2.sl-kit__lens")]
    assert lenses == ["Value lens", "Workflow lens", "Quality lens", "Leadership lens", "Overall"]
    section = page.find(id=f"comp-{FIRST.key}")
    assert FIRST.name in section.h3.get_text()
    assert "Must-have" in section.h3.get_text()
    questions = [li.get_text(strip=True) for li in section.select("ol li")]
    assert questions == [q.text for q in FIRST.interview_questions]
    rubric = {
        row.th.get_text(" ", strip=True): row.td.get_text(strip=True)
        for row in section.select("table.sl-rubric tbody tr")
    }
    assert rubric["4 Expert"] == FIRST.levels[4]
    assert rubric["3 Practitioner Required level"] == FIRST.levels[3]
    options = [label.get_text() for label in section.select(".govuk-radios__label")]
    assert options == [
        "0 Counter-evidence",
        "1 Awareness",
        "2 Working",
        "3 Practitioner",
        "4 Expert",
        "Not assessed",
    ]
    assert section.find("legend").get_text(strip=True) == f"Your rating for {FIRST.name}"
    assert page.find("textarea", attrs={"name": f"notes-{FIRST.key}"}) is not None
    recommendation = [
        label.get_text() for label in page.select(".govuk-radios__label[for^=recommendation]")
    ]
    assert recommendation == ["Strong no", "No", "Yes", "Strong yes"]


def test_saving_a_draft_keeps_everything_typed(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    url = f"/interviews/{scene.tom_interview_id}"
    response = tom.post(
        url,
        {
            "version": "1",
            "action": "save",
            f"rating-{FIRST.key}": "2",
            f"notes-{FIRST.key}": "Knows the cost lines",
            "rating-outcome-strategy": "na",
            "notes-customer-evidence": "Ask about the welcome pack next time",
            "strengths": "Customers",
            "recommendation": "strong-yes",
        },
        follow=True,
        status=200,
    )
    page = parse(response)
    assert "Draft saved" in page.select_one(".govuk-notification-banner").get_text()
    assert page.find("input", id=f"rating-{FIRST.key}-3").has_attr("checked")
    assert page.find("input", id="rating-outcome-strategy-6").has_attr("checked")
    # Notes typed before choosing a rating stay notes, not "not assessed".
    customer = page.find(id="comp-customer-evidence")
    assert not any(i.has_attr("checked") for i in customer.select("input[type=radio]"))
    assert customer.find("textarea").get_text().strip() == "Ask about the welcome pack next time"
    assert page.find("textarea", attrs={"name": "strengths"}).get_text().strip() == "Customers"
    assert page.find("input", attrs={"name": "recommendation", "value": "strong-yes"}).has_attr(
        "checked"
    )
    interview = _interview(app, scene.tom_interview_id)
    assert interview.status == "draft"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.save"))
        assert event is not None
        assert event.new_value["ratings"][FIRST.key] == {
            "rating": "2",
            "notes": "Knows the cost lines",
        }
        assert event.old_value["ratings"][FIRST.key] == {"rating": "", "notes": ""}


def test_an_incomplete_interview_is_kept_and_the_check_page_refuses_to_submit_it(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    data = _complete(1)
    del data[f"rating-{FIRST.key}"]
    data["notes-outcome-strategy"] = ""
    data["recommendation"] = ""
    data["rating-customer-evidence"] = "na"
    data["notes-customer-evidence"] = ""
    tom = browser_as(scene.tom)
    kit_url = f"/interviews/{scene.tom_interview_id}"
    check = f"{kit_url}/check"
    # "Check and submit" keeps the draft as typed and goes to the check page.
    assert tom.post(kit_url, {**data, "action": "check"}).location == check
    interview = _interview(app, scene.tom_interview_id)
    assert interview.status == "draft"
    saved = {r.competency_key: (r.level, r.notes) for r in interview.ratings}
    assert saved["outcome-strategy"] == (3, "")
    # Beside the field in the kit: what still blocks submitting that rating.
    kit_page = tom.get(kit_url)
    assert kit_page.select_one("#notes-outcome-strategy-blocker").get_text(" ", strip=True) == (
        "Before you submit: Enter the evidence behind your rating of Outcome-led strategy"
    )
    assert "1 rating needs evidence" in kit_page.select_one(".sl-action-bar").get_text()

    page = tom.get(check)
    row = next(r for r in page.select(".govuk-summary-list__row") if FIRST.name in r.dt.get_text())
    assert "Not rated yet" in row.dd.get_text()
    change = row.select_one(".govuk-summary-list__actions a")["href"]
    assert change == f"{kit_url}#rating-{FIRST.key}"
    version = page.find("input", attrs={"name": "version"})["value"]
    refused = parse(tom.post(check, {"version": version}, status=400))
    links = {a.get_text(): a["href"] for a in refused.select(".govuk-error-summary a")}
    assert links == {
        f"Choose a rating for {FIRST.name}, or choose Not assessed": change,
        "Enter the evidence behind your rating of Outcome-led strategy": (
            f"{kit_url}#notes-outcome-strategy"
        ),
        "Choose your recommendation": f"{kit_url}#recommendation",
    }
    assert refused.title.get_text().startswith("Error:")
    assert _interview(app, scene.tom_interview_id).status == "draft"


def test_the_check_page_shows_every_answer_with_change_links_then_submits(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    kit_url = f"/interviews/{scene.tom_interview_id}"
    tom.post(kit_url, {**_complete(1), "action": "check"})
    page = tom.get(f"{kit_url}/check")
    assert page.h1.get_text() == "Check your answers before submitting"
    rows = page.select(".govuk-summary-list__row")
    assert len(rows) == len(ROLE.competencies) + 3
    first = rows[0]
    assert "3 Practitioner" in first.dd.get_text()
    assert f"Clear example for {FIRST.key}" in first.dd.get_text()
    change = first.select_one(".govuk-summary-list__actions a")
    assert change.get_text(" ", strip=True) == f"Change {FIRST.name}"
    assert "Submitting is final" in page.select_one(".govuk-warning-text").get_text()
    # Still a draft until the final button.
    assert _interview(app, scene.tom_interview_id).status == "draft"
    version = page.find("input", attrs={"name": "version"})["value"]
    assert tom.post(f"{kit_url}/check", {"version": version}).location == kit_url
    assert _interview(app, scene.tom_interview_id).status == "submitted"


def test_a_check_page_older_than_the_draft_does_not_submit(app: Flask, browser_as, make_user):
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    kit_url = f"/interviews/{scene.tom_interview_id}"
    tom.post(kit_url, {**_complete(1), "action": "check"})
    version = tom.get(f"{kit_url}/check").find("input", attrs={"name": "version"})["value"]
    tom.post(kit_url, {**_complete(int(version)), "strengths": "Rewritten", "action": "save"})
    response = tom.post(f"{kit_url}/check", {"version": version})
    assert response.location == f"{kit_url}/check"
    assert _interview(app, scene.tom_interview_id).status == "draft"


def test_submitted_interview_is_read_only(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    url = f"/interviews/{scene.tom_interview_id}"
    submit_through_check(tom, scene.tom_interview_id, _complete(1, **{f"rating-{FIRST.key}": "na"}))
    page = tom.get(url)
    assert page.find("form", attrs={"data-autosave-url": True}) is None
    assert page.find("input", attrs={"type": "radio"}) is None
    assert "Submitted" in page.select_one(".sl-page-header .govuk-tag").get_text()
    row = next(r for r in page.select(".govuk-summary-list__row") if FIRST.name in r.dt.get_text())
    assert "Not assessed" in row.dd.get_text()

    tom.post(url, _complete(2, strengths="Changed my mind"))
    assert tom.post(f"{url}/check", {"version": "3"}).location == url
    interview = _interview(app, scene.tom_interview_id)
    assert interview.status == "submitted" and interview.strengths == "Customer focus"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions.count("interview.submit") == 1


def test_a_stale_version_is_refused_and_the_input_shown_beside_the_saved_one(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    url = f"/interviews/{scene.tom_interview_id}"
    tom.post(url, {"version": "1", "action": "save", f"rating-{FIRST.key}": "1"})
    # A second tab still holds version 1.
    page = parse(
        tom.post(
            url,
            {"version": "1", "action": "save", f"rating-{FIRST.key}": "4", "strengths": "Mine"},
            status=409,
        )
    )
    summary = page.select_one(".govuk-error-summary").get_text()
    assert "saved from another window or tab" in summary
    rows = {
        r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
        for r in page.select("#conflict + .sl-table-scroll tbody tr")
    }
    assert rows[f"{FIRST.name}: rating"] == ["4", "1"]
    assert rows["Strengths"] == ["Mine", "Empty"]
    assert page.find("input", id=f"rating-{FIRST.key}-5").has_attr("checked")
    assert page.find("input", attrs={"name": "version"})["value"] == "2"
    assert _interview(app, scene.tom_interview_id).ratings[0].level == 1


def test_only_the_interviewer_may_open_their_interview(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    browser_as(scene.mei).get(f"/interviews/{scene.tom_interview_id}", status=403)
    browser_as(scene.cpo).get(f"/interviews/{scene.tom_interview_id}", status=403)
    browser_as(scene.candidate).get(f"/interviews/{scene.tom_interview_id}", status=403)
    browser_as(scene.tom).get("/interviews/999999", status=404)


def test_my_interviews_lists_pending_and_submitted(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    page = browser_as(scene.mei).get("/interviews")
    captions = [c.get_text(strip=True) for c in page.select("caption")]
    assert captions == ["Submitted (1)"]
    row = page.select_one("tbody tr")
    cells = [c.get_text(" ", strip=True) for c in row.select("th, td")]
    assert cells[0].startswith("Sarah Whitfield")
    assert cells[1] == "Customer onboarding"
    assert cells[2] == "Product Director (value stream) v1"
    assert "You have no interviews to do." in page.get_text()

    tom_page = browser_as(scene.tom).get("/interviews")
    assert [c.get_text(strip=True) for c in tom_page.select("caption")] == ["To do (1)"]
    link = tom_page.select_one("tbody a")["href"]
    assert link == f"/interviews/{scene.tom_interview_id}"


def test_autosave_keeps_a_draft_and_reports_progress(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    url = f"/interviews/{scene.tom_interview_id}"
    form = tom.get(url).find("form", attrs={"data-autosave-url": True})
    assert form["data-autosave-url"] == f"{url}/autosave"
    data = {"version": "1", f"rating-{FIRST.key}": "3", "rating-outcome-strategy": "na"}
    response = tom.post(f"{url}/autosave", data, status=200)
    assert response.get_json() == {
        "saved": True,
        "version": 2,
        "answered": 2,
        "total": len(ROLE.competencies),
        "progress": f"2 of {len(ROLE.competencies)} rated",
        "blocking": "1 rating needs evidence",
        "problems": [],
        "blockers": {
            f"notes-{FIRST.key}": f"Enter the evidence behind your rating of {FIRST.name}"
        },
    }
    assert _interview(app, scene.tom_interview_id).status == "draft"
    # The same version again: another tab saved first.
    stale = tom.post(f"{url}/autosave", data, status=409).get_json()
    assert stale["saved"] is False and "another window or tab" in stale["message"]
    bad = tom.post(f"{url}/autosave", {"version": "2", f"rating-{FIRST.key}": "9"}, status=200)
    assert bad.get_json()["saved"] is False
    assert "Choose a rating from 0 to 4" in bad.get_json()["message"]
    browser_as(scene.mei).post(f"{url}/autosave", data, status=403)
    mei_url = f"/interviews/{scene.mei_interview_id}/autosave"
    assert browser_as(scene.mei).post(mei_url, data, status=409).get_json()["saved"] is False


def test_input_kept_from_an_ended_session_is_given_back(app: Flask, browser_as, make_user):
    from werkzeug.datastructures import MultiDict

    from app import saved_input

    with app.app_context():
        scene = panel_scene(make_user)
        url = f"/interviews/{scene.tom_interview_id}"
        saved_input.keep(
            scene.tom.id,
            url,
            MultiDict(
                [("version", "1"), (f"rating-{FIRST.key}", "4"), ("strengths", "Kept for me")]
            ),
        )
        db.session.commit()
    tom = browser_as(scene.tom)
    page = tom.get(url)
    assert page.find(id="restored").get_text() == saved_input.RESTORED_MESSAGE
    assert page.find("input", id=f"rating-{FIRST.key}-5").has_attr("checked")
    assert page.find("textarea", attrs={"name": "strengths"}).get_text().strip() == "Kept for me"
    # Given back once: the next visit shows the saved draft again.
    assert tom.get(url).find(id="restored") is None
