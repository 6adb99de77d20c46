"""Role definitions: read, check, write and compare them.

A role definition is kept as YAML so a CPO or HR can read and edit it by hand. The file
format is described by ``data/role-definition.schema.json``; this module adds the rules
JSON Schema cannot express and turns every problem into a message that names its place.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from yaml.constructor import ConstructorError

from assessments import safe_yaml
from assessments.model import LEVELS, Competency, RoleDefinition
from assessments.safe_yaml import StrictLoader, YamlRefused

__all__ = [
    "CompetencyChange",
    "FieldChange",
    "RoleDefinitionError",
    "RoleDiff",
    "diff_roles",
    "dump_role_yaml",
    "load_default_role",
    "parse_role_yaml",
    "role_from_data",
    "role_key_is_valid",
    "role_to_data",
    "validate_role_data",
]

KEY_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ROLE_FIELDS: tuple[str, ...] = (
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
    "required_level",
    "must_have",
    "levels",
    "interview_questions",
    "self_prompts",
)
KEY_MESSAGE = "must be lowercase letters and digits joined by hyphens, e.g. team-health"
DEFAULT_ROLE_FILE = "product-director.yaml"
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


def validate_role_data(data: object) -> list[str]:
    """Return every problem with a role definition as plain data; empty when it is valid."""
    normalised, problems = _normalise_levels(data)
    problems.extend(_schema_problems(normalised))
    problems.extend(_rule_problems(normalised))
    # jsonschema raises one error per missing field and each lists them all: keep one of each.
    unique = {(_sort_key(path), _message(path, text)) for path, text in problems}
    return [message for _, message in sorted(unique)]


def _normalise_levels(data: object) -> tuple[object, list[tuple[Path, str]]]:
    """Give level keys one spelling, so YAML's ``1:`` and ``"1":`` both mean level 1."""
    problems: list[tuple[Path, str]] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("competencies"), list):
        return data, problems
    competencies: list[object] = []
    for index, competency in enumerate(data["competencies"]):
        levels = competency.get("levels") if isinstance(competency, Mapping) else None
        if isinstance(levels, Mapping):
            renamed: dict[str, object] = {}
            for level, text in levels.items():
                name = _level_name(level)
                if name in renamed:
                    path: Path = ("competencies", index, "levels")
                    problems.append((path, f"level {name} is given twice"))
                renamed[name] = text
            competency = {**competency, "levels": renamed}
        competencies.append(competency)
    return {**data, "competencies": competencies}, problems


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
    in_levels = len(path) == 3 and path[2] == "levels"
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
            fields = ROLE_FIELDS if depth == 0 else COMPETENCY_FIELDS
            order = fields.index(part) if part in fields else len(fields)
            key.append((1, order, part))
    return tuple(key)


# ---------------------------------------------------------------------------
# Building and exporting


def role_from_data(data: object) -> RoleDefinition:
    """Build a role from plain data (as read from YAML or JSON), or raise RoleDefinitionError."""
    errors = validate_role_data(data)
    if errors:
        raise RoleDefinitionError(errors)
    assert isinstance(data, Mapping)
    return RoleDefinition(
        key=data["key"],
        name=data["name"].strip(),
        purpose=data["purpose"].strip(),
        responsibilities=_texts(data["responsibilities"]),
        experience=_texts(data["experience"]),
        expectations=_texts(data["expectations"]),
        functions=_texts(data["functions"]),
        competencies=tuple(_competency(item) for item in data["competencies"]),
    )


def _competency(data: Mapping[str, Any]) -> Competency:
    levels = {int(level): text for level, text in data["levels"].items()}
    return Competency(
        key=data["key"],
        name=data["name"].strip(),
        description=data["description"].strip(),
        lens=data["lens"],
        weight=float(data["weight"]),
        required_level=int(data["required_level"]),
        must_have=data["must_have"],
        levels={level: levels[level].strip() for level in LEVELS},
        interview_questions=_texts(data["interview_questions"]),
        self_prompts=_texts(data["self_prompts"]),
    )


def _texts(items: Sequence[str]) -> tuple[str, ...]:
    # Folded YAML scalars end in a newline; nobody means it, and it would spoil round trips.
    return tuple(item.strip() for item in items)


def role_to_data(role: RoleDefinition) -> dict[str, object]:
    """Return the role as plain data, fields in the order the file format lists them."""
    return {
        "key": role.key,
        "name": role.name,
        "purpose": role.purpose,
        "responsibilities": list(role.responsibilities),
        "experience": list(role.experience),
        "expectations": list(role.expectations),
        "functions": list(role.functions),
        "competencies": [_competency_to_data(item) for item in role.competencies],
    }


def _competency_to_data(competency: Competency) -> dict[str, object]:
    weight = competency.weight
    return {
        "key": competency.key,
        "name": competency.name,
        "description": competency.description,
        "lens": competency.lens,
        "weight": int(weight) if float(weight).is_integer() else weight,
        "required_level": competency.required_level,
        "must_have": competency.must_have,
        "levels": {level: competency.levels[level] for level in LEVELS},
        "interview_questions": list(competency.interview_questions),
        "self_prompts": list(competency.self_prompts),
    }


class _RoleDumper(yaml.SafeDumper):
    """Block-style YAML with list items indented under their field, as people write it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Multi-line text reads best as a literal block rather than one line full of \n.
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_RoleDumper.add_representer(str, _represent_text)


def dump_role_yaml(role: RoleDefinition) -> str:
    """Return the role as human-friendly YAML; parsing it gives the same role back."""
    return yaml.dump(
        role_to_data(role),
        Dumper=_RoleDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
        indent=2,
    )


class _RoleLoader(StrictLoader):
    """Strict safe YAML that also refuses a field written twice instead of keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[type, object]] = set()
        for key_node, _ in node.value:
            # A field written here may override one merged in with "<<"; that is not a repeat.
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool):
                # By type too: 1 and true are equal in Python but are different YAML keys.
                if (type(key), key) in seen:
                    raise ConstructorError(
                        None, None, f'"{key}" is given twice', key_node.start_mark
                    )
                seen.add((type(key), key))
        return super().construct_mapping(node, deep=deep)


def parse_role_yaml(text: str) -> RoleDefinition:
    """Read a role from YAML text, or raise RoleDefinitionError listing every problem."""
    try:
        data = safe_yaml.load(text, _RoleLoader)
    except YamlRefused as exc:
        raise RoleDefinitionError([exc.one_line()]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise RoleDefinitionError([f"{where}{exc.problem}"]) from exc
    except yaml.YAMLError as exc:
        raise RoleDefinitionError([f"not valid YAML: {exc}"]) from exc
    if data is None:
        raise RoleDefinitionError(["the file is empty"])
    return role_from_data(data)


def load_default_role() -> RoleDefinition:
    """Return the Product Director role definition shipped with Streamlead."""
    data_dir = resources.files("assessments").joinpath("data")
    return parse_role_yaml(data_dir.joinpath(DEFAULT_ROLE_FILE).read_text("utf-8"))


# ---------------------------------------------------------------------------
# Comparing versions


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs between two versions."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class CompetencyChange:
    """A competency kept in both versions, and what changed in it."""

    key: str
    name: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class RoleDiff:
    """What changed between two versions of a role definition."""

    fields: list[FieldChange]
    added: list[Competency]
    removed: list[Competency]
    changed: list[CompetencyChange]

    @property
    def is_empty(self) -> bool:
        """Tell whether the two versions are the same."""
        return not (self.fields or self.added or self.removed or self.changed)


def diff_roles(old: RoleDefinition, new: RoleDefinition) -> RoleDiff:
    """Compare two versions of a role; positions in a "position" change count from 1."""
    old_data, new_data = role_to_data(old), role_to_data(new)
    fields = [
        FieldChange(name, old_data[name], new_data[name])
        for name in ROLE_FIELDS
        if name != "competencies" and old_data[name] != new_data[name]
    ]
    old_keys = [item.key for item in old.competencies]
    new_keys = [item.key for item in new.competencies]
    added = [item for item in new.competencies if item.key not in old_keys]
    removed = [item for item in old.competencies if item.key not in new_keys]
    moved = _moved_keys(old_keys, new_keys)

    changed: list[CompetencyChange] = []
    for item in new.competencies:
        before = old.competency(item.key)
        if before is None:
            continue
        old_fields, new_fields = _competency_to_data(before), _competency_to_data(item)
        changes = [
            FieldChange(name, old_fields[name], new_fields[name])
            for name in COMPETENCY_FIELDS
            if old_fields[name] != new_fields[name]
        ]
        if item.key in moved:
            changes.append(
                FieldChange("position", old_keys.index(item.key) + 1, new_keys.index(item.key) + 1)
            )
        if changes:
            changed.append(CompetencyChange(item.key, item.name, changes))
    return RoleDiff(fields=fields, added=added, removed=removed, changed=changed)


def _moved_keys(old_keys: list[str], new_keys: list[str]) -> set[str]:
    """Keys whose order changed relative to the others kept in both versions.

    Adding or removing a competency shifts the ones after it, but that is not a reorder;
    and moving one competency should report that one, not everything it jumped over.
    """
    old_kept = [key for key in old_keys if key in new_keys]
    new_kept = [key for key in new_keys if key in old_keys]
    matcher = SequenceMatcher(a=old_kept, b=new_kept, autojunk=False)
    in_order = {
        key
        for block in matcher.get_matching_blocks()
        for key in old_kept[block.a : block.a + block.size]
    }
    return set(old_kept) - in_order
