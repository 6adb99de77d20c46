"""Role definitions: the shipped Product Director role, the file format, errors and diffs."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from assessments.model import LENSES, Competency, Question, RoleDefinition
from assessments.role_diff import FieldChange, diff_roles
from assessments.role_files import (
    dump_role_yaml,
    load_default_role,
    parse_role_yaml,
    role_from_data,
    role_to_data,
)
from assessments.roles import RoleDefinitionError, role_key_is_valid, validate_role_data

DATA_DIR = Path(__file__).resolve().parents[2] / "assessments" / "data"
ROLE_FILE = DATA_DIR / "product-director.yaml"
SCHEMA_FILE = DATA_DIR / "role-definition.schema.json"

EXPECTED_COMPETENCIES = [
    ("value-and-pnl", "Owning value and the P&L", "value", 3, 3, True),
    ("outcome-strategy", "Outcome-led strategy", "value", 2, 3, False),
    ("continuous-prioritisation", "Continuous prioritisation", "value", 2, 3, True),
    ("customer-evidence", "Customer evidence and discovery", "value", 2, 3, False),
    ("data-informed-decisions", "Data-informed decisions", "value", 1.5, 2, False),
    ("iterative-delivery", "Iterative delivery and patience", "workflow", 2, 3, False),
    (
        "delivery-health",
        "Flow and delivery health (e.g. DORA measures)",
        "workflow",
        1.5,
        2,
        False,
    ),
    ("ownership-and-pull", "Ownership and pull, not push", "workflow", 1.5, 3, False),
    ("product-quality", "Product and service quality", "quality", 1.5, 2, False),
    ("technical-and-design-fluency", "Technical and design fluency", "quality", 1, 2, False),
    (
        "multidisciplinary-leadership",
        "Leading multi-disciplinary teams",
        "leadership",
        3,
        3,
        True,
    ),
    ("stakeholder-tension", "Holding the tension with the business", "leadership", 2, 3, True),
    ("growing-product-people", "Growing product people", "leadership", 1.5, 2, False),
]


def valid_data() -> dict[str, Any]:
    """A fresh, valid copy of the shipped role as plain data, safe to break."""
    return copy.deepcopy(role_to_data(load_default_role()))


def changed_data(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = valid_data()
    change(data)
    return data


def small_role(competencies: list[Competency], **fields: Any) -> RoleDefinition:
    base = RoleDefinition(
        key="test-role",
        name="Test role",
        purpose="Exists for tests.",
        responsibilities=("Own the thing.",),
        experience=("Done the thing.",),
        expectations=("Do the thing.",),
        functions=("Engineering",),
        competencies=tuple(competencies),
    )
    return replace(base, **fields)


def competency(key: str, **fields: Any) -> Competency:
    base = Competency(
        key=key,
        name=key.replace("-", " ").capitalize(),
        description="What it is.",
        lens="value",
        weight=1.0,
        required_level=2,
        must_have=False,
        levels={1: "Knows.", 2: "Does.", 3: "Leads.", 4: "Shapes."},
        interview_questions=(Question("Tell me about a time."),),
        self_prompts=("Think about it.",),
    )
    return replace(base, **fields)


# --- The shipped Product Director role ------------------------------------------------------


def test_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_shipped_role_passes_its_own_schema_and_rules() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    data = yaml.safe_load(ROLE_FILE.read_text("utf-8"))
    # Through JSON, as another tool would see it: YAML's level numbers become "1".."4".
    as_json = json.loads(json.dumps(data))
    assert [e.message for e in Draft202012Validator(schema).iter_errors(as_json)] == []
    assert validate_role_data(data) == []


def test_schema_lenses_match_the_model() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert schema["$defs"]["competency"]["properties"]["lens"]["enum"] == list(LENSES)


def test_shipped_role_has_the_agreed_header_and_functions() -> None:
    role = load_default_role()
    assert role.key == "product-director"
    assert role.name == "Product Director (value stream)"
    assert role.functions == (
        "Product management",
        "User experience and design",
        "Engineering",
        "Data and analytics",
        "Delivery and agile coaching",
        "Commercial and P&L",
    )
    assert 6 <= len(role.responsibilities) <= 8
    assert 5 <= len(role.experience) <= 7
    assert 5 <= len(role.expectations) <= 7


def test_shipped_role_has_the_agreed_competencies_in_order() -> None:
    role = load_default_role()
    actual = [
        (c.key, c.name, c.lens, c.weight, c.required_level, c.must_have) for c in role.competencies
    ]
    assert actual == EXPECTED_COMPETENCIES


def test_every_shipped_competency_can_be_interviewed_and_self_assessed() -> None:
    role = load_default_role()
    assert len(role.competencies) >= 10
    for item in role.competencies:
        assert sorted(item.levels) == [1, 2, 3, 4], item.key
        assert all(text.strip() for text in item.levels.values()), item.key
        assert len(set(item.levels.values())) == 4, item.key
        assert 2 <= len(item.interview_questions) <= 3, item.key
        assert 1 <= len(item.self_prompts) <= 3, item.key
        assert item.description.strip(), item.key


# --- Export and round trip ------------------------------------------------------------------


def test_round_trip_dump_parse_dump_is_identical() -> None:
    text = dump_role_yaml(load_default_role())
    assert parse_role_yaml(text) == load_default_role()
    assert dump_role_yaml(parse_role_yaml(text)) == text


def test_shipped_file_is_already_in_export_form() -> None:
    # So exporting the default role gives people exactly the file they would read in the repo.
    assert dump_role_yaml(load_default_role()) == ROLE_FILE.read_text("utf-8")


def test_role_to_data_uses_canonical_order_and_plain_types() -> None:
    data = role_to_data(load_default_role())
    assert list(data) == [
        "key",
        "name",
        "purpose",
        "responsibilities",
        "experience",
        "expectations",
        "functions",
        "competencies",
    ]
    competencies = data["competencies"]
    assert isinstance(competencies, list)
    first, fifth = competencies[0], competencies[4]
    assert list(first) == [
        "key",
        "name",
        "description",
        "lens",
        "weight",
        "required_level",
        "must_have",
        "levels",
        "interview_questions",
        "self_prompts",
        "stakeholder_prompts",
    ]
    assert list(first["levels"]) == [1, 2, 3, 4]
    assert first["weight"] == 3 and type(first["weight"]) is int
    assert fifth["weight"] == 1.5 and type(fifth["weight"]) is float


def test_dump_is_block_style_unicode_and_unfolded() -> None:
    long_text = "Café owners need " + "a very long description " * 12 + "end."
    role = small_role([competency("menu-design", description=long_text, weight=2.5)])
    text = dump_role_yaml(role)
    assert f"    description: {long_text}\n" in text
    assert "    weight: 2.5\n" in text
    assert "    levels:\n      1: Knows.\n      2: Does.\n" in text
    assert "functions:\n  - Engineering\n" in text


def test_multi_line_text_is_written_as_a_literal_block_and_survives() -> None:
    role = small_role([competency("notes", description="First line.\nSecond line.")])
    text = dump_role_yaml(role)
    assert "    description: |-\n      First line.\n      Second line.\n" in text
    assert parse_role_yaml(text) == role


def test_folded_yaml_text_loses_its_trailing_newline() -> None:
    text = (
        dump_role_yaml(load_default_role())
        .replace("purpose: Lead one value stream", "purpose: >\n  Lead one value stream", 1)
        .replace("  - Own the P&L", "  - >\n    Own the P&L", 1)
        .replace("      1: Can explain", "      1: >\n        Can explain", 1)
    )
    assert "purpose: >\n" in text
    assert parse_role_yaml(text) == load_default_role()


def test_levels_may_be_written_as_numbers_or_as_text() -> None:
    data = valid_data()
    first = data["competencies"][0]
    first["levels"] = {str(level): text for level, text in first["levels"].items()}
    assert role_from_data(data) == load_default_role()


# --- Errors ---------------------------------------------------------------------------------


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """Change one place, written like the error messages: competencies[3].weight."""

    def change(data: dict[str, Any]) -> None:
        target: Any = data
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        del target[int(last) if last.isdigit() else last]

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(_delete("name"), "name: is required", id="missing-top-field"),
        pytest.param(
            _delete("competencies[2].self_prompts"),
            "competencies[2].self_prompts: is required",
            id="missing-competency-field",
        ),
        pytest.param(
            _set("competencies[0].lens", "money"),
            "competencies[0].lens: must be one of value, workflow, quality, leadership",
            id="unknown-lens",
        ),
        pytest.param(
            _set("competencies[3].required_level", 5),
            "competencies[3].required_level: must be between 1 and 4",
            id="level-above-4",
        ),
        pytest.param(
            _set("competencies[3].required_level", 0),
            "competencies[3].required_level: must be between 1 and 4",
            id="level-below-1",
        ),
        pytest.param(
            _set("competencies[1].weight", 0),
            "competencies[1].weight: must be greater than 0",
            id="weight-zero",
        ),
        pytest.param(
            _set("competencies[1].weight", -1.5),
            "competencies[1].weight: must be greater than 0",
            id="weight-negative",
        ),
        pytest.param(
            _set("competencies[1].weight", float("nan")),
            "competencies[1].weight: must be a finite number",
            id="weight-nan",
        ),
        pytest.param(
            _set("competencies[4].key", "customer-evidence"),
            'competencies[4].key: duplicate key "customer-evidence" (also competencies[3])',
            id="duplicate-key",
        ),
        pytest.param(
            _delete("competencies[2].levels[4]"),
            "competencies[2].levels: level 4 is missing",
            id="level-missing",
        ),
        pytest.param(
            _set("competencies[2].levels[5]", "Beyond expert."),
            'competencies[2].levels: unknown level "5" (levels are 1, 2, 3, 4)',
            id="level-extra",
        ),
        pytest.param(
            _set("competencies[2].levels[3]", "   "),
            "competencies[2].levels.3: must not be empty",
            id="level-blank",
        ),
        pytest.param(
            _set("competencies[0].colour", "red"),
            "competencies[0].colour: unknown field",
            id="unknown-competency-field",
        ),
        pytest.param(_set("owner", "Sam"), "owner: unknown field", id="unknown-top-field"),
        pytest.param(
            _set("competencies[0].weight", "3"),
            "competencies[0].weight: must be a number",
            id="string-weight",
        ),
        pytest.param(
            _set("competencies[0].weight", True),
            "competencies[0].weight: must be a number",
            id="boolean-weight",
        ),
        pytest.param(
            _set("competencies[0].required_level", 2.5),
            "competencies[0].required_level: must be a whole number",
            id="fractional-level",
        ),
        pytest.param(
            _set("competencies[0].must_have", "yes please"),
            "competencies[0].must_have: must be true or false",
            id="text-must-have",
        ),
        pytest.param(_set("functions", "Engineering"), "functions: must be a list", id="not-list"),
        pytest.param(_set("purpose", 42), "purpose: must be text", id="number-text"),
        pytest.param(_set("purpose", None), "purpose: must not be empty", id="null-text"),
        pytest.param(_set("purpose", ""), "purpose: must not be empty", id="empty-text"),
        pytest.param(
            _set("competencies[1].interview_questions", []),
            "competencies[1].interview_questions: must have at least one item",
            id="no-questions",
        ),
        pytest.param(
            _set("competencies[1].self_prompts", []),
            "competencies[1].self_prompts: must have at least one item",
            id="no-self-prompts",
        ),
        pytest.param(
            _set("competencies[6]", "delivery-health"),
            "competencies[6]: must be a mapping",
            id="competency-not-mapping",
        ),
        pytest.param(
            _set("competencies[0].key", "Value_PnL"),
            "competencies[0].key: must be lowercase letters and digits joined by hyphens,"
            " e.g. team-health",
            id="bad-key",
        ),
        pytest.param(
            _set("key", "product-director\n"),
            "key: must be lowercase letters and digits joined by hyphens, e.g. team-health",
            id="key-with-newline",
        ),
    ],
)
def test_each_problem_gives_one_exact_message(
    change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    assert validate_role_data(changed_data(change)) == [expected]
    with pytest.raises(RoleDefinitionError) as caught:
        role_from_data(changed_data(change))
    assert caught.value.errors == [expected]


def test_level_written_twice_as_number_and_text_is_reported() -> None:
    data = valid_data()
    data["competencies"][1]["levels"]["2"] = "Also level two."
    assert validate_role_data(data) == ["competencies[1].levels: level 2 is given twice"]


def test_all_problems_are_listed_in_file_order() -> None:
    data = valid_data()
    data["competencies"][10]["weight"] = 0
    data["competencies"][2]["levels"].pop(4)
    data["competencies"][0]["lens"] = "money"
    data["competencies"][0]["colour"] = "red"
    data["competencies"][4]["key"] = "customer-evidence"
    del data["name"]
    data["owner"] = "Sam"
    assert validate_role_data(data) == [
        "name: is required",
        "competencies[0].lens: must be one of value, workflow, quality, leadership",
        "competencies[0].colour: unknown field",
        "competencies[2].levels: level 4 is missing",
        'competencies[4].key: duplicate key "customer-evidence" (also competencies[3])',
        "competencies[10].weight: must be greater than 0",
        "owner: unknown field",
    ]


def test_every_missing_field_is_named() -> None:
    assert validate_role_data({"key": "product-director"}) == [
        "name: is required",
        "purpose: is required",
        "responsibilities: is required",
        "experience: is required",
        "expectations: is required",
        "functions: is required",
        "competencies: is required",
    ]


def test_error_carries_every_message_and_is_a_value_error() -> None:
    data = valid_data()
    data["competencies"][0]["weight"] = -1
    data["competencies"][1]["weight"] = -1
    with pytest.raises(ValueError, match=r"competencies\[0\]\.weight") as caught:
        role_from_data(data)
    assert isinstance(caught.value, RoleDefinitionError)
    assert caught.value.errors == [
        "competencies[0].weight: must be greater than 0",
        "competencies[1].weight: must be greater than 0",
    ]


def _parse_errors(text: str) -> list[str]:
    with pytest.raises(RoleDefinitionError) as caught:
        parse_role_yaml(text)
    return caught.value.errors


def test_yaml_syntax_error_names_line_and_column() -> None:
    text = "key: product-director\nname: Product Director\n purpose: Lead.\n"
    assert _parse_errors(text) == ["line 3, column 9: mapping values are not allowed here"]


def test_yaml_field_written_twice_is_an_error_not_silently_overwritten() -> None:
    text = "key: product-director\nname: One\nname: Two\n"
    assert _parse_errors(text) == ['line 3, column 1: "name" is given twice']


def test_empty_file_is_reported_plainly() -> None:
    assert _parse_errors("") == ["the file is empty"]
    assert _parse_errors("# only a comment\n") == ["the file is empty"]


def test_top_level_list_is_reported_plainly() -> None:
    assert _parse_errors("- key: product-director\n") == [
        "top level: must be a mapping of fields, not a list"
    ]
    assert validate_role_data("product-director") == [
        "top level: must be a mapping of fields, not text"
    ]


def test_yaml_errors_in_content_are_listed_together() -> None:
    text = dump_role_yaml(load_default_role())
    text = text.replace("    lens: quality\n", "    lens: craft\n", 1)
    text = text.replace("    weight: 1\n", "    weight: none\n", 1)
    assert _parse_errors(text) == [
        "competencies[8].lens: must be one of value, workflow, quality, leadership",
        "competencies[9].weight: must be a number",
    ]


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("product-director", True),
        ("value-and-pnl", True),
        ("role2", True),
        ("Product-Director", False),
        ("product_director", False),
        ("product--director", False),
        ("-product", False),
        ("product-", False),
        ("product director", False),
        ("product-director\n", False),
        ("", False),
    ],
)
def test_role_key_is_valid(key: str, valid: bool) -> None:
    assert role_key_is_valid(key) is valid


# --- Comparing versions ---------------------------------------------------------------------


def test_identical_roles_have_an_empty_diff() -> None:
    diff = diff_roles(load_default_role(), load_default_role())
    assert diff.is_empty
    assert (diff.fields, diff.added, diff.removed, diff.changed) == ([], [], [], [])


def test_diff_finds_changed_top_level_fields() -> None:
    old = load_default_role()
    new = replace(old, name="Product Director", functions=(*old.functions, "Legal"))
    diff = diff_roles(old, new)
    assert diff.fields == [
        FieldChange("name", "Product Director (value stream)", "Product Director"),
        FieldChange("functions", list(old.functions), [*old.functions, "Legal"]),
    ]
    assert not diff.is_empty
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])


def test_diff_finds_added_and_removed_competencies_without_calling_the_rest_moved() -> None:
    a, b, c, d = (competency(k) for k in ("alpha", "bravo", "charlie", "delta"))
    diff = diff_roles(small_role([a, b, c]), small_role([d, a, c]))
    assert diff.added == [d]
    assert diff.removed == [b]
    assert diff.changed == []


def test_diff_finds_changed_competency_fields_in_file_order() -> None:
    a = competency("alpha")
    changed = replace(a, name="Alpha two", weight=1.5, levels={**a.levels, 3: "Leads well."})
    diff = diff_roles(small_role([a]), small_role([changed]))
    assert len(diff.changed) == 1
    change = diff.changed[0]
    assert (change.key, change.name) == ("alpha", "Alpha two")
    assert change.changes == [
        FieldChange("name", "Alpha", "Alpha two"),
        FieldChange("weight", 1, 1.5),
        FieldChange("levels", a.levels, {**a.levels, 3: "Leads well."}),
    ]


def test_diff_reports_only_the_competency_that_moved() -> None:
    a, b, c, d = (competency(k) for k in ("alpha", "bravo", "charlie", "delta"))
    diff = diff_roles(small_role([a, b, c, d]), small_role([d, a, b, c]))
    assert [(item.key, item.changes) for item in diff.changed] == [
        ("delta", [FieldChange("position", 4, 1)])
    ]
    assert (diff.added, diff.removed, diff.fields) == ([], [], [])


def test_diff_on_the_shipped_role_after_an_edit_round_trip() -> None:
    old = load_default_role()
    text = dump_role_yaml(old).replace("    required_level: 2\n", "    required_level: 3\n", 1)
    new = parse_role_yaml(text)
    diff = diff_roles(old, new)
    assert [(c.key, c.changes) for c in diff.changed] == [
        ("data-informed-decisions", [FieldChange("required_level", 2, 3)])
    ]
