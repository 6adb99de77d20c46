"""What changed between two versions of a role definition."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from assessments.model import Competency, RoleDefinition
from assessments.role_files import _competency_to_data, role_to_data
from assessments.roles import COMPETENCY_FIELDS, ROLE_FIELDS

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
    # A first-format role leaves schema_version out of its data; it is still version 1.
    old_data = {"schema_version": old.schema_version, **role_to_data(old)}
    new_data = {"schema_version": new.schema_version, **role_to_data(new)}
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
        # Both in the current form, so a field the old version lacked shows as empty there.
        old_fields, new_fields = _competency_to_data(before), _competency_to_data(item)
        changes = [
            FieldChange(name, old_fields.get(name), new_fields.get(name))
            for name in COMPETENCY_FIELDS
            if old_fields.get(name) != new_fields.get(name)
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
