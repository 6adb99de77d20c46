"""Finding role definitions and their versions (drafts, published, by number)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Assessment, RoleDefinition, RoleVersion

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
