"""Random and hostile YAML never escapes as anything but a RoleDefinitionError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.model import RoleDefinition
from assessments.role_files import dump_role_yaml, load_default_role, parse_role_yaml
from assessments.roles import RoleDefinitionError

SHIPPED = dump_role_yaml(load_default_role())
HOSTILE_LINES = st.sampled_from(
    [
        "key: <script>alert(1)</script>",
        "weight: .nan",
        "required_level: 99999999999999999999",
        "levels: {1: a, 2: b, 3: c, 4: d, 5: e}",
        "- &a [*a]",
        "!!python/object/apply:os.system ['true']",
        "competencies: null",
        "\t\x00",
        "name: '''",
        "functions: [[[[]]]]",
    ]
)


def _parse(text: str) -> None:
    try:
        role = parse_role_yaml(text)
    except RoleDefinitionError as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert isinstance(role, RoleDefinition)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_random_text_is_valid_or_a_listed_error(text: str) -> None:
    _parse(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(SHIPPED)), HOSTILE_LINES)
def test_hostile_lines_spliced_into_a_real_file_are_reported(position: int, line: str) -> None:
    _parse(SHIPPED[:position] + "\n" + line + "\n" + SHIPPED[position:])


V2_LINES = st.sampled_from(
    [
        "listen_for: {1: a, 2: b}",
        "listen_for: [a, b]",
        "probes: {a: 1}",
        "probes: [null]",
        "counter_indicators: []",
        "counter_indicators: [[x]]",
        "evidence_examples: {9: [x]}",
        "evidence_examples: [x]",
        "weight_rationale: null",
        "text: {a: 1}",
        "2: {text: x, evidence_examples: null}",
        "2: {text: null}",
        "- {text: q, listen_for: {1: a, 2: b, 3: c, 4: d, true: e}}",
        "schema_version: true",
        "schema_version: '2'",
    ]
)


def _v2_file() -> str:
    from tests.fixtures.role_v2 import ROLE_V2_YAML

    return ROLE_V2_YAML


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(_v2_file())), V2_LINES, st.integers(0, 8))
def test_hostile_v2_lines_spliced_into_a_v2_file_are_reported(
    position: int, line: str, indent: int
) -> None:
    text = _v2_file()
    _parse(text[:position] + "\n" + " " * indent + line + "\n" + text[position:])
