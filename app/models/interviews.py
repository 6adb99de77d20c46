"""Panel interviews, their ratings, and the CPO's calibration notes."""

from __future__ import annotations

from datetime import date, datetime

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.mixins import Versioned
from app.models.people import Assessment
from app.models.users import User

RECOMMENDATIONS: dict[str, str] = {
    "strong-no": "Strong no",
    "no": "No",
    "yes": "Yes",
    "strong-yes": "Strong yes",
}


# The states of an interview (the table's check constraint names the same two).
INTERVIEW_STATUSES = ("draft", "submitted")


class Interview(Versioned, db.Model):  # type: ignore[name-defined,misc]
    """One panel member's interview of one candidate: a draft until submitted."""

    __tablename__ = "interview"
    __table_args__ = (
        UniqueConstraint("assessment_id", "interviewer_id", name="uq_interview_panel_member"),
        CheckConstraint("status IN ('draft','submitted')", name="status_known"),
        CheckConstraint(
            "recommendation IS NULL OR recommendation IN ('strong-no','no','yes','strong-yes')",
            name="recommendation_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    strengths: Mapped[str] = mapped_column(Text, default="")
    weaknesses: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str | None] = mapped_column(String(12))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported: Mapped[bool] = mapped_column(default=False)
    # Competency keys this member must cover (their focus areas); None for interviews from
    # before focus areas, whose kits show every competency alike.
    focus: Mapped[list[str] | None] = mapped_column(JSON)
    # When the ratings should be in (organisation's calendar day); None before due dates.
    due_on: Mapped[date | None] = mapped_column(Date)
    # When and where the interview takes place, if arranged (UTC; shown in local time).
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200), default="", server_default="")

    assessment: Mapped[Assessment] = relationship(back_populates="interviews")
    interviewer: Mapped[User] = relationship()
    ratings: Mapped[list[InterviewRating]] = relationship(
        back_populates="interview", cascade="all, delete-orphan"
    )


class InterviewRating(db.Model):  # type: ignore[name-defined,misc]
    """A rating 0-4 for one competency with evidence notes.

    `level` is None when the competency was not rated: `not_assessed` tells an explicit
    "not assessed" from a draft's not-yet-answered rating (which may already carry notes).
    """

    __tablename__ = "interview_rating"
    __table_args__ = (
        UniqueConstraint("interview_id", "competency_key", name="uq_interview_rating_key"),
        CheckConstraint("level IS NULL OR (level >= 0 AND level <= 4)", name="level_range"),
        CheckConstraint("NOT (not_assessed AND level IS NOT NULL)", name="not_assessed_no_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), index=True
    )
    competency_key: Mapped[str] = mapped_column(String(80))
    level: Mapped[int | None]
    not_assessed: Mapped[bool] = mapped_column(default=False, server_default=false())
    notes: Mapped[str] = mapped_column(Text, default="")

    interview: Mapped[Interview] = relationship(back_populates="ratings")


class CalibrationNote(db.Model):  # type: ignore[name-defined,misc]
    """The CPO's note on one competency after comparing the panel; raw ratings stay as they are."""

    __tablename__ = "calibration_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    competency_key: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
