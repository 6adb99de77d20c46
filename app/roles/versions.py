"""Role-version look-ups: the published versions to choose from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, bindparam, func, select
from sqlalchemy.orm import contains_eager

from app import statements
from app.extensions import db
from app.models import RoleDefinition, RoleVersion
from app.models.roles import version_label
from app.statements import prebuilt

DEFAULT_ROLE_KEY = "product-director"


@prebuilt
def _published_versions() -> Executable:
    return (
        select(RoleVersion)
        .join(RoleDefinition)
        .where(RoleVersion.status == "published")
        .options(contains_eager(RoleVersion.definition))
        .order_by(RoleDefinition.name, RoleVersion.number.desc())
    )


def published_versions() -> list[RoleVersion]:
    """Every published role version, default role first, newest first within a role."""
    versions = db.session.scalars(_published_versions()).all()
    return sorted(versions, key=lambda v: v.definition.key != DEFAULT_ROLE_KEY)


@dataclass(frozen=True)
class VersionChoice:
    """A role version as lists show it: id, label and how many competencies it has."""

    id: int
    label: str
    competencies: int


@prebuilt
def _version_choices(published: bool) -> Executable:
    # The name and the competency count are read out of the JSON in SQL: lists need only
    # these, not the whole 20 KB of content per version.
    query = select(
        RoleVersion.id,
        RoleVersion.name_expression(),
        RoleVersion.number,
        RoleDefinition.key,
        func.json_array_length(RoleVersion.content["competencies"]),
    ).join(RoleDefinition, RoleDefinition.id == RoleVersion.definition_id)
    if published:
        return query.where(RoleVersion.status == "published").order_by(
            RoleDefinition.name, RoleVersion.number.desc()
        )
    return query.where(RoleVersion.id.in_(bindparam("ids", expanding=True)))


def _choices(rows: Iterable[Sequence[Any]]) -> list[VersionChoice]:
    return [VersionChoice(r[0], version_label(r[1], r[2]), int(r[4] or 0)) for r in rows]


def version_choices(ids: Iterable[int]) -> list[VersionChoice]:
    """The role versions with these ids (any status) as plain values, in one query."""
    return _choices(statements.rows(_version_choices(False), ids=list(ids)))


def published_version_choices() -> list[VersionChoice]:
    """`published_versions` as plain values, in the same order (default role first)."""
    rows = sorted(statements.rows(_version_choices(True)), key=lambda r: r[3] != DEFAULT_ROLE_KEY)
    return _choices(rows)


def default_role_version() -> RoleVersion | None:
    """The latest published version of the Product Director role, else any published version."""
    versions = published_versions()
    return versions[0] if versions else None
