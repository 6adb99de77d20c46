"""Role definitions and their immutable published versions."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.mixins import Versioned
from app.models.users import User
from assessments.model import RoleDefinition as RoleDefinitionData
from assessments.role_files import role_from_data

VERSION_STATUSES: tuple[str, ...] = ("draft", "published", "retired")
# The one parse cache for role content. Parsing and validating a definition costs milliseconds
# and the same content parses the same, so each content is parsed once (keyed by its hash).
_PARSED: dict[str, RoleDefinitionData] = {}
# Where a loaded version remembers its parsed role, next to the content object it came from.
_MEMO = "_parsed_role"


class RoleDefinition(db.Model):  # type: ignore[name-defined,misc]
    """A role (e.g. product-director) across all its versions."""

    __tablename__ = "role_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[RoleVersion]] = relationship(
        back_populates="definition", order_by="RoleVersion.number", cascade="all, delete-orphan"
    )


class RoleVersion(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """One numbered version of a role; `content` is the canonical role_to_data() mapping.

    A published version is never changed: editing it creates the next draft.
    """

    __tablename__ = "role_version"
    __table_args__ = (
        UniqueConstraint("definition_id", "number", name="uq_role_version_number"),
        CheckConstraint("status IN ('draft','published','retired')", name="status_known"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("role_definition.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="draft")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    definition: Mapped[RoleDefinition] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def role(self) -> RoleDefinitionData:
        """The version as the method's plain data type, parsed (and validated) once per content.

        Remembered on the loaded version while its content is the same object: list pages ask
        once per row, and hashing the content each time would cost nearly as much as the page.
        Content is never changed in place (an edit assigns a new mapping). The role is a frozen
        dataclass, so sharing it is safe.
        """
        memo = self.__dict__.get(_MEMO)
        if memo is not None and memo[0] is self.content:
            return memo[1]  # type: ignore[no-any-return]
        cached = parsed_role(self.content)
        self.__dict__[_MEMO] = (self.content, cached)
        return cached

    @property
    def label(self) -> str:
        """E.g. 'Product Director (value stream) v2'."""
        return version_label(self.content.get("name", self.definition.name), self.number)

    @classmethod
    def name_expression(cls) -> ColumnElement[str]:
        """SQL for the name in `label`, for list queries that read plain rows (needs a join to
        RoleDefinition): lets them show the label without loading and decoding the content."""
        return func.coalesce(cls.content["name"].as_string(), RoleDefinition.name)


def parsed_role(content: dict[str, Any]) -> RoleDefinitionData:
    """A version's content as the method's role, parsed once per distinct content (for code that
    reads the content as a plain row, like the score snapshots)."""
    key = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    cached = _PARSED.get(key)
    if cached is None:
        if len(_PARSED) > 256:
            _PARSED.clear()
        cached = _PARSED[key] = role_from_data(content)
    return cached


def version_label(name: str, number: int) -> str:
    """A role version's label from its name and number."""
    return f"{name} v{number}"
