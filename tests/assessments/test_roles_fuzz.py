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
