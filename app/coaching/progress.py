"""Progress reviews of an issued plan: recording them, deciding on them, summarising them."""

from __future__ import annotations

from datetime import date
from typing import Any

from app import audit, localtime
from app.coaching.plans import PlanError, _check_version
from app.extensions import db
from app.models import Assessment, CoachingPlan, ProgressReview, User
from app.models.base import utcnow
from app.notifications import events, mark_done
from app.notifications.due_notices import review_done_key
from assessments.model import round_half_up
from assessments.progress import (
    REVIEW_DECISION_LABELS,
    REVIEW_DECISIONS,
    GoalProgressInput,
    ProgressSummary,
    progress_summary,
)

# --- progress -------------------------------------------------------------------------------


def progress_inputs(content: dict[str, Any], ratings: dict[str, int]) -> list[GoalProgressInput]:
    """The plan's goals with a review's re-ratings, as the fail-fast rule reads them."""
    return [
        GoalProgressInput(
            key=goal["key"],
            name=goal["name"],
            weight=float(goal["weight"]),
            required_level=int(goal["target_level"]),
            must_have=bool(goal["must_have"]),
            baseline=float(goal["baseline"]),
            current=(None if ratings.get(goal["key"]) is None else float(ratings[goal["key"]])),
        )
        for goal in content.get("goals", [])
    ]


def review_day(plan: CoachingPlan, held_on: date) -> int:
    """Days since the plan started."""
    return (held_on - plan.start_date).days


def review_summary(review: ProgressReview) -> ProgressSummary:
    """Gap closed per goal and overall, and the fail-fast outcome, for a recorded review."""
    return progress_summary(
        progress_inputs(review.plan.content, review.ratings),
        review_day(review.plan, review.held_on),
    )


def percent(share: float) -> str:
    """0.243 -> '24.3%'; 0.25 -> '25%'."""
    text = f"{round_half_up(share * 100, 1):.1f}"
    return text.removesuffix(".0") + "%"


def reviews_of(assessment: Assessment) -> list[ProgressReview]:
    """Every review across the plan's versions, oldest first."""
    reviews = [r for p in assessment.plans for r in p.reviews]
    return sorted(reviews, key=lambda r: (r.held_on, r.id or 0))


def record_review(
    plan: CoachingPlan,
    *,
    checkpoint_day: int,
    held_on: date,
    ratings: dict[str, int],
    actual_load_share: int,
    notes: str,
    actor: User | None,
) -> ProgressReview:
    """Record a checkpoint review: re-ratings, actual load share, notes; computes fail-fast."""
    if plan.status != "issued":
        raise PlanError("Reviews are recorded against the issued plan.")
    days = [c["day"] for c in plan.content.get("checkpoints", [])]
    if checkpoint_day not in days:
        raise PlanError(f"Day {checkpoint_day} is not a checkpoint of plan v{plan.number}.")
    done = next(
        (r for r in reviews_of(plan.assessment) if r.checkpoint_day == checkpoint_day), None
    )
    if done is not None:
        raise PlanError(
            f"The day {checkpoint_day} checkpoint already has a review, held on"
            f" {localtime.format_date(done.held_on)}."
        )
    goal_keys = {g["key"] for g in plan.content.get("goals", [])}
    if set(ratings) != goal_keys:
        raise PlanError("Re-rate every goal of the plan.")
    summary = progress_summary(progress_inputs(plan.content, ratings), review_day(plan, held_on))
    review = ProgressReview(
        plan=plan,
        checkpoint_day=checkpoint_day,
        held_on=held_on,
        ratings=dict(ratings),
        actual_load_share=actual_load_share,
        closed_share=summary.closed_share,
        fail_fast=summary.fail_fast,
        fail_fast_reasons=list(summary.fail_fast_reasons),
        notes=notes.strip(),
        reviewer=actor,
    )
    db.session.add(review)
    db.session.flush()
    mark_done(review_done_key(plan.assessment, checkpoint_day))
    audit.record(
        "review.record",
        f"Day {checkpoint_day} review of {plan.assessment.candidate.name}:"
        f" {percent(summary.closed_share)}"
        " of the weighted gap closed" + ("; fail-fast warning raised" if summary.fail_fast else ""),
        obj=review,
        actor=actor,
        new={
            "checkpoint_day": checkpoint_day,
            "held_on": held_on.isoformat(),
            "ratings": dict(ratings),
            "actual_load_share": actual_load_share,
            "closed_share": summary.closed_share,
            "fail_fast": summary.fail_fast,
            "fail_fast_reasons": list(summary.fail_fast_reasons),
        },
    )
    events.review_recorded(review, actor)
    return review


def decide_review(
    review: ProgressReview,
    *,
    decision: str,
    rationale: str,
    expected_version: int | None,
    actor: User | None,
) -> None:
    """Record the CPO's decision and rationale; this clears a fail-fast warning."""
    if decision not in REVIEW_DECISIONS:
        raise PlanError(
            "Select a decision: continue, extend, pair, return to the former role, or exit."
        )
    if not rationale.strip():
        raise PlanError("Enter a rationale for the decision")
    if review.decision is not None:
        raise PlanError("A decision has already been recorded for this review.")
    _check_version(review, expected_version)
    review.decision = decision
    review.rationale = rationale.strip()
    review.decided_at = utcnow()
    if review.reviewer is None:
        review.reviewer = actor
    db.session.flush()
    audit.record(
        "review.decide",
        f"Day {review.checkpoint_day} review of {review.plan.assessment.candidate.name}:"
        f" {REVIEW_DECISION_LABELS[decision]}",
        obj=review,
        actor=actor,
        old={"decision": None, "fail_fast": review.fail_fast},
        new={"decision": decision, "rationale": review.rationale},
    )
    events.review_decided(review)
