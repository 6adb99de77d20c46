"""Role definitions and versions: create, edit drafts, publish, retire, compare, import, export.

A version's `content` is the canonical plain data of assessments.roles (level keys are the
strings "1".."4", as JSON stores them). A published or retired version never changes; all
edits go to the one draft a role may have at a time. Every edit is checked with
`validate_role_data` on the whole resulting content before it is stored. A draft may be
*incomplete* (a new role has no purpose or competencies yet) but never *invalid*;
publishing needs it complete.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Executable, exists, func, select
from sqlalchemy.orm import aliased, selectinload

from app import audit, statements
from app.extensions import db
from app.main.services import NextStep, provides_steps
from app.models import Assessment, RoleDefinition, RoleVersion, User
from app.models.base import utcnow
from app.statements import prebuilt
from app.transactions import DomainError, StaleEdit
from assessments.model import LENS_LABELS, LENSES, LEVELS, RATING_SCALE, Competency
from assessments.model import RoleDefinition as RoleData
from assessments.roles import (
    RoleDefinitionError,
    diff_roles,
    dump_role_yaml,
    parse_role_yaml,
    role_key_is_valid,
    role_to_data,
    validate_role_data,
)

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
    "position": "Position in the list",
}
COMPETENCY_LIST_FIELDS: tuple[str, ...] = ("interview_questions", "self_prompts")


class RoleEditError(DomainError):
    """A change to a role that cannot be made, with a message for the person who asked."""


class NotADraft(RoleEditError):
    """Published and retired versions never change."""


class StaleDraft(RoleEditError, StaleEdit):
    """The draft was saved by someone else since the form was loaded."""


class DraftExists(RoleEditError):
    """A role has at most one draft at a time."""

    def __init__(self, draft: RoleVersion) -> None:
        self.draft = draft
        super().__init__(
            f"{draft.definition.key} already has a draft (v{draft.number}): "
            "publish or discard it first"
        )


# ---------------------------------------------------------------------------
# Reading


def definition_by_key(key: str) -> RoleDefinition | None:
    """The role definition with this key, or None."""
    return db.session.scalar(select(RoleDefinition).where(RoleDefinition.key == key))


def latest_published(key: str) -> RoleVersion | None:
    """The newest published version of the role with this key, or None."""
    return db.session.scalar(
        select(RoleVersion)
        .join(RoleDefinition)
        .where(RoleDefinition.key == key, RoleVersion.status == "published")
        .order_by(RoleVersion.number.desc())
        .limit(1)
    )


def all_definitions() -> list[RoleDefinition]:
    """Every role with its versions and the people named on them, loaded in a few queries."""
    return list(
        db.session.scalars(
            select(RoleDefinition)
            .options(
                selectinload(RoleDefinition.versions).selectinload(RoleVersion.published_by),
                selectinload(RoleDefinition.versions).selectinload(RoleVersion.created_by),
            )
            .order_by(RoleDefinition.name)
        )
    )


def version_by_number(key: str, number: int) -> RoleVersion | None:
    """Version `number` of the role with this key, or None."""
    return db.session.scalar(
        select(RoleVersion)
        .join(RoleDefinition)
        .where(RoleDefinition.key == key, RoleVersion.number == number)
        .options(selectinload(RoleVersion.definition).selectinload(RoleDefinition.versions))
    )


def current_draft(definition: RoleDefinition) -> RoleVersion | None:
    """The role's draft, if it has one (there is at most one)."""
    return next((v for v in definition.versions if v.status == "draft"), None)


def newest_published(definition: RoleDefinition) -> RoleVersion | None:
    """The newest published version among the loaded versions, or None."""
    published = [v for v in definition.versions if v.status == "published"]
    return published[-1] if published else None


def latest_visible(definition: RoleDefinition, *, include_drafts: bool) -> RoleVersion | None:
    """The version a reader most likely wants: the draft for editors, else the newest published."""
    if include_drafts and (draft := current_draft(definition)) is not None:
        return draft
    return newest_published(definition) or (
        definition.versions[-1] if definition.versions else None
    )


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


def blocking_problems(content: Mapping[str, Any]) -> list[str]:
    """Problems that stop content being saved even as a draft (everything but missing parts)."""
    return [p for p in validate_role_data(content) if p not in _INCOMPLETE]


def missing_parts(content: Mapping[str, Any]) -> list[str]:
    """What a draft still needs before it can be published, in words."""
    todo = []
    for problem in validate_role_data(content):
        if problem in _INCOMPLETE:
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
                interview_questions=tuple(item["interview_questions"]),
                self_prompts=tuple(item["self_prompts"]),
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
    for lens in LENSES:
        members = [c for c in competencies if c["lens"] == lens]
        if members:
            weight = sum(float(c["weight"]) for c in members)
            groups.append(LensGroup(lens, LENS_LABELS[lens], members, weight, weight / total))
    return groups


def weight_total(content: Mapping[str, Any]) -> float:
    """The sum of the competency weights."""
    return sum(float(c["weight"]) for c in content.get("competencies", ()))


# ---------------------------------------------------------------------------
# Changing versions


def _next_number(definition: RoleDefinition) -> int:
    return max((v.number for v in definition.versions), default=0) + 1


def add_version(role: RoleData, *, publish: bool, actor: User | None) -> RoleVersion:
    """Store a role as the next version of its definition (created when new).

    Raises DraftExists when the role already has a draft: there is one draft at a time.
    """
    definition = definition_by_key(role.key)
    if definition is None:
        definition = RoleDefinition(key=role.key, name=role.name)
        db.session.add(definition)
        db.session.flush()
    elif (draft := current_draft(definition)) is not None:
        raise DraftExists(draft)
    number = _next_number(definition)
    content = canonical(role_to_data(role))
    version = RoleVersion(
        definition=definition,
        number=number,
        status="draft",
        content=content,
        created_by=actor,
    )
    db.session.add(version)
    db.session.flush()
    audit.record(
        "role.version_create",
        f"{role.key} v{number} created",
        obj=version,
        actor=actor,
        new={"key": role.key, "number": number, "content": content},
    )
    if publish:
        publish_version(version, actor=actor)
    return version


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


def create_role(key: str, name: str, *, actor: User | None) -> RoleVersion:
    """Start a new role from scratch: draft v1 with only its key and name."""
    key, name = key.strip(), name.strip()
    if not role_key_is_valid(key):
        raise RoleEditError(
            "Key must be lowercase letters and digits joined by hyphens, like head-of-data"
        )
    if definition_by_key(key) is not None:
        raise RoleEditError(f"A role with the key {key} already exists: choose another key")
    content = empty_content(key, name)
    problems = blocking_problems(content)
    if problems:
        raise RoleDefinitionError(problems)
    definition = RoleDefinition(key=key, name=name)
    db.session.add(definition)
    db.session.flush()
    version = RoleVersion(
        definition=definition, number=1, status="draft", content=content, created_by=actor
    )
    db.session.add(version)
    db.session.flush()
    audit.record(
        "role.create",
        f"{key} created as draft v1",
        obj=version,
        actor=actor,
        new={"key": key, "name": name, "number": 1},
    )
    return version


def start_draft(version: RoleVersion, *, actor: User | None) -> tuple[RoleVersion, bool]:
    """The role's draft: the existing one, or a new one copying this version. True if new."""
    definition = version.definition
    draft = current_draft(definition)
    if draft is not None:
        return draft, False
    number = _next_number(definition)
    draft = RoleVersion(
        definition=definition,
        number=number,
        status="draft",
        content=canonical(version.content),
        created_by=actor,
    )
    db.session.add(draft)
    db.session.flush()
    audit.record(
        "role.version_create",
        f"{definition.key} v{number} drafted from v{version.number}",
        obj=draft,
        actor=actor,
        old={"number": version.number, "status": version.status},
        new={"number": number, "status": "draft", "copied_from": version.number},
    )
    return draft, True


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
    content = canonical(content)
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
        changed = [k for k in new if new[k] != old.get(k)]
        if not changed:
            return
        old = {k: old.get(k) for k in changed}
        new = {k: new[k] for k in changed}
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


def publish_problems(version: RoleVersion) -> list[str]:
    """Everything that stops a draft being published, as place: message lines."""
    return validate_role_data(version.content)


def publish_version(
    version: RoleVersion, *, actor: User | None, expected_version: int | None = None
) -> None:
    """Publish a draft: it becomes immutable and the version assessments start on.

    Raises NotADraft, StaleDraft, or RoleDefinitionError when the draft is incomplete.
    """
    if version.status != "draft":
        raise NotADraft(f"v{version.number} is {version.status}; only drafts can be published")
    _ensure_current(version, expected_version)
    problems = publish_problems(version)
    if problems:
        raise RoleDefinitionError(problems)
    version.status = "published"
    version.published_at = utcnow()
    version.published_by = actor
    old_name = version.definition.name
    version.definition.name = version.content["name"]
    db.session.flush()
    audit.record(
        "role.publish",
        f"{version.definition.key} v{version.number} published",
        obj=version,
        actor=actor,
        old={"status": "draft", "name": old_name},
        new={"status": "published", "name": version.content["name"]},
    )


def retire_version(
    version: RoleVersion, *, actor: User | None, expected_version: int | None = None
) -> None:
    """Retire a published version: still readable, no longer offered for new assessments."""
    if version.status != "published":
        raise RoleEditError(
            f"v{version.number} is {version.status}; only published versions can be retired"
        )
    _ensure_current(version, expected_version)
    version.status = "retired"
    db.session.flush()
    audit.record(
        "role.retire",
        f"{version.definition.key} v{version.number} retired",
        obj=version,
        actor=actor,
        old={"status": "published"},
        new={"status": "retired"},
    )


def discard_draft(
    draft: RoleVersion, *, actor: User | None, expected_version: int | None = None
) -> bool:
    """Delete a draft; a role with no other version goes too. True when the role went."""
    _ensure_draft(draft)
    _ensure_current(draft, expected_version)
    definition = draft.definition
    audit.record(
        "role.draft_discard",
        f"{definition.key} v{draft.number} discarded",
        obj=draft,
        actor=actor,
        old={"number": draft.number, "status": "draft", "content": draft.content},
        new=None,
    )
    definition.versions.remove(draft)
    db.session.delete(draft)
    role_gone = not definition.versions
    if role_gone:
        db.session.delete(definition)
    db.session.flush()
    return role_gone


def assessments_on(version: RoleVersion) -> int:
    """How many assessments are pinned to this version."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Assessment)
            .where(Assessment.role_version_id == version.id)
        )
        or 0
    )


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


def _rows(name: str, old: Any, new: Any) -> list[ChangeRow]:
    label = FIELD_LABELS.get(name, name)
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
    return [ChangeRow(label, [_plain(old)], [_plain(new)])]


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


# ---------------------------------------------------------------------------
# Files


def export_yaml(version: RoleVersion) -> str:
    """The version as a YAML file `flask framework import` accepts; RoleDefinitionError if not."""
    problems = validate_role_data(version.content)
    if problems:
        raise RoleDefinitionError(problems)
    return dump_role_yaml(lenient_role(version.content))


def import_yaml(
    text: str, *, publish: bool, replace_draft: bool = False, actor: User | None = None
) -> tuple[RoleVersion, bool]:
    """Store a YAML role file as the role's next version; True when it replaced the draft.

    Raises RoleDefinitionError listing every problem, or DraftExists; nothing is written then.
    """
    role = parse_role_yaml(text)
    definition = definition_by_key(role.key)
    draft = current_draft(definition) if definition is not None else None
    if draft is not None and replace_draft:
        replace_draft_content(draft, role, actor=actor)
        if publish:
            publish_version(draft, actor=actor)
        return draft, True
    return add_version(role, publish=publish, actor=actor), False


# ---------------------------------------------------------------------------
# Home page


@prebuilt
def _roles_with_drafts() -> Executable:
    """Plain rows, one per role with its draft if any (there is at most one) and whether it has
    a published version."""
    published = aliased(RoleVersion)
    draft = aliased(RoleVersion)
    return (
        select(
            RoleDefinition.key,
            RoleDefinition.name,
            draft.number,
            draft.content,
            exists().where(
                published.definition_id == RoleDefinition.id, published.status == "published"
            ),
        )
        .outerjoin(draft, (draft.definition_id == RoleDefinition.id) & (draft.status == "draft"))
        .order_by(RoleDefinition.name)
    )


@provides_steps("cpo", "admin")
def _role_steps(user: User) -> list[NextStep]:
    from flask import url_for

    rows = statements.rows(_roles_with_drafts())
    if not rows:
        return [
            NextStep(
                "Define the Product Director role",
                "Every interview, self-assessment and coaching plan is measured against it. "
                "Start one here, or ask an administrator to import the shipped definition.",
                url_for("roles.new_role"),
                urgent=True,
            )
        ]
    steps = []
    for key, name, draft_number, draft_content, has_published in rows:
        if draft_number is not None:
            todo = missing_parts(draft_content)
            detail = (
                f"Still to do: {'; '.join(todo).lower()}."
                if todo
                else "Check it, preview it as candidates will see it, then publish it."
            )
            steps.append(
                NextStep(
                    f"Role draft v{draft_number} of {name} awaiting publication",
                    detail,
                    url_for("roles.show_version", key=key, number=draft_number),
                )
            )
        elif not has_published:
            steps.append(
                NextStep(
                    f"{name} has no published version",
                    "New assessments cannot start on this role until a version is published.",
                    url_for("roles.list_roles"),
                    urgent=True,
                )
            )
    return steps
