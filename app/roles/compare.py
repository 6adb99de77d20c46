"""What changed between two versions of a role, row by row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.models import RoleVersion
from app.roles.content import FIELD_LABELS, lenient_role
from assessments.model import LENS_LABELS, LEVELS, RATING_SCALE, Competency
from assessments.role_diff import diff_roles

# ---------------------------------------------------------------------------
# Comparing


@dataclass(frozen=True)
class ChangeRow:
    """One changed field: what it was and what it became (for lists, the lines out and in)."""

    label: str
    before: list[str]
    after: list[str]
    is_list: bool = False
    note: str = ""


@dataclass(frozen=True)
class CompetencyChanges:
    """A competency kept in both versions, with its changed fields."""

    key: str
    name: str
    rows: list[ChangeRow]


@dataclass
class Comparison:
    """What changed between two versions, ready for a page."""

    old: RoleVersion
    new: RoleVersion
    fields: list[ChangeRow] = field(default_factory=list)
    added: list[Competency] = field(default_factory=list)
    removed: list[Competency] = field(default_factory=list)
    changed: list[CompetencyChanges] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Tell whether the two versions hold the same content."""
        return not (self.fields or self.added or self.removed or self.changed)


def _level_text(level: object) -> str:
    number = int(str(level))
    return f"{number} {RATING_SCALE[number]}"


def _list_row(label: str, old: Sequence[str], new: Sequence[str]) -> ChangeRow:
    removed = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    note = "" if removed or added else "Same lines in a new order"
    return ChangeRow(label, removed, added, is_list=True, note=note)


def _question_lines(question: Any) -> list[str]:
    """A question as the lines a reader compares: its text, each probe, each level's key."""
    if isinstance(question, str):
        return [question]
    lines = [str(question["text"])]
    lines += [f"Probe: {probe}" for probe in question.get("probes", ())]
    listen_for = question.get("listen_for") or {}
    lines += [f"Listen for {level}: {listen_for[level]}" for level in LEVELS if level in listen_for]
    return lines


def _question_rows(label: str, old: Sequence[Any], new: Sequence[Any]) -> list[ChangeRow]:
    """One row per question that changed (by place), so probes and keys show where they belong."""
    rows = []
    for place in range(max(len(old), len(new))):
        before = _question_lines(old[place]) if place < len(old) else []
        after = _question_lines(new[place]) if place < len(new) else []
        if before != after:
            rows.append(_list_row(f"{label}: question {place + 1}", before, after))
    return rows


def _rows(name: str, old: Any, new: Any) -> list[ChangeRow]:
    label = FIELD_LABELS.get(name, name)
    if name == "interview_questions":
        return _question_rows(label, old or [], new or [])
    if name == "evidence_examples":
        old, new = old or {}, new or {}
        return [
            _list_row(
                f"{label}, level {_level_text(level)}", old.get(level, []), new.get(level, [])
            )
            for level in LEVELS
            if old.get(level) != new.get(level)
        ]
    if isinstance(old, list) or isinstance(new, list):
        return [_list_row(label, old or [], new or [])]
    if name == "levels":
        return [
            ChangeRow(f"Level {_level_text(level)}", [old[level]], [new[level]])
            for level in LEVELS
            if old.get(level) != new.get(level)
        ]
    if name == "required_level":
        return [ChangeRow(label, [_level_text(old)], [_level_text(new)])]
    if name == "must_have":
        return [ChangeRow(label, ["Yes" if old else "No"], ["Yes" if new else "No"])]
    if name == "lens":
        return [ChangeRow(label, [LENS_LABELS[old]], [LENS_LABELS[new]])]
    return [ChangeRow(label, [_plain_or_none(old)], [_plain_or_none(new)])]


def _plain_or_none(value: object) -> str:
    return "(none)" if value in (None, "") else _plain(value)


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def compare(old: RoleVersion, new: RoleVersion) -> Comparison:
    """What changed from `old` to `new`: role fields, added, removed and changed competencies."""
    diff = diff_roles(lenient_role(old.content), lenient_role(new.content))
    result = Comparison(old=old, new=new, added=diff.added, removed=diff.removed)
    for change in diff.fields:
        result.fields.extend(_rows(change.field, change.old, change.new))
    for item in diff.changed:
        rows = [
            row for change in item.changes for row in _rows(change.field, change.old, change.new)
        ]
        result.changed.append(CompetencyChanges(item.key, item.name, rows))
    return result
