"""The results page: band, readiness, must-haves, the chart, every competency, experience."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from tests.fixtures.builders import (
    add_interview,
    make_assessment,
    new_stream,
    publish_mini_role,
    set_experience,
)

# Same hand-worked example as the CLI test: readiness 87.8, ready with support.


def _scene(app: Flask, make_user) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    cpo = make_user("cpo")
    candidate = make_user("exec", name="David Mensah")
    tom, mei, ana = (make_user("interviewer", name=n) for n in ("Tom Okafor", "Mei Lin", "Ana S"))
    with app.app_context():
        version = publish_mini_role()
        stream = new_stream(
            "Payments and billing", ["Product management", "Engineering", "Commercial and P&L"]
        )
        assessment = make_assessment(
            candidate.id, version, stream, self_ratings={"a": 4, "b": 2, "c": 1, "d": None}
        )
        add_interview(assessment, tom.id, {"a": 2, "b": 3, "c": 3, "d": 2}, recommendation="no")
        add_interview(assessment, mei.id, {"a": 3, "b": "na", "c": 4, "d": 1})
        add_interview(assessment, ana.id, {"a": 2, "b": 2, "c": 2, "d": "na"})
        set_experience(candidate.id, {"Commercial and P&L": "deep", "Engineering": "none"})
        db.session.commit()
        return assessment.id, cpo


def test_results_show_the_breakdown(app: Flask, browser_as, make_user) -> None:
    assessment_id, _cpo = _scene(app, make_user)
    page = browser_as("hr").get(f"/assessments/{assessment_id}/results")
    stats = {
        tile.dt.get_text(strip=True): tile.select_one("dd").get_text(" ", strip=True)
        for tile in page.select(".sl-stat")
    }
    assert stats["Band"] == "Ready with support"
    assert page.select_one(".sl-band")["class"] == ["sl-band", "sl-band--ready-with-support"]
    assert stats["Readiness"] == "87.8%"
    assert stats["Coverage"] == "100%"
    assert stats["Must-haves met"] == "0 of 2"
    assert stats["Value"] == "86.7%"
    assert stats["Workflow"] == "100.0%"
    assert stats["Quality"] == "Not assessed"
    assert stats["Leadership"] == "75.0%"

    must = page.find("h2", string="Must-haves").find_next("table")
    statuses = [tr.select("td")[-1].get_text(" ", strip=True) for tr in must.select("tbody tr")]
    assert statuses == ["Unmet 0.67 below the bar", "Unmet 0.5 below the bar"]

    table = page.find("caption", string="Every competency").parent
    row_a = [td.get_text(" ", strip=True) for td in table.select("tbody tr")[0].select("td")]
    assert row_a == ["3", "3", "4", "2, 3, 2 → 2.3", "0.67", "77.8%", "Blind spot"]
    row_c = [td.get_text(" ", strip=True) for td in table.select("tbody tr")[2].select("td")]
    assert row_c[-1] == "Hidden strength Calibrate"

    def listed(heading: str) -> list[str]:
        block = page.find("h2", string=heading).find_next(class_="sl-competency-list")
        return [li.strong.get_text() for li in block.select("li")] if block.name == "ul" else []

    assert listed("Strengths") == ["Competency B", "Competency C"]
    assert listed("Weaknesses") == ["Competency A", "Competency D"]
    assert listed("Blind spots") == ["Competency A"]
    assert listed("Hidden strengths") == ["Competency C"]


def test_chart_is_inline_svg_without_style_attributes(app: Flask, browser_as, make_user) -> None:
    assessment_id, cpo = _scene(app, make_user)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    figure = page.select_one("figure.sl-chart")
    svg = figure.find("svg")
    assert svg is not None and figure.find("img") is None
    assert svg["role"] == "img"
    assert "David Mensah: self, panel and required level" in svg.title.get_text()
    # The page's CSP forbids style attributes and <style> elements.
    assert page.select("[style]") == [] and page.find("style") is None


def test_experience_against_the_streams_functions(app: Flask, browser_as, make_user) -> None:
    assessment_id, cpo = _scene(app, make_user)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    heading = page.find("h2", string="Experience against the stream's functions")
    assert heading.find_next("p").get_text(" ", strip=True) == (
        "Experience in 1 of 3 functions (1 deep, 0 some) that Payments and billing needs."
        " No experience in Product management, Engineering: David Mensah will lean on the team"
        " and a mentor there."
    )
    rows = {
        tr.th.get_text(strip=True): tr.td.get_text(strip=True)
        for tr in heading.find_next("table").select("tbody tr")
    }
    assert rows == {
        "Product management": "None",
        "Engineering": "None",
        "Commercial and P&L": "Deep",
    }


def test_panel_and_decision_links_for_the_cpo_only(app: Flask, browser_as, make_user) -> None:
    assessment_id, cpo = _scene(app, make_user)
    cpo_page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    links = [a.get_text(strip=True) for a in cpo_page.select(".sl-actions a")]
    assert links == [
        "Record a decision",
        "Download the readiness report (PDF)",
        "Calibrate the panel's ratings",
        "Change the interview panel",
    ]
    panel = cpo_page.find("h2", string="Interview panel").find_next("table")
    recs = [tr.select("td")[-1].get_text(strip=True) for tr in panel.select("tbody tr")]
    assert recs == ["Yes", "Yes", "No"]  # Ana S, Mei Lin, Tom Okafor
    hr_page = browser_as("hr").get(f"/assessments/{assessment_id}/results")
    hr_links = [a.get_text(strip=True) for a in hr_page.select(".sl-actions a")]
    assert hr_links == ["Download the readiness report (PDF)"]
    browser_as("hr").get("/assessments/999999/results", status=404)
