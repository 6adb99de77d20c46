"""Role definitions and versions: create, edit drafts, publish."""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models import RoleDefinition, RoleVersion, User
from app.models.base import utcnow
from assessments.model import RoleDefinition as RoleData
from assessments.roles import role_to_data


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


def add_version(role: RoleData, *, publish: bool, actor: User | None) -> RoleVersion:
    """Store a role as the next version of its definition (created when new)."""
    definition = definition_by_key(role.key)
    if definition is None:
        definition = RoleDefinition(key=role.key, name=role.name)
        db.session.add(definition)
        db.session.flush()
    number = max((v.number for v in definition.versions), default=0) + 1
    version = RoleVersion(
        definition=definition,
        number=number,
        status="draft",
        content=role_to_data(role),
        created_by=actor,
    )
    db.session.add(version)
    db.session.flush()
    audit.record(
        "role.version_create",
        f"{role.key} v{number} created",
        obj=version,
        actor=actor,
        new={"key": role.key, "number": number},
    )
    if publish:
        publish_version(version, actor=actor)
    return version


def publish_version(version: RoleVersion, *, actor: User | None) -> None:
    """Publish a draft: it becomes immutable and the version assessments start on."""
    if version.status != "draft":
        raise ValueError(f"v{version.number} is {version.status}; only drafts can be published")
    version.status = "published"
    version.published_at = utcnow()
    version.published_by = actor
    version.definition.name = version.content["name"]
    db.session.flush()
    audit.record(
        "role.publish",
        f"{version.definition.key} v{version.number} published",
        obj=version,
        actor=actor,
        old={"status": "draft"},
        new={"status": "published"},
    )
