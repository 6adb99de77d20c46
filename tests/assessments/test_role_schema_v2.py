"""Schema version 2 of the role definition: counter-indicators, weight rationale, questions with
probes and a scoring key, evidence examples per level; version 1 files still read."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.model import Question
from assessments.role_diff import diff_roles
from assessments.role_files import (
    dump_role_yaml,
    load_default_role,
    parse_role_yaml,
    role_from_data,
    role_to_data,
)
from assessments.roles import RoleDefinitionError, validate_role_data
from tests.fixtures.role_v2 import ROLE_V2_YAML


def v2_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ROLE_V2_YAML)
    return data


def test_a_v2_file_reads_every_new_field() -> None:
    role = parse_role_yaml(ROLE_V2_YAML)
    planning = role.competencies[0]
    assert role.schema_version == 2
    assert planning.counter_indicators == (
        "Blames testers when a release fails.",
        "Treats the plan as fixed once written.",
    )
    assert planning.weight_rationale == "Planning decides what every later test is worth."
    assert planning.levels[2] == "Writes a test plan for their own feature."
    assert planning.evidence_examples == {
        2: ("Showed a plan they wrote for a login page.",),
        3: ("Described dropping a test suite when the risk moved.",),
    }
    first, second = planning.interview_questions
    assert first.probes == ("What made you change it?", "Who disagreed?")
    assert first.listen_for[3] == "Changed the plan themselves from evidence of risk."
    assert second == Question("Describe a release you stopped.")


def test_a_v2_role_round_trips_through_yaml_and_states_its_version() -> None:
    role = parse_role_yaml(ROLE_V2_YAML)
    text = dump_role_yaml(role)
    assert text.startswith("schema_version: 2\n")
    assert parse_role_yaml(text) == role
    assert "listen_for:\n          1: Followed a plan" in text
    # A question without probes stays a plain line, as people write it.
    assert "      - Describe a release you stopped.\n" in text


def test_a_v1_file_is_still_valid_and_exports_unchanged() -> None:
    role = load_default_role()
    assert role.schema_version == 1
    assert all(c.counter_indicators == () for c in role.competencies)
    assert all(isinstance(q, Question) for c in role.competencies for q in c.interview_questions)
    data = role_to_data(role)
    assert "schema_version" not in data
    assert "counter_indicators" not in data["competencies"][0]  # type: ignore[index]
    assert parse_role_yaml(dump_role_yaml(role)) == role


def test_schema_version_1_written_out_is_the_same_as_leaving_it_out() -> None:
    text = dump_role_yaml(load_default_role())
    assert parse_role_yaml("schema_version: 1\n" + text) == parse_role_yaml(text)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda d: d["competencies"][1].pop("counter_indicators"),
            [
                "competencies[1].counter_indicators: is required in a schema_version 2 file: "
                "list at least one sign that counts against the candidate"
            ],
            id="no-counter-indicators",
        ),
        pytest.param(
            lambda d: d["competencies"][1].update(counter_indicators=[]),
            ["competencies[1].counter_indicators: must have at least one item"],
            id="empty-counter-indicators",
        ),
        pytest.param(
            lambda d: d["competencies"][0].pop("weight_rationale"),
            [
                "competencies[0].weight_rationale: is required in a schema_version 2 file: "
                "say why the competency has this weight"
            ],
            id="no-weight-rationale",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["interview_questions"][0]["listen_for"].pop(3),
            ["competencies[0].interview_questions[0].listen_for: level 3 is missing"],
            id="listen-for-level-missing",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["interview_questions"][0]["listen_for"].update({5: "x"}),
            [
                'competencies[0].interview_questions[0].listen_for: unknown level "5" '
                "(levels are 1, 2, 3, 4)"
            ],
            id="listen-for-unknown-level",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["interview_questions"][0].pop("text"),
            ["competencies[0].interview_questions[0].text: is required"],
            id="question-without-text",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["interview_questions"][0].update(probes="Why?"),
            ["competencies[0].interview_questions[0].probes: must be a list"],
            id="probes-not-a-list",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["interview_questions"][0].update(follow_up=["x"]),
            ["competencies[0].interview_questions[0].follow_up: unknown field"],
            id="unknown-question-field",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["interview_questions"].append(7),
            [
                "competencies[0].interview_questions[2]: must be the question as text, or a "
                "mapping with text, probes and listen_for"
            ],
            id="question-a-number",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["evidence_examples"].update({3: []}),
            ["competencies[0].evidence_examples.3: must have at least one item"],
            id="empty-evidence-examples",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["levels"][2].pop("text"),
            ["competencies[0].levels.2.text: is required"],
            id="level-object-without-text",
        ),
        pytest.param(
            lambda d: d["competencies"][0]["levels"].update(
                {3: {"text": "x", "evidence_examples": ["y"]}}
            ),
            ["competencies[0].levels.3: evidence examples are given twice"],
            id="examples-in-two-places",
        ),
        pytest.param(
            lambda d: d.update(schema_version=3),
            ["schema_version: must be one of 1, 2"],
            id="unknown-version",
        ),
    ],
)
def test_each_v2_problem_gives_one_message_naming_its_place(
    change: Any, expected: list[str]
) -> None:
    data = v2_data()
    change(data)
    assert validate_role_data(data) == expected


def test_a_v1_file_with_v2_fields_is_told_to_say_schema_version_2() -> None:
    data = v2_data()
    del data["schema_version"]
    problems = validate_role_data(data)
    assert (
        "competencies[0].counter_indicators: needs schema_version: 2 at the top of the file"
        in problems
    )
    assert (
        "competencies[0].weight_rationale: needs schema_version: 2 at the top of the file"
        in problems
    )
    assert (
        "competencies[0].interview_questions[0]: a question with probes or listen_for needs "
        "schema_version: 2 at the top of the file"
    ) in problems
    with pytest.raises(RoleDefinitionError):
        role_from_data(data)


def test_bad_input_never_raises_anything_but_role_definition_error() -> None:
    for value in (None, 1, "x", [], {"a": 1}, [1, 2], {"text": None}):
        data = v2_data()
        data["competencies"][0]["interview_questions"][0] = value
        data["competencies"][1]["levels"][1] = value
        data["competencies"][1]["evidence_examples"] = value
        with pytest.raises(RoleDefinitionError):
            role_from_data(data)


def test_diff_shows_changes_to_the_new_fields() -> None:
    old = parse_role_yaml(ROLE_V2_YAML)
    data = v2_data()
    planning = data["competencies"][0]
    planning["counter_indicators"].append("Never asks users.")
    planning["weight_rationale"] = "It decides the rest."
    planning["interview_questions"][0]["probes"].append("What happened next?")
    new = role_from_data(data)
    (changed,) = diff_roles(old, new).changed
    assert [c.field for c in changed.changes] == [
        "weight_rationale",
        "counter_indicators",
        "interview_questions",
    ]


def test_diff_from_v1_to_v2_names_the_version_and_the_new_fields() -> None:
    old_data = copy.deepcopy(v2_data())
    del old_data["schema_version"]
    for competency in old_data["competencies"]:
        for name in ("counter_indicators", "weight_rationale", "evidence_examples"):
            competency.pop(name, None)
        competency["levels"][2] = (
            competency["levels"][2]["text"]
            if isinstance(competency["levels"][2], dict)
            else competency["levels"][2]
        )
        competency["interview_questions"] = [
            q["text"] if isinstance(q, dict) else q for q in competency["interview_questions"]
        ]
    diff = diff_roles(role_from_data(old_data), parse_role_yaml(ROLE_V2_YAML))
    assert [(f.field, f.old, f.new) for f in diff.fields] == [("schema_version", 1, 2)]
    assert "counter_indicators" in [c.field for c in diff.changed[0].changes]


def test_level_objects_beside_a_competency_level_list_are_reported_not_raised() -> None:
    data = v2_data()
    data["competencies"][0]["evidence_examples"] = ["not a mapping"]
    assert validate_role_data(data) == ["competencies[0].evidence_examples: must be a mapping"]


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 6) | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["text", "probes", "listen_for", 1, "2", 9]), inner, max_size=3
        )
    ),
    max_leaves=8,
)
PLACES = st.sampled_from(
    [
        ("competencies", 0, "interview_questions", 0),
        ("competencies", 0, "interview_questions", 0, "listen_for"),
        ("competencies", 0, "interview_questions", 0, "probes"),
        ("competencies", 0, "levels", 2),
        ("competencies", 0, "levels"),
        ("competencies", 0, "evidence_examples"),
        ("competencies", 1, "counter_indicators"),
        ("competencies", 1, "weight_rationale"),
        ("schema_version",),
    ]
)


@settings(max_examples=300, deadline=None)
@given(place=PLACES, junk=JUNK)
def test_any_value_anywhere_in_the_new_fields_is_valid_or_listed(place: tuple, junk: Any) -> None:
    data = v2_data()
    target: Any = data
    for part in place[:-1]:
        target = target[part]
    target[place[-1]] = junk
    try:
        role_from_data(data)
    except RoleDefinitionError as exc:
        assert exc.errors and all(isinstance(e, str) and ": " in e for e in exc.errors)
