"""Focus areas: the CPO sets a panel and each member is given competencies to cover; the CPO
adjusts them; the kit shows them first and the rest as optional; scoring is unchanged."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Interview
from assessments.focus import coverage_counts, focus_items
from tests.fixtures.builders import ROLE, make_assessment, new_stream, published_role
from tests.fixtures.client import Browser, parse


def _panel(app: Flask, browser_as, make_user) -> tuple[Browser, int, dict[str, int]]:
    cpo = make_user("cpo", name="Priya Raman")
    tom = make_user("interviewer", name="Tom Okafor")
    mei = make_user("interviewer", name="Mei Lin")
    candidate = make_user("exec", name="Laura Byrne")
    with app.app_context():
        assessment = make_assessment(candidate.id, published_role(), new_stream())
        db.session.commit()
        assessment_id = assessment.id
    browser = browser_as(cpo)
    browser.post(
        f"/assessments/{assessment_id}/panel", {"members": [str(u.id) for u in (cpo, tom, mei)]}
    )
    with app.app_context():
        ids = {
            i.interviewer.name: i.id
            for i in db.session.scalars(
                select(Interview).where(Interview.assessment_id == assessment_id)
            )
        }
    return browser, assessment_id, ids


def _focus(app: Flask, interview_id: int) -> list[str] | None:
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        assert interview is not None
        return interview.focus


def test_setting_a_panel_gives_everyone_focus_areas_covering_each_must_have_twice(
    app: Flask, browser_as, make_user
) -> None:
    browser, assessment_id, ids = _panel(app, browser_as, make_user)
    focus = {name: _focus(app, interview_id) or [] for name, interview_id in ids.items()}
    assert all(1 <= len(keys) <= 6 for keys in focus.values())
    counts = coverage_counts(focus_items(ROLE.competencies), focus)
    assert all(counts[c.key] >= 2 for c in ROLE.competencies if c.must_have)
    page = browser.get(f"/assessments/{assessment_id}/panel")
    section = page.find(id="focus-areas")
    assert section is not None
    text = page.get_text(" ", strip=True)
    assert "Must-haves covered by fewer than two members" not in text
    first = next(c for c in ROLE.competencies if c.key == focus["Tom Okafor"][0])
    assert (
        first.name
        in page.find("dt", string=lambda s: bool(s) and "Tom Okafor" in s)
        .find_next("dd")
        .get_text()
    )


def test_the_cpo_adjusts_a_members_focus_and_a_thin_must_have_is_flagged(
    app: Flask, browser_as, make_user
) -> None:
    browser, assessment_id, ids = _panel(app, browser_as, make_user)
    url = f"/assessments/{assessment_id}/panel/{ids['Tom Okafor']}/focus"
    page = browser.get(url)
    assert page.find("legend").get_text(strip=True) == "Which competencies must Tom Okafor cover?"
    boxes = page.select("input[name=focus]")
    assert len(boxes) == len(ROLE.competencies)
    assert all(page.find("label", attrs={"for": box["id"]}) for box in boxes)
    response = browser.post(url, {"focus": ["product-quality"]})
    assert response.location.endswith("#focus-areas")
    assert _focus(app, ids["Tom Okafor"]) == ["product-quality"]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "panel.focus"))
        assert event is not None and event.new_value["focus"] == ["product-quality"]
    text = browser.get(f"/assessments/{assessment_id}/panel").get_text(" ", strip=True)
    assert "Must-haves covered by fewer than two members" in text


def test_bad_focus_input_gets_a_message_and_changes_nothing(
    app: Flask, browser_as, make_user
) -> None:
    browser, assessment_id, ids = _panel(app, browser_as, make_user)
    url = f"/assessments/{assessment_id}/panel/{ids['Mei Lin']}/focus"
    before = _focus(app, ids["Mei Lin"])
    for data, message in (
        ({}, "Choose at least one competency for Mei Lin"),
        ({"focus": ["no-such-thing"]}, "Choose focus competencies from the list"),
    ):
        page = parse(browser.post(url, data, status=400))
        assert page.title.get_text().startswith("Error:")
        assert message in page.select_one(".govuk-error-summary").get_text()
        assert _focus(app, ids["Mei Lin"]) == before
    browser.get(f"/assessments/{assessment_id}/panel/999999/focus", status=404)


def test_the_kit_shows_focus_first_and_the_rest_as_optional(
    app: Flask, browser_as, make_user
) -> None:
    browser, assessment_id, ids = _panel(app, browser_as, make_user)
    browser.post(
        f"/assessments/{assessment_id}/panel/{ids['Priya Raman']}/focus",
        {"focus": ["product-quality", "value-and-pnl"]},
    )
    page = browser.get(f"/interviews/{ids['Priya Raman']}")
    headings = [h.get_text(strip=True) for h in page.select("h2.sl-kit__lens")]
    assert headings == [
        "Your focus competencies",
        "Optional: rate if you saw evidence",
        "Overall",
    ]
    items = [s["id"] for s in page.select("section.sl-kit__item")]
    assert items[:2] == ["comp-value-and-pnl", "comp-product-quality"]
    assert len(items) == len(ROLE.competencies)  # every competency can still be rated
    # The form's fields follow the page: the first rating radios belong to the focus.
    first_radio = page.select_one("input[type=radio][name^=rating-]")
    assert first_radio["name"] == "rating-value-and-pnl"


def test_interviews_without_focus_keep_the_lens_layout(app: Flask, browser_as, make_user) -> None:
    browser, _, ids = _panel(app, browser_as, make_user)
    with app.app_context():
        interview = db.session.get(Interview, ids["Priya Raman"])
        interview.focus = None
        db.session.commit()
    page = browser.get(f"/interviews/{ids['Priya Raman']}")
    headings = [h.get_text(strip=True) for h in page.select("h2.sl-kit__lens")]
    assert headings[0] == "Value lens"


def test_the_kit_shows_probes_the_scoring_key_and_counter_indicators_of_a_v2_role(
    app: Flask, browser_as, make_user
) -> None:
    from app.roles import transfer
    from tests.fixtures.role_v2 import ROLE_V2_YAML

    cpo = make_user("cpo", name="Priya Raman")
    candidate = make_user("exec", name="Laura Byrne")
    with app.app_context():
        version, _ = transfer.import_yaml(ROLE_V2_YAML, publish=True)
        assessment = make_assessment(candidate.id, version, new_stream())
        db.session.commit()
        assessment_id = assessment.id
    browser = browser_as(cpo)
    browser.post(f"/assessments/{assessment_id}/panel", {"members": [str(cpo.id)]})
    with app.app_context():
        interview_id = db.session.scalar(
            select(Interview.id).where(Interview.assessment_id == assessment_id)
        )
    page = browser.get(f"/interviews/{interview_id}")
    section = page.find(id="comp-test-planning")
    text = section.get_text(" ", strip=True)
    assert "Probes What made you change it? Who disagreed?" in text
    key = {
        row.th.get_text(" ", strip=True): row.td.get_text(strip=True)
        for row in section.select("table.sl-listen tr")
    }
    assert key["3 Practitioner"] == "Changed the plan themselves from evidence of risk."
    assert "Counter-indicators" in text and "Blames testers when a release fails." in text
    assert "Showed a plan they wrote for a login page." in text
    assert "0: counter-evidence seen: the candidate showed the opposite of level 1" in text
