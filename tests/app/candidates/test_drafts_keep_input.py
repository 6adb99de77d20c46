"""A self-assessment draft keeps every answer given; only submitting needs evidence."""

from __future__ import annotations

import json

from flask import Flask

from tests.fixtures.builders import VALUE_KEYS, answer, full_answers, nominate, self_assessment_of
from tests.fixtures.client import Browser, parse

NEEDS_EVIDENCE = "Give evidence for Owning value and the P&L: levels 3 and 4 need an example"


def _setup(app: Flask, browser_as, make_user) -> tuple[Browser, int]:
    candidate = make_user("exec", name="Sarah Whitfield")
    return browser_as(candidate), nominate(app, candidate)


def _value_page(**answers: object) -> dict[str, object]:
    data: dict[str, object] = {"version": "", "action": "next"}
    for key in VALUE_KEYS:
        data[f"level-{key}"] = "2"
        data[f"evidence-{key}"] = ""
    data.update(answers)
    return data


def test_a_level_4_without_evidence_is_kept_on_leaving(app: Flask, browser_as, make_user) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    response = me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(**{"level-value-and-pnl": "4", "evidence-value-and-pnl": "  "}),
    )
    # Leaving for the next page is allowed: the draft is not the submission.
    assert response.location == f"/assessments/{assessment_id}/self/workflow"
    assert self_assessment_of(app, assessment_id)["answers"]["value-and-pnl"] == (4, "")

    page = me.get(f"/assessments/{assessment_id}/self/value")
    assert not page.title.get_text().startswith("Error:")
    assert page.select_one("input[name='level-value-and-pnl'][checked]")["value"] == "4"
    note = page.select_one("#evidence-value-and-pnl-blocker")
    assert note.get_text(" ", strip=True) == f"Before you submit: {NEEDS_EVIDENCE}"
    described = page.select_one("#evidence-value-and-pnl")["aria-describedby"].split()
    assert "evidence-value-and-pnl-blocker" in described
    # Nothing else on the page blocks submission, so nothing else carries a note.
    assert len(page.select(".sl-blocker:not([hidden])")) == 1
    assert "1 still needs evidence" in page.select_one(".sl-action-bar").get_text(" ", strip=True)


def test_autosave_keeps_a_level_without_evidence_and_says_what_blocks(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    response = me.post(
        f"/assessments/{assessment_id}/self/value/autosave",
        {"version": "", "level-value-and-pnl": "4", "level-outcome-strategy": "2"},
        status=200,
    )
    body = json.loads(response.get_data())
    assert body["saved"] is True
    assert body["problems"] == []
    assert body["blockers"] == {"evidence-value-and-pnl": NEEDS_EVIDENCE}
    assert self_assessment_of(app, assessment_id)["answers"] == {
        "value-and-pnl": (4, ""),
        "outcome-strategy": (2, ""),
    }


def test_submitting_lists_the_missing_evidence_linked_to_its_field(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    answers = full_answers(2)
    answers["value-and-pnl"] = (4, "")
    answer(app, assessment_id, answers)
    check = f"/assessments/{assessment_id}/self/check"
    version = me.get(check).find("input", attrs={"name": "version"})["value"]
    refused = parse(me.post(check, {"version": version}, status=400))
    links = {a.get_text(): a["href"] for a in refused.select(".govuk-error-summary a")}
    assert links == {
        NEEDS_EVIDENCE: f"/assessments/{assessment_id}/self/value#evidence-value-and-pnl"
    }
    assert self_assessment_of(app, assessment_id)["status"] == "draft"
