"""Stakeholder feedback: who was asked, and what they said, kept apart so no answer leads back
to the person who gave it (docs/decisions.md, "Issue 18 — Stakeholder data and scoring")."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm import relationship as orm_relationship  # a column is named relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.people import Assessment
from app.models.users import User

# How the stakeholder works with the exec; the key is stored, the label shown.
RELATIONSHIPS: dict[str, str] = {
    "business-peer": "Business peer",
    "digital-team": "Digital team member",
    "senior-stakeholder": "Senior stakeholder",
    "other": "Other",
}


def random_id() -> str:
    """A random primary key: unlike a sequence, its order says nothing about who answered when."""
    return secrets.token_hex(16)


class StakeholderInvitation(db.Model):  # type: ignore[name-defined,misc]
    """One person asked for their view of one assessment's exec.

    It records that they were asked and whether they answered, never what they answered: the
    answers being written sit in `draft` only until submitted, then become unlinked rows.
    """

    __tablename__ = "stakeholder_invitation"
    __table_args__ = (
        UniqueConstraint("assessment_id", "email", name="uq_stakeholder_invitation_email"),
        CheckConstraint(
            "relationship IN ('business-peer','digital-team','senior-stakeholder','other')",
            name="relationship_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    relationship: Mapped[str] = mapped_column(String(20), default="other")
    # sha256 hex of the link's token; NULL for imported answers (no link was ever sent).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # {"levels": {key: 0-4 | "not-observed"}, "comments": {key: text}} while being written;
    # cleared on submission, when the answers become StakeholderRating/StakeholderComment rows.
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported: Mapped[bool] = mapped_column(default=False, server_default=false())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assessment: Mapped[Assessment] = orm_relationship()
    created_by: Mapped[User | None] = orm_relationship()


class StakeholderRating(db.Model):  # type: ignore[name-defined,misc]
    """One stakeholder's level for one competency, with nothing that says whose or when.

    "Not observed" stores no row, so the number of rows per competency is the number who rated it.
    """

    __tablename__ = "stakeholder_rating"
    __table_args__ = (CheckConstraint("level >= 0 AND level <= 4", name="level_range"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    competency_key: Mapped[str] = mapped_column(String(80))
    level: Mapped[int]


class StakeholderComment(db.Model):  # type: ignore[name-defined,misc]
    """One stakeholder's comment on a competency (or on the whole when None), unlinked."""

    __tablename__ = "stakeholder_comment"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    competency_key: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)


__all__ = [
    "RELATIONSHIPS",
    "StakeholderComment",
    "StakeholderInvitation",
    "StakeholderRating",
    "random_id",
]
