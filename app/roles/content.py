"""A role version's content: its fields, the checks an edit must pass, and its outline.

A version's `content` is the canonical plain data of assessments.roles (level keys are the
strings "1".."4", as JSON stores them). Every edit is checked with `validate_role_data` on the
whole resulting content before it is stored. A draft may be *incomplete* (a new role has no
purpose or competencies yet) but never *invalid*; publishing needs it complete.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessments.model import LENS_LABELS, Competency, group_by_lens
from assessments.model import RoleDefinition as RoleData
from assessments.role_files import question_from_data
from assessments.roles import schema_version_of, validate_role_data

LIST_FIELDS: tuple[str, ...] = ("responsibilities", "experience", "expectations", "functions")
ROLE_TEXT_FIELDS: tuple[str, ...] = ("name", "purpose")
FIELD_LABELS: dict[str, str] = {
    "key": "Key",
    "name": "Name",
    "purpose": "Purpose",
    "responsibilities": "Responsibilities",
    "experience": "Experience",
    "expectations": "Expectations",
    "functions": "Functions",
    "competencies": "Competencies",
    "description": "Description",
    "lens": "Lens",
    "weight": "Weight",
    "required_level": "Required level",
    "must_have": "Must-have",
    "levels": "Level descriptors",
    "interview_questions": "Interview questions",
    "self_prompts": "Self-assessment prompts",
    "stakeholder_prompts": "Stakeholder prompts",
    "counter_indicators": "Counter-indicators",
    "weight_rationale": "Why this weight",
    "evidence_examples": "Evidence examples",
    "schema_version": "Schema version",
    "text": "text",
    "probes": "probes",
    "listen_for": "what to listen for",
    "position": "Position in the list",
}
COMPETENCY_LIST_FIELDS: tuple[str, ...] = ("interview_questions", "self_prompts")


# ---------------------------------------------------------------------------
# Checking content


def canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    """The content as JSON stores it (level keys as text): fresh and reloaded data compare equal."""
    result: dict[str, Any] = json.loads(json.dumps(data))
    return result


_INCOMPLETE = frozenset(
    {"purpose: must not be empty"}
    | {f"{name}: must have at least one item" for name in (*LIST_FIELDS, "competencies")}
)


# A schema_version 2 competency still to be given its counter-indicators or weight rationale.
_INCOMPLETE_V2 = re.compile(
    r"competencies\[(\d+)\]\.(counter_indicators|weight_rationale): "
    r"(is required in a schema_version 2 file.*|must have at least one item|must not be empty)"
)


def _is_incomplete(problem: str) -> bool:
    return problem in _INCOMPLETE or _INCOMPLETE_V2.fullmatch(problem) is not None


def blocking_problems(content: Mapping[str, Any]) -> list[str]:
    """Problems that stop content being saved even as a draft (everything but missing parts)."""
    return [p for p in validate_role_data(content) if not _is_incomplete(p)]


def missing_parts(content: Mapping[str, Any]) -> list[str]:
    """What a draft still needs before it can be published, in words."""
    todo: list[str] = []
    competencies = content.get("competencies") or []
    for problem in validate_role_data(content):
        v2 = _INCOMPLETE_V2.fullmatch(problem)
        if v2:
            name = competencies[int(v2.group(1))].get("name", "")
            what = (
                "Add at least one counter-indicator to"
                if v2.group(2) == "counter_indicators"
                else "Say why this weight is right for"
            )
            if f"{what} {name}" not in todo:
                todo.append(f"{what} {name}")
        elif problem in _INCOMPLETE:
            name = problem.split(":", 1)[0]
            if name == "purpose":
                todo.append("Write the purpose of the role")
            elif name == "competencies":
                todo.append("Add at least one competency")
            else:
                todo.append(f"Add at least one line to {FIELD_LABELS[name].lower()}")
    return todo


_PATH_PART = re.compile(r"([a-z_]+)|\[(\d+)\]|\.(\w+)")


def split_problem(problem: str) -> tuple[tuple[str | int, ...], str]:
    """Split 'competencies[2].levels.3: must not be empty' into its place and its message."""
    place, _, text = problem.partition(": ")
    if place == "top level":
        return (), text
    parts: list[str | int] = []
    for name, index, attribute in _PATH_PART.findall(place):
        if index:
            parts.append(int(index))
        else:
            parts.append(name or attribute)
    return tuple(parts), text


def lenient_role(content: Mapping[str, Any]) -> RoleData:
    """A role built from stored content without insisting it is complete (drafts may not be)."""
    return RoleData(
        schema_version=schema_version_of(content),
        key=content.get("key", ""),
        name=content.get("name", ""),
        purpose=content.get("purpose", ""),
        responsibilities=tuple(content.get("responsibilities", ())),
        experience=tuple(content.get("experience", ())),
        expectations=tuple(content.get("expectations", ())),
        functions=tuple(content.get("functions", ())),
        competencies=tuple(
            Competency(
                key=item["key"],
                name=item["name"],
                description=item["description"],
                lens=item["lens"],
                weight=float(item["weight"]),
                required_level=int(item["required_level"]),
                must_have=bool(item["must_have"]),
                levels={int(level): text for level, text in item["levels"].items()},
                interview_questions=tuple(
                    question_from_data(q) for q in item["interview_questions"]
                ),
                self_prompts=tuple(item["self_prompts"]),
                counter_indicators=tuple(item.get("counter_indicators") or ()),
                weight_rationale=item.get("weight_rationale") or "",
                evidence_examples={
                    int(level): tuple(texts)
                    for level, texts in (item.get("evidence_examples") or {}).items()
                },
                stakeholder_prompts=tuple(item.get("stakeholder_prompts") or ()),
            )
            for item in content.get("competencies", ())
        ),
    )


def empty_content(key: str, name: str) -> dict[str, Any]:
    """The content of a brand-new role: a key and a name, everything else still to write."""
    return {
        "key": key,
        "name": name,
        "purpose": "",
        "responsibilities": [],
        "experience": [],
        "expectations": [],
        "functions": [],
        "competencies": [],
    }


# ---------------------------------------------------------------------------
# Outline for pages


@dataclass(frozen=True)
class LensGroup:
    """The competencies of one lens, with their share of the total weight."""

    lens: str
    label: str
    competencies: list[dict[str, Any]]
    weight: float
    share: float


def lens_groups(content: Mapping[str, Any]) -> list[LensGroup]:
    """Competencies grouped by lens (in lens order), keeping their order within each lens."""
    competencies = list(content.get("competencies", ()))
    total = sum(float(c["weight"]) for c in competencies) or 1.0
    groups = []
    for lens, members in group_by_lens(competencies, lambda c: str(c["lens"])):
        weight = sum(float(c["weight"]) for c in members)
        groups.append(LensGroup(lens, LENS_LABELS[lens], list(members), weight, weight / total))
    return groups


def weight_total(content: Mapping[str, Any]) -> float:
    """The sum of the competency weights."""
    return sum(float(c["weight"]) for c in content.get("competencies", ()))
