"""The CPO gives competencies counter-indicators, a weight rationale, evidence examples and
questions with probes and a scoring key in the browser; the draft moves to schema version 2."""

from __future__ import annotations

import pytest
from flask import Flask

from app.roles import transfer
from app.roles.lookups import version_by_number
from assessments.roles import RoleDefinitionError
from tests.app.roles.helpers import (
    BASE,
    competency_data,
    counts,
    field_error,
    hidden_version,
    stored,
    summary_messages,
)
from tests.fixtures.builders import publish_role
from tests.fixtures.client import Browser, parse
from tests.fixtures.role_v2 import ROLE_V2_YAML

PNL = f"{BASE}/v2/competencies/value-and-pnl"


@pytest.fixture
def cpo(app: Flask, browser_as) -> Browser:
    publish_role(app)
    browser: Browser = browser_as("cpo")
    browser.post(f"{BASE}/v1/draft")
    return browser


def _first(app: Flask) -> dict:
    competency: dict = stored(app, 2)["content"]["competencies"][0]
    return competency


def test_the_competency_form_labels_every_new_field(cpo: Browser) -> None:
    page = cpo.get(f"{PNL}/edit")
    for field_id in (
        "weight_rationale",
        "counter_indicators",
        "evidence_1",
        "evidence_4",
    ):
        box = page.find(id=field_id)
        assert box is not None, field_id
        assert page.find("label", attrs={"for": field_id}) is not None, field_id
    links = page.select("a[href*='/questions/']")
    assert len(links) == 3


def test_counter_indicators_and_rationale_move_the_draft_to_v2_and_others_become_to_do(
    app: Flask, cpo: Browser
) -> None:
    page = cpo.get(f"{PNL}/edit")
    data = competency_data(
        _first(app),
        version=hidden_version(page),
        counter_indicators=["Blames the digital teams when numbers fall."],
        weight_rationale="Value is why the stream exists.",
        evidence_3=["Stopped a feature after two months of flat conversion."],
    )
    cpo.post(f"{PNL}/edit", data)
    content = stored(app, 2)["content"]
    assert content["schema_version"] == 2
    first = content["competencies"][0]
    assert first["counter_indicators"] == ["Blames the digital teams when numbers fall."]
    assert first["weight_rationale"] == "Value is why the stream exists."
    assert first["evidence_examples"] == {
        "3": ["Stopped a feature after two months of flat conversion."]
    }
    # The draft can be saved, but not published, until every competency has them.
    page = cpo.get(f"{BASE}/v2")
    text = page.get_text(" ", strip=True)
    assert "Add at least one counter-indicator to Outcome-led strategy" in text
    assert "Say why this weight is right for Outcome-led strategy" in text
    assert "Add at least one counter-indicator to Owning value" not in text
    assert "Value is why the stream exists." in text


def test_an_untouched_competency_saved_again_keeps_the_draft_at_v1(
    app: Flask, cpo: Browser
) -> None:
    page = cpo.get(f"{PNL}/edit")
    data = competency_data(_first(app), version=hidden_version(page), description="New words.")
    cpo.post(f"{PNL}/edit", data)
    content = stored(app, 2)["content"]
    assert "schema_version" not in content
    assert "counter_indicators" not in content["competencies"][0]


def test_probes_and_a_scoring_key_are_saved_and_kept_when_the_question_list_changes(
    app: Flask, cpo: Browser
) -> None:
    url = f"{PNL}/questions/2/edit"
    page = cpo.get(url)
    question = _first(app)["interview_questions"][1]
    assert page.find(id="text").get_text().strip() == question
    data = {
        "version": hidden_version(page),
        "text": question,
        "probes": ["How did you know?", "Who did you have to convince?"],
        "listen_1": "Waited for finance to notice.",
        "listen_2": "Stopped it when told to.",
        "listen_3": "Stopped it on their own evidence and moved the money.",
        "listen_4": "Changed how the organisation stops work.",
    }
    cpo.post(url, data)
    saved = _first(app)["interview_questions"][1]
    assert saved["probes"] == ["How did you know?", "Who did you have to convince?"]
    assert saved["listen_for"]["3"] == "Stopped it on their own evidence and moved the money."
    assert stored(app, 2)["content"]["schema_version"] == 2
    # Removing the first question on the competency form keeps the second's probes with it.
    page = cpo.get(f"{PNL}/edit")
    first = _first(app)
    texts = [q["text"] if isinstance(q, dict) else q for q in first["interview_questions"]]
    form = competency_data(first, version=hidden_version(page), interview_questions=texts[1:])
    cpo.post(f"{PNL}/edit", form)
    kept = _first(app)["interview_questions"][0]
    assert kept["text"] == question and kept["probes"][0] == "How did you know?"
    # The draft page shows the probes and the key under the question.
    text = cpo.get(f"{BASE}/v2").get_text(" ", strip=True)
    assert "Who did you have to convince?" in text
    assert "Stopped it on their own evidence and moved the money." in text


def test_a_part_filled_scoring_key_is_refused_with_a_message_per_missing_level(
    app: Flask, cpo: Browser
) -> None:
    url = f"{PNL}/questions/1/edit"
    page = cpo.get(url)
    before = stored(app, 2)
    data = {"version": hidden_version(page), "text": "Tell me.", "listen_3": "Did it."}
    response = cpo.post(url, data, status=400)
    assert response.status_code == 400
    page = cpo.get(url)  # nothing was written
    assert stored(app, 2) == before
    page = parse(response)
    assert summary_messages(page) == [
        f"Describe what to listen for at level {n}, or leave all four levels empty"
        for n in (1, 2, 4)
    ]
    assert field_error(page, "listen_4").startswith("Describe what to listen for at level 4")


def test_probes_rows_are_added_without_javascript(app: Flask, cpo: Browser) -> None:
    url = f"{PNL}/questions/1/edit"
    page = cpo.get(url)
    data = {
        "version": hidden_version(page),
        "text": "Tell me.",
        "probes": ["Why?"],
        "add_row": "probes",
    }
    response = cpo.post(url, data, status=200)
    page = parse(response)
    assert len(page.select("textarea[name=probes]")) == 2
    assert "probes" not in str(_first(app)["interview_questions"][0])


def test_a_question_that_does_not_exist_is_404(cpo: Browser) -> None:
    cpo.get(f"{PNL}/questions/9/edit", status=404)
    cpo.get(f"{PNL}/questions/0/edit", status=404)


def test_a_v2_file_imports_and_exports_the_same(app: Flask) -> None:
    with app.app_context():
        from app.extensions import db

        transfer.import_yaml(ROLE_V2_YAML, publish=True)
        db.session.commit()
        again = version_by_number("test-lead", 1)
        assert again is not None
        assert transfer.export_yaml(again) == ROLE_V2_YAML.replace(
            "      2:\n        text: Writes a test plan for their own feature.\n"
            "        evidence_examples:\n          - Showed a plan they wrote for a login page.\n",
            "      2: Writes a test plan for their own feature.\n",
        ).replace(
            "    evidence_examples:\n      3:\n",
            "    evidence_examples:\n      2:\n"
            "        - Showed a plan they wrote for a login page.\n      3:\n",
        )


def test_a_broken_v2_file_is_refused_whole(app: Flask) -> None:
    broken = ROLE_V2_YAML.replace(
        "          3: Changed the plan themselves from evidence of risk.\n", ""
    )
    before = counts(app)
    with app.app_context(), pytest.raises(RoleDefinitionError) as caught:
        transfer.import_yaml(broken, publish=True)
    assert "competencies[0].interview_questions[0].listen_for: level 3 is missing" in str(
        caught.value
    )
    assert counts(app) == before
