"""Stakeholder prompts: optional per competency in either schema version, read, written,
compared; the shipped Product Director roles ask colleagues only what they can observe."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from assessments.role_diff import diff_roles
from assessments.role_files import (
    dump_role_yaml,
    load_default_role,
    load_shipped_role,
    parse_role_yaml,
    role_from_data,
    role_to_data,
    settle_schema_version,
)
from assessments.roles import validate_role_data
from tests.fixtures.role_v2 import ROLE_V2_YAML


def _data(text: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def test_old_files_without_prompts_stay_valid_and_read_as_none() -> None:
    data = _data(ROLE_V2_YAML)
    assert all("stakeholder_prompts" not in c for c in data["competencies"])
    assert validate_role_data(data) == []
    role = role_from_data(data)
    assert all(c.stakeholder_prompts == () for c in role.competencies)
    # Written out as before: no empty field appears.
    assert "stakeholder_prompts" not in dump_role_yaml(role)


def test_prompts_are_read_and_round_trip_in_both_schema_versions() -> None:
    for text in (ROLE_V2_YAML, dump_role_yaml(load_default_role())):
        data = _data(text)
        data["competencies"][0]["stakeholder_prompts"] = [
            "When plans change, they tell us why",
            "  They listen before they decide\n",
        ]
        assert validate_role_data(data) == []
        role = role_from_data(data)
        first = role.competencies[0]
        assert first.stakeholder_prompts == (
            "When plans change, they tell us why",
            "They listen before they decide",
        )
        assert parse_role_yaml(dump_role_yaml(role)) == role
        assert role_to_data(role)["competencies"][0]["stakeholder_prompts"] == [  # type: ignore[index]
            "When plans change, they tell us why",
            "They listen before they decide",
        ]


def test_an_empty_list_means_not_asked() -> None:
    data = _data(ROLE_V2_YAML)
    data["competencies"][0]["stakeholder_prompts"] = []
    assert validate_role_data(data) == []
    assert role_from_data(data).competencies[0].stakeholder_prompts == ()


def test_bad_prompts_are_named_by_their_place() -> None:
    data = _data(ROLE_V2_YAML)
    data["competencies"][0]["stakeholder_prompts"] = ["Fine", "  ", 3]
    problems = validate_role_data(data)
    assert "competencies[0].stakeholder_prompts[1]: must not be empty" in problems
    assert "competencies[0].stakeholder_prompts[2]: must be text" in problems
    data["competencies"][0]["stakeholder_prompts"] = "one line"
    assert validate_role_data(data) == ["competencies[0].stakeholder_prompts: must be a list"]


def test_a_first_format_draft_with_prompts_stays_first_format() -> None:
    data = role_to_data(load_default_role())
    assert "schema_version" not in settle_schema_version(data)


def test_diff_names_prompts_added_changed_and_removed() -> None:
    old = load_default_role()
    data = copy.deepcopy(role_to_data(old))
    competencies: list[dict[str, Any]] = data["competencies"]  # type: ignore[assignment]
    competencies[0]["stakeholder_prompts"] = ["They explain the money"]
    del competencies[1]["stakeholder_prompts"]
    new = role_from_data(data)
    changed = {c.key: c.changes for c in diff_roles(old, new).changed}
    [first] = changed["value-and-pnl"]
    assert first.field == "stakeholder_prompts"
    assert first.old == list(old.competencies[0].stakeholder_prompts)
    assert first.new == ["They explain the money"]
    [second] = changed["outcome-strategy"]
    assert (second.field, second.new) == ("stakeholder_prompts", None)
    assert diff_roles(old, role_from_data(role_to_data(old))).is_empty


def test_the_shipped_product_director_roles_ask_about_observable_behaviour() -> None:
    for role in (load_default_role(), load_shipped_role("product-director-v2.yaml")):
        asked = {c.key: c.stakeholder_prompts for c in role.competencies}
        for key, prompts in asked.items():
            if key == "commitment-to-the-role":
                # Wanting a future job is not something colleagues see; asking invites guesses.
                assert prompts == ()
                continue
            assert 2 <= len(prompts) <= 3, key
            for prompt in prompts:
                # Statements about what the person does, answerable from what one has seen.
                assert prompt.startswith(("They ", "When ", "After ", "I ", "People ", "Under ")), (
                    prompt
                )
                assert not prompt.endswith("?"), prompt
                assert len(prompt) <= 130, prompt
    v2 = load_shipped_role("product-director-v2.yaml")
    assert sum(1 for c in v2.competencies if c.stakeholder_prompts) == len(v2.competencies) - 1
