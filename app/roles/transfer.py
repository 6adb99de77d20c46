"""Roles as YAML files: export a version, import a file as a new version or draft."""

from __future__ import annotations

from app.models import RoleVersion, User
from app.roles.content import lenient_role
from app.roles.editing import replace_draft_content
from app.roles.lifecycle import add_version, publish_version
from app.roles.lookups import current_draft, definition_by_key
from assessments.role_files import dump_role_yaml, parse_role_yaml
from assessments.roles import RoleDefinitionError, validate_role_data

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
