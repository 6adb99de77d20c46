"""Imported YAML refuses anchors, aliases, deep nesting and oversized files, quickly and in one
line naming the problem and its place, whichever file kind is being read."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from assessments.actions import ActionLibraryError, parse_action_library
from assessments.induction import InductionTemplateError, parse_induction_yaml
from assessments.role_files import dump_role_yaml, load_default_role, parse_role_yaml
from assessments.roles import RoleDefinitionError
from assessments.safe_yaml import MAX_BYTES, MAX_DEPTH

PARSERS: list[tuple[Callable[[str], object], type[ValueError]]] = [
    (parse_role_yaml, RoleDefinitionError),
    (parse_induction_yaml, InductionTemplateError),
    (parse_action_library, ActionLibraryError),
]
BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)),
    ]
)


def _errors(parse: Callable[[str], object], error: type[ValueError], text: str) -> list[str]:
    with pytest.raises(error) as caught:
        parse(text)
    return caught.value.errors  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(("parse", "error"), PARSERS)
def test_billion_laughs_is_refused_at_once(
    parse: Callable[[str], object], error: type[ValueError]
) -> None:
    started = time.perf_counter()
    errors = _errors(parse, error, BILLION_LAUGHS)
    assert time.perf_counter() - started < 1
    assert errors == ["line 1, column 4: anchors (&a) are not allowed: write the value out in full"]


@pytest.mark.parametrize(("parse", "error"), PARSERS)
def test_an_alias_is_refused_with_its_place(
    parse: Callable[[str], object], error: type[ValueError]
) -> None:
    assert _errors(parse, error, "key: x\nname: *nowhere\n") == [
        "line 2, column 7: aliases (*nowhere) are not allowed: write the value out in full"
    ]


@pytest.mark.parametrize(("parse", "error"), PARSERS)
@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_not_a_recursion_error(
    parse: Callable[[str], object], error: type[ValueError], style: str
) -> None:
    if style == "flow":
        text = "[" * 20_000 + "]" * 20_000
    else:  # indentation grows with depth: 500 levels keep the file under the size limit
        depth = 500
        text = "".join(f"{'  ' * i}k:\n" for i in range(depth)) + "  " * depth + "x\n"
    errors = _errors(parse, error, text)
    assert len(errors) == 1
    assert errors[0].endswith(f"lists and mappings are nested more than {MAX_DEPTH} levels deep")
    assert errors[0].startswith("line 1, column 21:" if style == "flow" else "line 21, column 41:")


def test_nesting_up_to_the_limit_is_read() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    # Not a role, but the file was read: the problem reported is about its content.
    errors = _errors(parse_role_yaml, RoleDefinitionError, text)
    assert not any("nested" in e for e in errors)


@pytest.mark.parametrize(("parse", "error"), PARSERS)
def test_files_over_the_size_limit_are_refused_unread(
    parse: Callable[[str], object], error: type[ValueError]
) -> None:
    text = "# " + "x" * MAX_BYTES + "\n"
    assert _errors(parse, error, text) == [
        f"the file is {len(text):,} bytes; files up to {MAX_BYTES:,} bytes (1 MiB) can be imported"
    ]


def test_the_shipped_role_still_reads() -> None:
    role = load_default_role()
    assert parse_role_yaml(dump_role_yaml(role)) == role
