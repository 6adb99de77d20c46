"""Induction templates and checklists, coaching plans and progress reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.mixins import Versioned
from app.models.people import Assessment
from app.models.users import User


class InductionTemplateRecord(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """An editable induction template; `items` are InductionItem mappings."""

    __tablename__ = "induction_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class InductionChecklist(db.Model):  # type: ignore[name-defined,misc]
    """A selected exec's induction, created from a template at selection."""

    __tablename__ = "induction_checklist"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), unique=True
    )
    template_name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="checklist")
    tasks: Mapped[list[InductionTask]] = relationship(
        back_populates="checklist", order_by="InductionTask.position", cascade="all, delete-orphan"
    )


class InductionTask(db.Model):  # type: ignore[name-defined,misc]
    """One checklist item, ticked by the exec (or its owner) with notes or evidence."""

    __tablename__ = "induction_task"
    __table_args__ = (CheckConstraint("owner IN ('exec','cpo','hr','mentor')", name="owner_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("induction_checklist.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    checklist: Mapped[InductionChecklist] = relationship(back_populates="tasks")
    done_by: Mapped[User | None] = relationship()


class CoachingPlan(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """One numbered version of an exec's coaching plan; issued versions are frozen.

    `content` holds goals, mentor, cadence, load schedule, trade-offs and checkpoints.
    """

    __tablename__ = "coaching_plan"
    __table_args__ = (
        UniqueConstraint("assessment_id", "number", name="uq_coaching_plan_number"),
        CheckConstraint("status IN ('draft','issued','superseded')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="draft")
    start_date: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="plans")
    issued_by: Mapped[User | None] = relationship()
    reviews: Mapped[list[ProgressReview]] = relationship(
        back_populates="plan", order_by="ProgressReview.checkpoint_day"
    )


class ProgressReview(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """A checkpoint review: re-ratings, actual load, and the CPO's decision."""

    __tablename__ = "progress_review"
    __table_args__ = (
        CheckConstraint(
            "decision IS NULL OR decision IN ('continue','extend','pair','return','exit')",
            name="decision_known",
        ),
        CheckConstraint(
            "actual_load_share IS NULL OR (actual_load_share >= 0 AND actual_load_share <= 100)",
            name="load_share_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_plan.id", ondelete="CASCADE"), index=True
    )
    checkpoint_day: Mapped[int]
    held_on: Mapped[date] = mapped_column(Date)
    # competency key -> re-rated level (0-4)
    ratings: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    actual_load_share: Mapped[int | None]
    closed_share: Mapped[float] = mapped_column(default=0.0)
    fail_fast: Mapped[bool] = mapped_column(default=False)
    fail_fast_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(10))
    rationale: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    plan: Mapped[CoachingPlan] = relationship(back_populates="reviews")
    reviewer: Mapped[User | None] = relationship()

    @property
    def awaiting_decision(self) -> bool:
        """A fail-fast warning stays open until the CPO records a decision."""
        return self.fail_fast and self.decision is None


__all__ = [
    "CoachingPlan",
    "InductionChecklist",
    "InductionTask",
    "InductionTemplateRecord",
    "ProgressReview",
]
