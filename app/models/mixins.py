"""Optimistic locking for records two people may edit at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class Versioned:
    """A `version` column SQLAlchemy bumps on every update; a stale update raises StaleDataError."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
