"""Role definitions: check them, and name every problem by its place.

A role definition is kept as YAML so a CPO or HR can read and edit it by hand. The file
format is described by ``data/role-definition.schema.json``; this module adds the rules
JSON Schema cannot express and turns every problem into a message that names its place.
Reading and writing them is in role_files.py, comparing two versions in role_diff.py.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from assessments.model import LEVELS

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "RoleDefinitionError",
    "role_key_is_valid",
    "schema_version_of",
    "validate_role_data",
]

KEY_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SCHEMA_VERSIONS: tuple[int, ...] = (1, 2)
CURRENT_SCHEMA_VERSION = 2
ROLE_FIELDS: tuple[str, ...] = (
    "schema_version",
    "key",
    "name",
    "purpose",
    "responsibilities",
    "experience",
    "expectations",
    "functions",
    "competencies",
)
COMPETENCY_FIELDS: tuple[str, ...] = (
    "key",
    "name",
    "description",
    "lens",
    "weight",
    "weight_rationale",
    "required_level",
    "must_have",
    "levels",
    "evidence_examples",
    "counter_indicators",
    "interview_questions",
    "self_prompts",
    "stakeholder_prompts",
)
# Fields only a schema_version 2 file may carry; the first two are required there.
V2_COMPETENCY_FIELDS: tuple[str, ...] = (
    "counter_indicators",
    "weight_rationale",
    "evidence_examples",
)
QUESTION_FIELDS: tuple[str, ...] = ("text", "probes", "listen_for")
LEVELLED_FIELDS: frozenset[str] = frozenset({"levels", "listen_for", "evidence_examples"})
KEY_MESSAGE = "must be lowercase letters and digits joined by hyphens, e.g. team-health"
SCHEMA_FILE = "role-definition.schema.json"

_TYPE_MESSAGES = {
    "string": "must be text",
    "number": "must be a number",
    "integer": "must be a whole number",
    "boolean": "must be true or false",
    "array": "must be a list",
    "object": "must be a mapping",
}

Path = tuple[str | int, ...]


class RoleDefinitionError(ValueError):
    """A role definition that cannot be used, with every problem found."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__("\n".join(self.errors))


# ---------------------------------------------------------------------------
# Validation


def role_key_is_valid(key: str) -> bool:
    """Tell whether a role or competency key is lowercase words joined by hyphens."""
    return KEY_PATTERN.fullmatch(key) is not None


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("assessments").joinpath("data", SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


def schema_version_of(data: object) -> int:
    """The format a role file or content says it is in: 1 when it does not say (or says oddly)."""
    if isinstance(data, Mapping):
        version = data.get("schema_version", 1)
        if (
            isinstance(version, int)
            and not isinstance(version, bool)
            and version in SCHEMA_VERSIONS
        ):
            return version
    return 1


def validate_role_data(data: object) -> list[str]:
    """Return every problem with a role definition as plain data; empty when it is valid."""
    normalised, problems = normalise_role_data(data)
    problems.extend(_schema_problems(normalised))
    problems.extend(_rule_problems(normalised))
    problems.extend(_version_problems(normalised))
    # jsonschema raises one error per missing field and each lists them all: keep one of each.
    unique = {(_sort_key(path), _message(path, text)) for path, text in problems}
    return [message for _, message in sorted(unique)]


def normalise_role_data(data: object) -> tuple[object, list[tuple[Path, str]]]:
    """Give level keys one spelling (YAML's ``1:`` and ``"1":`` both mean level 1) and read a
    level written as ``{text, evidence_examples}`` as its text plus the competency's examples."""
    problems: list[tuple[Path, str]] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("competencies"), list):
        return data, problems
    competencies: list[object] = []
    for index, competency in enumerate(data["competencies"]):
        if isinstance(competency, Mapping):
            competency = _normalise_competency(competency, ("competencies", index), problems)
        competencies.append(competency)
    return {**data, "competencies": competencies}, problems


def _normalise_competency(
    competency: Mapping[str, Any], place: Path, problems: list[tuple[Path, str]]
) -> dict[str, Any]:
    result = dict(competency)
    for name in ("levels", "evidence_examples"):
        if isinstance(result.get(name), Mapping):
            result[name] = _renamed_levels(result[name], (*place, name), problems)
    levels = result.get("levels")
    if isinstance(levels, dict) and any(isinstance(v, Mapping) for v in levels.values()):
        given = result.get("evidence_examples", {})
        # A competency-level value that is not a mapping is reported by the schema as it is.
        examples: dict[str, object] = dict(given) if isinstance(given, Mapping) else {}
        for level, value in list(levels.items()):
            if not isinstance(value, Mapping):
                continue
            unknown = [str(k) for k in value if k not in ("text", "evidence_examples")]
            for name in unknown:
                problems.append(((*place, "levels", level, name), "unknown field"))
            levels[level] = value.get("text")
            if "text" not in value:
                problems.append(((*place, "levels", level, "text"), "is required"))
                levels[level] = "-"  # reported above; a stand-in so it is not reported twice
            if "evidence_examples" in value:
                if level in examples:
                    problems.append(
                        ((*place, "levels", level), "evidence examples are given twice")
                    )
                examples[level] = value["evidence_examples"]
        if isinstance(given, Mapping):
            result["evidence_examples"] = examples
    questions = result.get("interview_questions")
    if isinstance(questions, list):
        renamed_questions: list[object] = []
        for number, question in enumerate(questions):
            if isinstance(question, Mapping) and isinstance(question.get("listen_for"), Mapping):
                where: Path = (*place, "interview_questions", number, "listen_for")
                question = {
                    **question,
                    "listen_for": _renamed_levels(question["listen_for"], where, problems),
                }
            renamed_questions.append(question)
        result["interview_questions"] = renamed_questions
    return result


def _renamed_levels(
    levels: Mapping[object, object], path: Path, problems: list[tuple[Path, str]]
) -> dict[str, object]:
    renamed: dict[str, object] = {}
    for level, value in levels.items():
        name = _level_name(level)
        if name in renamed:
            problems.append((path, f"level {name} is given twice"))
        renamed[name] = value
    return renamed


def _level_name(level: object) -> str:
    # bool is an int in Python; ``true:`` is not a level.
    if isinstance(level, int) and not isinstance(level, bool):
        return str(level)
    return level if isinstance(level, str) else repr(level)


def _schema_problems(data: object) -> Iterator[tuple[Path, str]]:
    for error in _validator().iter_errors(data):
        yield from _translate(error)


def _translate(error: ValidationError) -> Iterator[tuple[Path, str]]:
    """Turn one jsonschema error into messages that say where and what, in plain words."""
    path: Path = tuple(error.absolute_path)
    instance = error.instance
    keyword = error.validator
    expected: Any = error.validator_value
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    in_levels = bool(path) and path[-1] in LEVELLED_FIELDS
    if keyword == "required" and isinstance(instance, Mapping):
        for name in expected:
            if name not in instance:
                if in_levels:
                    yield path, f"level {name} is missing"
                else:
                    yield (*path, name), "is required"
    elif keyword == "additionalProperties" and isinstance(instance, Mapping):
        known = schema.get("properties", {})
        for name in instance:
            if name not in known:
                if in_levels:
                    levels = ", ".join(str(level) for level in LEVELS)
                    yield path, f'unknown level "{name}" (levels are {levels})'
                else:
                    yield (*path, str(name)), "unknown field"
    elif keyword == "anyOf":
        # A question is text or a mapping: report what is wrong with the mapping, if it is one.
        branches = schema.get("anyOf", [])
        mapping_branch = next(
            (
                i
                for i, b in enumerate(branches)
                if isinstance(b, Mapping) and b.get("type") == "object"
            ),
            None,
        )
        inside = [e for e in error.context or () if e.relative_schema_path[0] == mapping_branch]
        if isinstance(instance, Mapping) and inside:
            for sub in inside:
                yield from _translate(sub)
        else:
            yield path, str(schema.get("x-message", error.message))
    elif keyword == "type":
        if not path:
            yield path, f"must be a mapping of fields, not {_kind(instance)}"
        elif instance is None:
            yield path, "must not be empty"
        else:
            yield path, _TYPE_MESSAGES.get(str(expected), error.message)
    elif keyword == "pattern":
        if path[-1] == "key":
            yield path, KEY_MESSAGE
        else:
            yield path, "must not be empty"
    elif keyword == "enum":
        yield path, "must be one of " + ", ".join(str(item) for item in expected)
    elif keyword in ("minimum", "maximum"):
        yield path, f"must be between {schema.get('minimum')} and {schema.get('maximum')}"
    elif keyword == "exclusiveMinimum":
        yield path, f"must be greater than {expected}"
    elif keyword == "minItems":
        yield path, "must have at least one item"
    else:
        # A rule added to the schema later still gets reported, if less kindly.
        yield path, error.message


def _rule_problems(data: object) -> Iterator[tuple[Path, str]]:
    """Check what JSON Schema cannot: unique keys, finite weights, keys that end cleanly."""
    if not isinstance(data, Mapping):
        return
    if isinstance(data.get("key"), str) and _only_trailing_newline(data["key"]):
        yield ("key",), KEY_MESSAGE
    competencies = data.get("competencies")
    if not isinstance(competencies, list):
        return
    first_seen: dict[str, int] = {}
    for index, competency in enumerate(competencies):
        if not isinstance(competency, Mapping):
            continue
        key = competency.get("key")
        if isinstance(key, str):
            if key in first_seen:
                yield (
                    ("competencies", index, "key"),
                    f'duplicate key "{key}" (also competencies[{first_seen[key]}])',
                )
            else:
                first_seen[key] = index
            if _only_trailing_newline(key):
                yield (
                    ("competencies", index, "key"),
                    KEY_MESSAGE,
                )
        weight = competency.get("weight")
        # NaN slips past "greater than 0" and infinity would swamp every other weight.
        if isinstance(weight, float) and not math.isfinite(weight):
            yield ("competencies", index, "weight"), "must be a finite number"


def _version_problems(data: object) -> Iterator[tuple[Path, str]]:
    """What a file's schema_version requires (2) or does not allow (1)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("competencies"), list):
        return
    version = schema_version_of(data)
    if data.get("schema_version", 1) != version:
        return  # the schema already says schema_version is wrong; do not guess which rules apply
    for index, competency in enumerate(data["competencies"]):
        if not isinstance(competency, Mapping):
            continue
        place: Path = ("competencies", index)
        if version >= 2:
            if "counter_indicators" not in competency:
                yield (
                    (*place, "counter_indicators"),
                    "is required in a schema_version 2 file: list at least one sign that "
                    "counts against the candidate",
                )
            if "weight_rationale" not in competency:
                yield (
                    (*place, "weight_rationale"),
                    "is required in a schema_version 2 file: say why the competency has "
                    "this weight",
                )
            continue
        for name in V2_COMPETENCY_FIELDS:
            if name in competency:
                yield (*place, name), "needs schema_version: 2 at the top of the file"
        questions = competency.get("interview_questions")
        for number, question in enumerate(questions if isinstance(questions, list) else ()):
            if isinstance(question, Mapping):
                yield (
                    (*place, "interview_questions", number),
                    "a question with probes or listen_for needs schema_version: 2 at the top "
                    "of the file",
                )


def _only_trailing_newline(key: str) -> bool:
    # The schema's "$" also matches before a final newline in Python's re, so "abc\n" passes it.
    return key.endswith("\n") and KEY_PATTERN.fullmatch(key[:-1]) is not None


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _message(path: Path, text: str) -> str:
    return f"{_format_path(path)}: {text}"


def _format_path(path: Path) -> str:
    if not path:
        return "top level"
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


def _sort_key(path: Path) -> tuple[tuple[int, int, str], ...]:
    """Order problems as they appear in a well-formed file, list items by number."""
    key: list[tuple[int, int, str]] = []
    for depth, part in enumerate(path):
        if isinstance(part, int):
            key.append((0, part, ""))
        else:
            fields = (ROLE_FIELDS, (), COMPETENCY_FIELDS, (), QUESTION_FIELDS)[min(depth, 4)]
            order = fields.index(part) if part in fields else len(fields)
            key.append((1, order, part))
    return tuple(key)
