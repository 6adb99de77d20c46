"""Value streams, exec profiles, assessments and self-assessments."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.mixins import Versioned
from app.models.roles import RoleVersion
from app.models.users import User
from assessments.experience import EXPERIENCE_LEVELS as EXPERIENCE_LEVELS
from assessments.status import ASSESSMENT_STATUSES as ASSESSMENT_STATUSES
from assessments.status import DECISION_LABELS, Fact, status_label, status_of

if TYPE_CHECKING:
    from app.models.coaching import CoachingPlan, InductionChecklist
    from app.models.interviews import Interview

# The hats a value stream team needs around its leader (seed 000).
HATS: dict[str, str] = {
    "product": "Product management",
    "design": "UX and design",
    "engineering": "Engineering",
    "data": "Data and analytics",
    "delivery": "Delivery and agile coaching",
}
DECISIONS: dict[str, str] = DECISION_LABELS


class ValueStream(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """A journey-focused, multi-disciplinary team that needs a Product Director."""

    __tablename__ = "value_stream"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    journey: Mapped[str] = mapped_column(Text, default="")
    business_owner: Mapped[str] = mapped_column(String(120), default="")
    # Function names from the role definition's `functions` list.
    functions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # hat key (HATS) -> name of the person wearing it; empty or missing means the hat is missing.
    hats: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assessments: Mapped[list[Assessment]] = relationship(back_populates="value_stream")

    @property
    def missing_hats(self) -> list[str]:
        """Hat keys with nobody wearing them."""
        return [key for key in HATS if not (self.hats or {}).get(key, "").strip()]


class ExecProfile(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """What an exec brings: current role, area, and experience per function."""

    __tablename__ = "exec_profile"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    current_role: Mapped[str] = mapped_column(String(200), default="")
    business_area: Mapped[str] = mapped_column(String(200), default="")
    # function name -> one of EXPERIENCE_LEVELS
    experience: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class Assessment(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """One exec measured against one pinned role version for one value stream."""

    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint(
            "decision IS NULL OR decision IN ('selected','not-selected','on-hold')",
            name="decision_known",
        ),
        # Undecided assessments, oldest first: the CPO's home names the oldest few waiting for
        # calibration or a decision and stops there instead of reading all of them.
        Index(
            "ix_assessment_undecided",
            "created_at",
            "id",
            sqlite_where=text("decision IS NULL"),
            postgresql_where=text("decision IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role_version_id: Mapped[int] = mapped_column(ForeignKey("role_version.id"), index=True)
    value_stream_id: Mapped[int | None] = mapped_column(ForeignKey("value_stream.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_rationale: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When the self-assessment should be in (a day in the organisation's calendar); None for
    # assessments from before due dates and imported ones.
    self_due_on: Mapped[date | None] = mapped_column(Date)
    # When the CPO closed the stakeholder feedback round; None while it closes by itself (no
    # open invitation left). Stakeholder results show only once it is closed
    # (app/stakeholder_feedback.py).
    stakeholder_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    role_version: Mapped[RoleVersion] = relationship()
    value_stream: Mapped[ValueStream | None] = relationship(back_populates="assessments")
    self_assessment: Mapped[SelfAssessment | None] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    # Panel order is the order people were assigned, so lists of ratings read the same each time.
    interviews: Mapped[list[Interview]] = relationship(
        back_populates="assessment", order_by="Interview.id"
    )
    checklist: Mapped[InductionChecklist | None] = relationship(back_populates="assessment")
    plans: Mapped[list[CoachingPlan]] = relationship(
        back_populates="assessment", order_by="CoachingPlan.number"
    )

    @property
    def status(self) -> str:
        """Where the assessment stands (a key of ASSESSMENT_STATUSES), derived from its records.

        The rules are assessments.status; `status_expression` asks the same ones in SQL.
        List pages must eager-load `self_assessment` and `interviews` to keep queries constant.
        """
        return status_of(self._holds)

    def _holds(self, fact: Fact) -> bool:
        """Whether the records show this fact (one branch per fact of assessments.status)."""
        match fact:
            case Fact.DECISION_RECORDED:
                return self.decision is not None
            case Fact.INTERVIEW_SUBMITTED:
                return any(i.status == "submitted" for i in self.interviews)
            case Fact.INTERVIEW_ASSIGNED:
                return bool(self.interviews)
            case Fact.SELF_SUBMITTED:
                own = self.self_assessment
                return own is not None and own.status == "submitted"
            case Fact.SELF_STARTED:
                return self.self_assessment is not None

    @property
    def status_label(self) -> str:
        """Human name of the status; a decided one says what was decided ("Selected")."""
        return status_label(self.status, self.decision)


class SelfAssessment(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """The exec's own ratings: a draft until submitted; the CPO can reopen it."""

    __tablename__ = "self_assessment"
    __table_args__ = (CheckConstraint("status IN ('draft','submitted')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(10), default="draft")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported: Mapped[bool] = mapped_column(default=False)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="self_assessment")
    ratings: Mapped[list[SelfRating]] = relationship(
        back_populates="self_assessment", cascade="all, delete-orphan"
    )


class SelfRating(db.Model):  # type: ignore[name-defined,misc]
    """One self-rating: level 0-4 (None while unanswered) with evidence."""

    __tablename__ = "self_rating"
    __table_args__ = (
        UniqueConstraint("self_assessment_id", "competency_key", name="uq_self_rating_key"),
        CheckConstraint("level IS NULL OR (level >= 0 AND level <= 4)", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    self_assessment_id: Mapped[int] = mapped_column(
        ForeignKey("self_assessment.id", ondelete="CASCADE"), index=True
    )
    competency_key: Mapped[str] = mapped_column(String(80))
    level: Mapped[int | None]
    evidence: Mapped[str] = mapped_column(Text, default="")

    self_assessment: Mapped[SelfAssessment] = relationship(back_populates="ratings")


class SavedInput(db.Model):  # type: ignore[name-defined,misc]
    """Form input kept when a session or token expired mid-save, restored after signing in."""

    __tablename__ = "saved_input"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
