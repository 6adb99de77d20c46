"""A role's versions over time: create, draft, publish, retire, discard.

A published or retired version never changes; all edits go to the one draft a role may have at
a time.
"""

from __future__ import annotations

from app import audit
from app.extensions import db
from app.models import RoleDefinition, RoleVersion, User
from app.models.base import utcnow
from app.roles.content import blocking_problems, canonical, empty_content
from app.roles.editing import _ensure_current, _ensure_draft
from app.roles.errors import DraftExists, NotADraft, RoleEditError
from app.roles.lookups import current_draft, definition_by_key
from assessments.model import RoleDefinition as RoleData
from assessments.role_files import role_to_data
from assessments.roles import RoleDefinitionError, role_key_is_valid, validate_role_data

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
