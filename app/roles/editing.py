"""Editing a role's one draft: its fields and competencies, each change checked and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import audit
from app.extensions import db
from app.models import RoleVersion, User
from app.roles.content import LIST_FIELDS, ROLE_TEXT_FIELDS, blocking_problems, canonical
from app.roles.errors import NotADraft, RoleEditError, StaleDraft
from assessments.model import RoleDefinition as RoleData
from assessments.role_files import role_to_data, settle_schema_version
from assessments.roles import RoleDefinitionError


def replace_draft_content(draft: RoleVersion, role: RoleData, *, actor: User | None) -> None:
    """Overwrite a draft with a whole role (an import that replaces the draft)."""
    _store(
        draft,
        canonical(role_to_data(role)),
        expected_version=draft.version,
        actor=actor,
        action="role.draft_replace",
        summary=f"{draft.definition.key} v{draft.number} replaced by an imported file",
        old={"content": draft.content},
        new=None,
    )


def _ensure_draft(version: RoleVersion) -> None:
    if version.status != "draft":
        raise NotADraft(
            f"v{version.number} of {version.definition.name} is {version.status} and cannot be "
            "changed"
        )


def _ensure_current(version: RoleVersion, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != version.version:
        raise StaleDraft(
            f"Someone else saved changes to v{version.number} while you were working on it"
        )


def _store(
    draft: RoleVersion,
    content: dict[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
    action: str,
    summary: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """Check and save new content for a draft, with its audit record; nothing on any problem."""
    _ensure_draft(draft)
    _ensure_current(draft, expected_version)
    content = canonical(settle_schema_version(content))
    problems = blocking_problems(content)
    if problems:
        raise RoleDefinitionError(problems)
    draft.content = content  # a new object, so the JSON column sees the change
    db.session.flush()
    audit.record(action, summary, obj=draft, actor=actor, old=old, new=new)


def update_role_fields(
    draft: RoleVersion,
    values: Mapping[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
) -> list[str]:
    """Change the role's own fields (name, purpose and the lists); returns the fields changed."""
    allowed = (*ROLE_TEXT_FIELDS, *LIST_FIELDS)
    content = dict(draft.content)
    proposed = canonical({name: values[name] for name in allowed if name in values})
    changed = [name for name in proposed if proposed[name] != content.get(name)]
    if not changed:
        _ensure_draft(draft)
        _ensure_current(draft, expected_version)
        return []
    for name in changed:
        content[name] = proposed[name]
    _store(
        draft,
        content,
        expected_version=expected_version,
        actor=actor,
        action="role.edit",
        summary=f"{draft.definition.key} v{draft.number}: changed {', '.join(changed)}",
        old={name: draft.content.get(name) for name in changed},
        new={name: content[name] for name in changed},
    )
    return changed


def save_competency(
    draft: RoleVersion,
    original_key: str | None,
    competency: Mapping[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
) -> None:
    """Add a competency at the end (original_key None) or replace the one with original_key."""
    _ensure_draft(draft)
    _ensure_current(draft, expected_version)
    competencies = [dict(c) for c in draft.content.get("competencies", [])]
    new = canonical(competency)
    if original_key is None:
        competencies.append(new)
        old = None
        action, verb = "role.competency_add", "added"
    else:
        index = _index_of(draft, original_key)
        old = competencies[index]
        competencies[index] = new
        action, verb = "role.competency_edit", "changed"
        # A field emptied in the form is left out of `new` (optional lists such as the
        # stakeholder prompts): that is a change too.
        changed = [k for k in (*new, *(k for k in old if k not in new)) if new.get(k) != old.get(k)]
        if not changed:
            return
        old = {k: old.get(k) for k in changed}
        new = {k: new.get(k) for k in changed}
    _store(
        draft,
        {**draft.content, "competencies": competencies},
        expected_version=expected_version,
        actor=actor,
        action=action,
        summary=f"{draft.definition.key} v{draft.number}: competency "
        f"{competency.get('key')} {verb}",
        old=old,
        new=new,
    )


def _index_of(draft: RoleVersion, key: str) -> int:
    for index, item in enumerate(draft.content.get("competencies", [])):
        if item.get("key") == key:
            return index
    raise RoleEditError(f"v{draft.number} has no competency with the key {key}")


def competency_by_key(version: RoleVersion, key: str) -> dict[str, Any] | None:
    """The competency with this key in a version's content, or None."""
    return next((c for c in version.content.get("competencies", []) if c.get("key") == key), None)


def remove_competency(
    draft: RoleVersion, key: str, *, expected_version: int | None, actor: User | None
) -> None:
    """Take a competency out of a draft."""
    _ensure_draft(draft)
    _ensure_current(draft, expected_version)
    index = _index_of(draft, key)
    competencies = list(draft.content["competencies"])
    removed = competencies.pop(index)
    _store(
        draft,
        {**draft.content, "competencies": competencies},
        expected_version=expected_version,
        actor=actor,
        action="role.competency_remove",
        summary=f"{draft.definition.key} v{draft.number}: competency {key} removed",
        old={"position": index + 1, "competency": removed},
        new=None,
    )


def move_competency(
    draft: RoleVersion,
    key: str,
    direction: str,
    *,
    expected_version: int | None,
    actor: User | None,
) -> int:
    """Move a competency one place up or down; returns its new position (from 1)."""
    _ensure_draft(draft)
    _ensure_current(draft, expected_version)
    if direction not in ("up", "down"):
        raise RoleEditError("Choose to move the competency up or down")
    index = _index_of(draft, key)
    target = index - 1 if direction == "up" else index + 1
    competencies = list(draft.content["competencies"])
    if not 0 <= target < len(competencies):
        where = "first" if direction == "up" else "last"
        raise RoleEditError(f"{competencies[index]['name']} is already {where}")
    competencies[index], competencies[target] = competencies[target], competencies[index]
    _store(
        draft,
        {**draft.content, "competencies": competencies},
        expected_version=expected_version,
        actor=actor,
        action="role.competency_move",
        summary=f"{draft.definition.key} v{draft.number}: competency {key} moved {direction}",
        old={"key": key, "position": index + 1},
        new={"key": key, "position": target + 1},
    )
    return target + 1
