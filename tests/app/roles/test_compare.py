"""Comparing two versions of a role shows what changed, and bad choices get a clear message."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from app.extensions import db
from app.roles import lifecycle, lookups
from tests.app.roles.helpers import BASE, KEY, stored
from tests.fixtures.builders import publish_role
from tests.fixtures.client import Browser


@pytest.fixture
def two_versions(app: Flask) -> None:
    """v1 as shipped; v2 (draft) with one of each kind of change."""
    publish_role(app)
    with app.app_context():
        v1 = lookups.version_by_number(KEY, 1)
        draft, _ = lifecycle.start_draft(v1, actor=None)
        content: dict[str, Any] = copy.deepcopy(draft.content)
        content["purpose"] = "A shorter purpose."
        content["functions"] = [*content["functions"][:-1], "Finance"]
        competencies = content["competencies"]
        competencies[0]["weight"] = 4
        competencies[0]["levels"]["2"] = "Reads the P&L every month."
        competencies[2]["must_have"] = False
        removed = competencies.pop(6)  # delivery-health
        assert removed["key"] == "delivery-health"
        added = copy.deepcopy(competencies[1])
        added.update(key="portfolio-funding", name="Portfolio funding", lens="value")
        competencies.append(added)
        competencies.insert(0, competencies.pop(competencies.index(competencies[-2])))
        draft.content = content
        db.session.commit()


def _table_rows(page: BeautifulSoup, heading: str) -> list[list[str]]:
    title = page.find(lambda tag: tag.name in ("h3", "h4") and heading in tag.get_text())
    assert title is not None, heading
    table = title.find_next("table")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]


def test_compare_shows_every_kind_of_change(app: Flask, two_versions: None, browser_as) -> None:
    old_level_2 = stored(app, 1)["content"]["competencies"][0]["levels"]["2"]
    page = browser_as("cpo").get(f"{BASE}/compare?from=1&to=2")
    stats = {
        tile.dt.get_text(strip=True): tile.dd.get_text(strip=True)
        for tile in page.select(".sl-stat")
    }
    assert stats == {
        "Role fields changed": "2",
        "Competencies added": "1",
        "Competencies removed": "1",
        "Competencies changed": "3",
    }
    fields = _table_rows(page, "Role fields")
    assert fields[0][0] == "Purpose" and fields[0][2] == "A shorter purpose."
    assert fields[1] == [
        "Functions",
        "Lines removed Commercial and P&L",
        "Lines added Finance",
    ]
    added = " ".join(page.find(id="changes-added").find_next("ul").get_text().split())
    assert "Portfolio funding (portfolio-funding): Value lens, weight 2" in added
    removed = page.find(id="changes-removed").find_next("ul").get_text(" ", strip=True)
    assert "Flow and delivery health (e.g. DORA measures)" in removed
    assert _table_rows(page, "Owning value and the P&L") == [
        ["Weight", "3", "4"],
        ["Level 2 Working", old_level_2, "Reads the P&L every month."],
    ]
    assert _table_rows(page, "Continuous prioritisation") == [["Must-have", "Yes", "No"]]
    assert _table_rows(page, "Growing product people") == [["Position in the list", "13", "1"]]


def test_compare_without_numbers_shows_the_latest_two(two_versions: None, browser_as) -> None:
    page = browser_as("cpo").get(f"{BASE}/compare")
    assert page.find("select", id="compare-from").find("option", selected=True)["value"] == "1"
    assert page.find("select", id="compare-to").find("option", selected=True)["value"] == "2"
    assert "What changed from v1" in page.get_text(" ", strip=True)


def test_same_version_twice_says_so(two_versions: None, browser_as) -> None:
    page = browser_as("cpo").get(f"{BASE}/compare?from=1&to=1")
    assert "v1 and v1 have the same content." in page.get_text()


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        (
            "from=1&to=9",
            ["Product Director (value stream) has no version 9: choose one of v1, v2"],
        ),
        (
            "from=abc&to=2",
            ["Version numbers are whole numbers, like 2: choose one of v1, v2"],
        ),
        ("from=1", ["Choose the version to compare to"]),
        ("to=", ["Choose the version to compare from", "Choose the version to compare to"]),
    ],
)
def test_bad_or_missing_numbers_get_a_clear_message(
    two_versions: None, browser_as, query: str, messages: list[str]
) -> None:
    browser: Browser = browser_as("cpo")
    response = browser.client.get(f"{BASE}/compare?{query}")
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = [li.get_text(strip=True) for li in page.select(".govuk-error-summary__list li")]
    assert summary == messages
    assert page.title.get_text().startswith("Error:")


def test_people_who_cannot_see_drafts_cannot_compare_with_one(
    two_versions: None, browser_as
) -> None:
    response = browser_as("hr").client.get(f"{BASE}/compare?from=1&to=2")
    assert response.status_code == 400
    assert "has no version 2: choose one of v1" in response.get_data(as_text=True)


def test_compare_unknown_role_is_not_found(browser_as) -> None:
    browser_as("cpo").get("/roles/no-such-role/compare", status=404)


def test_compare_with_a_single_version(app: Flask, browser_as) -> None:
    publish_role(app)
    page = browser_as("cpo").get(f"{BASE}/compare")
    assert "has only one version so far" in page.get_text()


def test_compare_shows_changes_to_the_schema_v2_fields(app: Flask, browser_as) -> None:
    publish_role(app)
    with app.app_context():
        v1 = lookups.version_by_number(KEY, 1)
        draft, _ = lifecycle.start_draft(v1, actor=None)
        content: dict[str, Any] = copy.deepcopy(draft.content)
        content["schema_version"] = 2
        first = content["competencies"][0]
        first["counter_indicators"] = ["Blames the digital teams."]
        first["weight_rationale"] = "Value is why the stream exists."
        first["evidence_examples"] = {"3": ["Stopped a feature with flat conversion."]}
        question = first["interview_questions"][0]
        first["interview_questions"][0] = {
            "text": question,
            "probes": ["How did you know?"],
            "listen_for": {str(n): f"Answer at {n}." for n in (1, 2, 3, 4)},
        }
        draft.content = content
        db.session.commit()
    page = browser_as("cpo").get(f"{BASE}/compare?from=1&to=2")
    assert _table_rows(page, "Role fields") == [["Schema version", "1", "2"]]
    rows = {row[0]: row[1:] for row in _table_rows(page, "Owning value and the P&L")}
    assert rows["Why this weight"] == ["(none)", "Value is why the stream exists."]
    assert rows["Counter-indicators"][1] == "Lines added Blames the digital teams."
    assert rows["Evidence examples, level 3 Practitioner"][1] == (
        "Lines added Stopped a feature with flat conversion."
    )
    probes = rows["Interview questions: question 1"][1]
    assert "Probe: How did you know?" in probes and "Listen for 4: Answer at 4." in probes
