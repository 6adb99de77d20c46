"""The demo publishes the shipped roles: Product Director v1 then v2, and a second role."""

from __future__ import annotations

import yaml
from flask import Flask
from sqlalchemy import select

from app.demo import load_demo
from app.extensions import db
from app.models import Assessment
from app.roles import lookups
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser


def _flask(app: Flask, *args: str) -> str:
    """Run `flask ...` as a person would (the flask script gives each command an app context)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_export_after_the_demo_prints_product_director_v2(app: Flask) -> None:
    _flask(app, "demo", "--password", PASSWORD)
    data = yaml.safe_load(_flask(app, "framework", "export", "product-director", "--out", "-"))
    assert data["schema_version"] == 2
    competencies = data["competencies"]
    assert len(competencies) == 15
    for competency in competencies:
        assert competency["counter_indicators"], competency["key"]
        assert competency["weight_rationale"].strip(), competency["key"]
        for question in competency["interview_questions"]:
            assert question["probes"], (competency["key"], question["text"])
            assert sorted(question["listen_for"]) == [1, 2, 3, 4]
    must = {c["key"] for c in competencies if c["must_have"]}
    assert {"learning-agility", "iterative-delivery"} <= must and len(must) == 7


def test_the_story_stays_on_v1_and_the_second_role_is_published(app: Flask) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        latest = lookups.latest_published("product-director")
        assert latest is not None and latest.number == 2
        first = lookups.version_by_number("product-director", 1)
        assert first is not None
        assert first.published_at < latest.published_at
        pinned = {a.role_version.number for a in db.session.scalars(select(Assessment))}
        assert pinned == {1}
        newest_nomination = max(a.created_at for a in db.session.scalars(select(Assessment)))
        assert latest.published_at > newest_nomination
        manager = lookups.latest_published("value-stream-product-manager")
        assert manager is not None and manager.number == 1
        assert manager.content["name"] == "Product Manager (value stream)"
        # Loading again adds nothing.
        load_demo(PASSWORD)
        db.session.commit()
        assert lookups.version_by_number("product-director", 3) is None


def test_role_page_shows_what_v2_changed(app: Flask, browser_as) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    browser: Browser = browser_as("cpo")
    page = browser.get("/roles/product-director/v2")
    link = page.find("a", href="/roles/product-director/compare?from=1&to=2")
    assert link is not None
    page = browser.get(link["href"])
    added = page.find(id="changes-added").find_next("ul").get_text(" ", strip=True)
    assert "(learning-agility)" in added and "(commitment-to-the-role)" in added
    roles = browser.get("/roles").get_text(" ", strip=True)
    assert "Product Manager (value stream)" in roles
