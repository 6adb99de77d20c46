"""The CPO writes stakeholder prompts in the role editor; the role page, the comparison and the
YAML file carry them; a first-format role keeps its format."""

from __future__ import annotations

import copy

import pytest
from flask import Flask

from app.extensions import db
from app.roles import lifecycle, lookups, transfer
from app.roles.lookups import version_by_number
from tests.app.roles.helpers import BASE, KEY, competency_data, hidden_version, stored
from tests.fixtures.builders import publish_role
from tests.fixtures.client import Browser
from tests.fixtures.role_v2 import ROLE_V2_YAML

PNL = f"{BASE}/v2/competencies/value-and-pnl"


@pytest.fixture
def cpo(app: Flask, browser_as) -> Browser:
    publish_role(app)
    browser: Browser = browser_as("cpo")
    browser.post(f"{BASE}/v1/draft")
    return browser


def test_the_form_shows_the_prompts_labelled_and_saves_them(app: Flask, cpo: Browser) -> None:
    page = cpo.get(f"{PNL}/edit")
    assert page.find("label", attrs={"for": "stakeholder_prompts"}) is not None
    hint = page.find(id="stakeholder_prompts-hint")
    assert hint is not None and "stakeholders are asked only about" in hint.get_text()
    first = stored(app, 2)["content"]["competencies"][0]
    shipped = list(first["stakeholder_prompts"])
    assert shipped  # the shipped role asks about this competency
    data = competency_data(
        first,
        version=hidden_version(page),
        stakeholder_prompts=[
            *shipped[:1],
            "They say what a piece of work is worth before it starts",
        ],
    )
    cpo.post(f"{PNL}/edit", data)
    content = stored(app, 2)["content"]
    assert "schema_version" not in content  # an optional field keeps the first format
    assert content["competencies"][0]["stakeholder_prompts"] == [
        shipped[0],
        "They say what a piece of work is worth before it starts",
    ]
    text = cpo.get(f"{BASE}/v2").get_text(" ", strip=True)
    assert "Stakeholder prompts" in text
    assert "They say what a piece of work is worth before it starts" in text


def test_emptying_the_prompts_stops_asking_about_the_competency(app: Flask, cpo: Browser) -> None:
    page = cpo.get(f"{PNL}/edit")
    first = stored(app, 2)["content"]["competencies"][0]
    # A browser sends the one box left blank.
    cpo.post(
        f"{PNL}/edit",
        competency_data(first, version=hidden_version(page), stakeholder_prompts=[""]),
    )
    assert "stakeholder_prompts" not in stored(app, 2)["content"]["competencies"][0]


def test_compare_shows_prompts_added_and_removed(app: Flask, browser_as) -> None:
    publish_role(app)
    with app.app_context():
        v1 = lookups.version_by_number(KEY, 1)
        draft, _ = lifecycle.start_draft(v1, actor=None)
        content = copy.deepcopy(draft.content)
        content["competencies"][0]["stakeholder_prompts"] = ["They explain where the money goes"]
        draft.content = content
        db.session.commit()
    page = browser_as("cpo").get(f"{BASE}/compare?from=1&to=2")
    text = page.get_text(" ", strip=True)
    assert "Stakeholder prompts" in text
    assert "They explain where the money goes" in text


def test_a_file_with_prompts_imports_and_exports_the_same(app: Flask) -> None:
    text = ROLE_V2_YAML.replace(
        "    self_prompts:\n",
        "    stakeholder_prompts:\n      - When a release goes wrong, they tell us what happened\n"
        "    self_prompts:\n",
        1,
    )
    with app.app_context():
        version, _ = transfer.import_yaml(text, publish=True)
        db.session.commit()
        again = version_by_number("test-lead", 1)
        assert again is not None and again.id == version.id
        exported = transfer.export_yaml(again)
        assert "stakeholder_prompts:\n      - When a release goes wrong, they tell us" in exported
        assert again.role.competencies[0].stakeholder_prompts == (
            "When a release goes wrong, they tell us what happened",
        )
