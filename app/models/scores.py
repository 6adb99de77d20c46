"""The stored score of each assessment: what lists read and sort by instead of scoring."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class ScoreSnapshot(db.Model):  # type: ignore[name-defined,misc]
    """One assessment's score as `assessments.scoring` works it out from its evidence, stored in
    the transaction that changed that evidence (app/score_snapshots.py keeps it so).

    Band and readiness are columns so lists rank in SQL; the per-competency detail (panel and
    self level, gap, flags) is JSON, read only by the pages that show it.
    """

    __tablename__ = "score_snapshot"
    __table_args__ = (
        CheckConstraint(
            "band IN ('ready-now','ready-with-support','not-yet-ready','insufficient-evidence')",
            name="band_known",
        ),
        # The shortlist's order: band first, then readiness (highest first).
        Index("ix_score_snapshot_rank", "band_rank", "readiness"),
        # The panel counts alone, so counting who is waiting for the CPO reads this small index
        # rather than each snapshot's row with its JSON.
        Index(
            "ix_score_snapshot_panel",
            "assessment_id",
            "interviews_submitted",
            "interviews_assigned",
        ),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True
    )
    # The version scored against: a re-pinned assessment with an old snapshot shows up in checks.
    role_version_id: Mapped[int] = mapped_column(ForeignKey("role_version.id"))
    readiness: Mapped[float]
    band: Mapped[str] = mapped_column(String(30))
    # Position of the band in assessments.scoring.BANDS: 0 is "ready now".
    band_rank: Mapped[int]
    coverage: Mapped[float]
    must_have_gap_sum: Mapped[float]
    # lens -> readiness of the lens, None when none of its competencies is assessed
    lenses: Mapped[dict[str, float | None]] = mapped_column(JSON)
    must_have_unmet: Mapped[list[str]] = mapped_column(JSON)
    must_have_unassessed: Mapped[list[str]] = mapped_column(JSON)
    # flag -> competency keys carrying it, e.g. {"calibrate": ["value-and-pnl"]}
    flags: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    # One mapping per competency in role order: key, name, lens, weight, required, must_have,
    # self, ratings, panel, gap, attainment, flags, stakeholder, stakeholder_count
    # (assessments.scoring.CompetencyScore).
    competencies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The evidence counted: interviews on the panel and submitted, real panel ratings (not
    # "not assessed"), whether the self-assessment is submitted, the latest interview submission.
    interviews_assigned: Mapped[int]
    interviews_submitted: Mapped[int]
    panel_ratings: Mapped[int]
    self_submitted: Mapped[bool]
    last_interview_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stakeholders who submitted their view (imported ones included); it never moves the score.
    stakeholder_responses: Mapped[int] = mapped_column(default=0, server_default="0")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = ["ScoreSnapshot"]
