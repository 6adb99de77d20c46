"""Role definitions as plain data and YAML: build, export, parse, and the shipped default role."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from assessments import safe_yaml
from assessments.model import LEVELS, Competency, Question, RoleDefinition
from assessments.roles import (
    CURRENT_SCHEMA_VERSION,
    V2_COMPETENCY_FIELDS,
    RoleDefinitionError,
    normalise_role_data,
    schema_version_of,
    validate_role_data,
)
from assessments.safe_yaml import StrictLoader, YamlRefused

DEFAULT_ROLE_FILE = "product-director.yaml"
# Every role file shipped in assessments/data, by name; a later file may be a role's next version.
SHIPPED_ROLE_FILES = (
    DEFAULT_ROLE_FILE,
    "product-director-v2.yaml",
    "value-stream-product-manager.yaml",
)


# ---------------------------------------------------------------------------
# Building and exporting


def role_from_data(data: object) -> RoleDefinition:
    """Build a role from plain data (as read from YAML or JSON), or raise RoleDefinitionError."""
    errors = validate_role_data(data)
    if errors:
        raise RoleDefinitionError(errors)
    data, _ = normalise_role_data(data)
    assert isinstance(data, Mapping)
    return RoleDefinition(
        schema_version=schema_version_of(data),
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
    examples = data.get("evidence_examples") or {}
    return Competency(
        key=data["key"],
        name=data["name"].strip(),
        description=data["description"].strip(),
        lens=data["lens"],
        weight=float(data["weight"]),
        required_level=int(data["required_level"]),
        must_have=data["must_have"],
        levels={level: levels[level].strip() for level in LEVELS},
        interview_questions=tuple(question_from_data(item) for item in data["interview_questions"]),
        self_prompts=_texts(data["self_prompts"]),
        counter_indicators=_texts(data.get("counter_indicators", ())),
        weight_rationale=str(data.get("weight_rationale", "")).strip(),
        evidence_examples={
            level: _texts(examples[str(level)]) for level in LEVELS if str(level) in examples
        },
        stakeholder_prompts=_texts(data.get("stakeholder_prompts") or ()),
    )


def question_from_data(data: str | Mapping[str, Any]) -> Question:
    """A question from its file form: plain text (no probes) or {text, probes, listen_for}."""
    if isinstance(data, str):
        return Question(text=data.strip())
    listen_for = {
        int(level): str(text).strip() for level, text in (data.get("listen_for") or {}).items()
    }
    return Question(
        text=str(data["text"]).strip(),
        probes=_texts(data.get("probes") or ()),
        listen_for={level: listen_for[level] for level in LEVELS if level in listen_for},
    )


def question_to_data(question: Question) -> str | dict[str, object]:
    """A question in its file form: plain text when it has no probes and no scoring key."""
    if not question.probes and not question.listen_for:
        return question.text
    data: dict[str, object] = {"text": question.text, "probes": list(question.probes)}
    if question.listen_for:
        data["listen_for"] = {
            level: question.listen_for[level] for level in LEVELS if level in question.listen_for
        }
    return data


def _texts(items: Sequence[str]) -> tuple[str, ...]:
    # Folded YAML scalars end in a newline; nobody means it, and it would spoil round trips.
    return tuple(item.strip() for item in items)


def uses_v2_fields(data: Mapping[str, Any]) -> bool:
    """Whether role data (or one competency's data) uses a field only schema_version 2 has."""
    competencies = data.get("competencies")
    items = competencies if isinstance(competencies, list) else [data]
    for item in items:
        if not isinstance(item, Mapping):
            continue
        if any(item.get(name) for name in V2_COMPETENCY_FIELDS):
            return True
        questions = item.get("interview_questions")
        if isinstance(questions, list) and any(isinstance(q, Mapping) for q in questions):
            return True
    return False


def settle_schema_version(data: Mapping[str, Any]) -> dict[str, Any]:
    """Role data marked schema_version 2 once it uses a field only that version has.

    Editing moves a role forward, never back: a version 2 draft stays version 2. Empty new
    fields in a version 1 draft are dropped, so an untouched competency stays as it was.
    """
    result = dict(data)
    if schema_version_of(result) >= 2 or uses_v2_fields(result):
        result["schema_version"] = CURRENT_SCHEMA_VERSION
        return result
    competencies = result.get("competencies")
    if isinstance(competencies, list):
        result["competencies"] = [
            {k: v for k, v in item.items() if k not in V2_COMPETENCY_FIELDS}
            if isinstance(item, Mapping)
            else item
            for item in competencies
        ]
    return result


def role_to_data(role: RoleDefinition) -> dict[str, object]:
    """Return the role as plain data, fields in the order the file format lists them."""
    # A first-format role is written exactly as before, so its files do not change on export.
    version: dict[str, object] = {"schema_version": 2} if role.schema_version >= 2 else {}
    return {
        **version,
        "key": role.key,
        "name": role.name,
        "purpose": role.purpose,
        "responsibilities": list(role.responsibilities),
        "experience": list(role.experience),
        "expectations": list(role.expectations),
        "functions": list(role.functions),
        "competencies": [
            _competency_to_data(item, role.schema_version) for item in role.competencies
        ],
    }


def _competency_to_data(competency: Competency, version: int = 2) -> dict[str, object]:
    """A competency as plain data; the fields schema_version 1 lacks only when `version` is 2."""
    weight = competency.weight
    data: dict[str, object] = {
        "key": competency.key,
        "name": competency.name,
        "description": competency.description,
        "lens": competency.lens,
        "weight": int(weight) if float(weight).is_integer() else weight,
    }
    if version >= 2:
        data["weight_rationale"] = competency.weight_rationale
    data["required_level"] = competency.required_level
    data["must_have"] = competency.must_have
    data["levels"] = {level: competency.levels[level] for level in LEVELS}
    if version >= 2:
        if competency.evidence_examples:
            data["evidence_examples"] = {
                level: list(items) for level, items in sorted(competency.evidence_examples.items())
            }
        data["counter_indicators"] = list(competency.counter_indicators)
    data["interview_questions"] = [question_to_data(q) for q in competency.interview_questions]
    data["self_prompts"] = list(competency.self_prompts)
    # Optional in every version: left out when empty, so files without it export unchanged.
    if competency.stakeholder_prompts:
        data["stakeholder_prompts"] = list(competency.stakeholder_prompts)
    return data


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
    """Return the Product Director role definition shipped with Streamlead (its first version)."""
    return load_shipped_role(DEFAULT_ROLE_FILE)


def load_shipped_role(file_name: str) -> RoleDefinition:
    """Return a role definition shipped with Streamlead, by its file name in SHIPPED_ROLE_FILES."""
    if file_name not in SHIPPED_ROLE_FILES:
        raise ValueError(f"{file_name!r} is not a role file shipped with Streamlead")
    data_dir = resources.files("assessments").joinpath("data")
    return parse_role_yaml(data_dir.joinpath(file_name).read_text("utf-8"))
