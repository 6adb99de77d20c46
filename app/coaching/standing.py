"""Where each exec stands: checkpoints, plan state, load by month, and the progress overview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Executable, bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from app.coaching.plans import (
    PLAN_STATUS_LABELS,
    draft_plan,
    issued_plan,
    latest_plan,
    month_of,
    today,
)
from app.coaching.progress import review_day, reviews_of
from app.extensions import db
from app.induction import services as induction
from app.models import Assessment, CoachingPlan, InductionChecklist, ProgressReview
from app.statements import prebuilt
from assessments.induction import due_date
from assessments.progress import plan_ended

# --- where each exec stands -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointStatus:
    """One checkpoint of the plan in force, with its date and review."""

    day: int
    title: str
    success_criteria: list[str]
    due_on: date
    review: ProgressReview | None
    state: str  # reviewed, skipped, overdue, due, closed

    @property
    def overdue(self) -> bool:
        """The date has passed and no review was recorded."""
        return self.state == "overdue"


def checkpoint_statuses(
    plan: CoachingPlan, reviews: Sequence[ProgressReview], on: date, *, closed: bool = False
) -> list[CheckpointStatus]:
    """Each checkpoint of `plan`: reviewed, skipped (a later one was reviewed), overdue or due."""
    by_day = {r.checkpoint_day: r for r in reviews}
    last_reviewed = max(by_day, default=0)
    statuses = []
    for checkpoint in sorted(plan.content.get("checkpoints", []), key=lambda c: c["day"]):
        day = int(checkpoint["day"])
        due_on = due_date(plan.start_date, day)
        review = by_day.get(day)
        if review is not None:
            state = "reviewed"
        elif day < last_reviewed:
            state = "skipped"
        elif closed:
            state = "closed"
        elif on > due_on:
            state = "overdue"
        else:
            state = "due"
        statuses.append(
            CheckpointStatus(
                day=day,
                title=checkpoint.get("title", f"Day {day}"),
                success_criteria=list(checkpoint.get("success_criteria", [])),
                due_on=due_on,
                review=review,
                state=state,
            )
        )
    return statuses


@dataclass(frozen=True)
class PlanState:
    """Where an exec's coaching stands: versions, reviews, next checkpoint and warnings."""

    latest: CoachingPlan | None
    issued: CoachingPlan | None
    draft: CoachingPlan | None
    reviews: list[ProgressReview]
    checkpoints: list[CheckpointStatus]
    exited: bool

    @property
    def next_checkpoint(self) -> CheckpointStatus | None:
        """The first checkpoint still to review."""
        return next((c for c in self.checkpoints if c.state in ("due", "overdue")), None)

    @property
    def overdue(self) -> list[CheckpointStatus]:
        """Checkpoints whose date passed with no review."""
        return [c for c in self.checkpoints if c.overdue]

    @property
    def awaiting_fail_fast(self) -> list[ProgressReview]:
        """Reviews with a fail-fast warning and no decision yet."""
        return [r for r in self.reviews if r.awaiting_decision]

    @property
    def undecided(self) -> list[ProgressReview]:
        """Reviews without a decision (with or without a warning)."""
        return [r for r in self.reviews if r.decision is None]

    @property
    def status_text(self) -> str:
        """E.g. 'v1 issued', 'v2 draft (v1 issued)', 'v1 draft'."""
        if self.latest is None:
            return "No plan yet"
        text = f"v{self.latest.number} {PLAN_STATUS_LABELS[self.latest.status].lower()}"
        if self.draft is not None and self.issued is not None:
            text += f" (v{self.issued.number} issued)"
        return text


def plan_state(assessment: Assessment, on: date | None = None) -> PlanState:
    """Summarise an exec's plans and reviews from loaded relationships (no extra queries)."""
    on = on or today()
    latest = latest_plan(assessment)
    issued = issued_plan(assessment)
    reviews = reviews_of(assessment)
    exited = plan_ended([r.decision for r in reviews])
    in_force = issued or latest
    checkpoints = (
        checkpoint_statuses(in_force, reviews, on, closed=exited) if in_force is not None else []
    )
    return PlanState(
        latest=latest,
        issued=issued,
        draft=draft_plan(assessment),
        reviews=reviews,
        checkpoints=checkpoints,
        exited=exited,
    )


def load_months(plan: CoachingPlan, reviews: Sequence[ProgressReview]) -> list[dict[str, Any]]:
    """The load schedule month by month with the actual share recorded at reviews in that month."""
    actual: dict[int, int] = {}
    for review in reviews:
        if review.actual_load_share is not None:
            actual[month_of(review_day(plan, review.held_on))] = review.actual_load_share
    return [
        {
            "month": step["month"],
            "planned_share": step["planned_share"],
            "actual_share": actual.get(step["month"]),
        }
        for step in plan.content.get("load_schedule", [])
    ]


@prebuilt
def _selected(one_candidate: bool, stream: bool, tasks: bool) -> Executable:
    # Joined, not select-in: a few execs with a few plans and reviews each come back in one
    # query, and a select-in load costs more to set up than the rows it saves.
    options = [
        joinedload(Assessment.candidate),
        joinedload(Assessment.plans).joinedload(CoachingPlan.reviews),
    ]
    if stream:
        options.append(joinedload(Assessment.value_stream))
    if tasks:
        options.append(selectinload(Assessment.checklist).selectinload(InductionChecklist.tasks))
    query = (
        select(Assessment)
        .where(Assessment.decision == "selected")
        .options(*options)
        .order_by(Assessment.id)
    )
    if one_candidate:
        query = query.where(Assessment.candidate_id == bindparam("candidate_id"))
    return query


def selected_assessments(
    candidate_id: int | None = None, *, stream: bool = True, tasks: bool = True
) -> list[Assessment]:
    """Selected execs with their plans and reviews (what `plan_state` needs), their value
    stream and induction checklist unless left out, in a fixed number of queries."""
    query = _selected(candidate_id is not None, stream, tasks)
    params = {"candidate_id": candidate_id} if candidate_id is not None else {}
    assessments = list(db.session.scalars(query, params).unique())
    return sorted(assessments, key=lambda a: a.candidate.name.lower())


@dataclass(frozen=True)
class ExecProgress:
    """One row of the progress overview."""

    assessment: Assessment
    induction: induction.ChecklistSummary | None
    plan: PlanState


def progress_overview(on: date | None = None) -> list[ExecProgress]:
    """Every selected exec: induction, plan status, next checkpoint and warnings."""
    on = on or today()
    # Induction progress is counted in SQL: loading every item of every checklist was most
    # of this page's time.
    summaries = induction.summaries_of_selected(on)
    return [
        ExecProgress(assessment=a, induction=summaries.get(a.id), plan=plan_state(a, on))
        for a in selected_assessments(tasks=False)
    ]
