"""Induction checklists, coaching plans and progress reviews.

Coaching plan content
---------------------
`CoachingPlan.content` is a JSON mapping (schema 1). Every version carries the whole plan, so
an issued version never depends on a later one::

    {
      "schema": 1,
      "role": {"key": "product-director", "name": "Product Director ...", "version": 1},
      "goals": [                       # must-haves first, then weight x gap, largest first
        {"key": "value-and-pnl", "name": "...", "lens": "value", "must_have": true,
         "weight": 3.0, "baseline": 1.5, "target_level": 3, "gap": 1.5,
         "actions": ["...", "..."],   # 2 or 3 development actions
         "progress_evidence": "..."}  # how progress will be seen
      ],
      "gather_evidence": [             # competencies the panel did not assess
        {"key": "...", "name": "...", "lens": "...", "must_have": false, "weight": 1.0,
         "required_level": 2}
      ],
      "mentor": {"kind": "cpo" | "external", "name": "Priya Raman",
                 "cadence": "Fortnightly, 60 minutes"},
      "load_schedule": [{"month": 1, "planned_share": 60}, ...],   # 6 to 12 months
      "tradeoffs": [{"area": "...", "expected_impact": "...", "risk": "...",
                     "mitigation": "..."}],
      "checkpoints": [{"day": 30, "title": "...", "success_criteria": ["...", ...]}]
    }

`planned_share` is the percentage of the exec's time still on their former role in that
month; the actual share is recorded on each ProgressReview. A review's day is `held_on` minus
the plan's `start_date`; month n covers days 30(n-1)+1 to 30n.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import Executable, bindparam, select
from sqlalchemy.orm import configure_mappers, joinedload, selectinload

from app import audit
from app.extensions import db
from app.induction import services as induction
from app.models import (
    Assessment,
    CoachingPlan,
    InductionChecklist,
    ProgressReview,
    User,
)
from app.models.base import utcnow
from app.scores import score_for
from app.statements import prebuilt
from app.transactions import DomainError, StaleEdit
from assessments.induction import due_date
from assessments.model import round_half_up
from assessments.plans import (
    REVIEW_DECISION_LABELS,
    REVIEW_DECISIONS,
    GoalInput,
    GoalProgressInput,
    ProgressSummary,
    default_checkpoints,
    default_load_schedule,
    default_tradeoffs,
    generate_goals,
    load_action_library,
    progress_summary,
    unassessed,
)

PLAN_SCHEMA = 1
DEFAULT_CADENCE = "Fortnightly, 60 minutes"
DEFAULT_CHECKPOINT_DAYS = (30, 90, 180)
PLAN_STATUS_LABELS = {"draft": "Draft", "issued": "Issued", "superseded": "Superseded"}
MENTOR_KINDS = {"cpo": "The Chief Product Officer", "external": "A named external coach"}


class PlanError(DomainError):
    """A plan or review change that cannot be made as asked; the message says why."""


class StalePlanError(StaleEdit):
    """Someone saved the plan or review after this person opened it."""


def today() -> date:
    """The date used for due dates and overdue checkpoints."""
    return induction.today()


def month_of(day: int) -> int:
    """The plan month a day falls in: days 1-30 are month 1, 31-60 month 2, and so on."""
    return max(1, (day + 29) // 30)


def cpo_name() -> str:
    """The name of the organisation's Chief Product Officer (the default mentor)."""
    name = db.session.scalar(
        select(User.name).where(User.role == "cpo", User.active).order_by(User.id).limit(1)
    )
    return name or "The Chief Product Officer"


# --- generation -----------------------------------------------------------------------------


def goal_inputs(assessment: Assessment) -> list[GoalInput]:
    """The role's competencies with the panel's consolidated level, from the assessment's score."""
    result = score_for(assessment)
    return [
        GoalInput(
            key=c.key,
            name=c.name,
            lens=c.lens,
            weight=c.weight,
            required_level=c.required,
            must_have=c.must_have,
            panel=c.panel,
        )
        for c in result.competencies
    ]


def build_plan_content(
    assessment: Assessment,
    *,
    mentor_name: str,
    checkpoint_days: Sequence[int] = DEFAULT_CHECKPOINT_DAYS,
) -> dict[str, Any]:
    """A draft plan generated from the assessment's scoring (see the module docstring)."""
    inputs = goal_inputs(assessment)
    goals = generate_goals(inputs, load_action_library())
    version = assessment.role_version
    return {
        "schema": PLAN_SCHEMA,
        "role": {
            "key": version.definition.key,
            "name": version.content.get("name", version.definition.name),
            "version": version.number,
        },
        "goals": [dataclasses.asdict(goal) for goal in goals],
        "gather_evidence": [
            {
                "key": item.key,
                "name": item.name,
                "lens": item.lens,
                "must_have": item.must_have,
                "weight": item.weight,
                "required_level": item.required_level,
            }
            for item in sorted(unassessed(inputs), key=lambda i: not i.must_have)
        ],
        "mentor": {"kind": "cpo", "name": mentor_name, "cadence": DEFAULT_CADENCE},
        "load_schedule": [dataclasses.asdict(step) for step in default_load_schedule()],
        "tradeoffs": [dataclasses.asdict(t) for t in default_tradeoffs()],
        "checkpoints": [dataclasses.asdict(c) for c in default_checkpoints(checkpoint_days)],
    }


def _checkpoint_days() -> tuple[int, ...]:
    return tuple(current_app.config.get("COACHING_CHECKPOINT_DAYS", DEFAULT_CHECKPOINT_DAYS))


def start_after_selection(assessment: Assessment, start_date: date, actor: User | None) -> None:
    """Create the exec's induction checklist and a draft coaching plan once they are selected.

    Interface agreed between areas; safe to call again: whatever already exists is kept.
    """
    if assessment.checklist is None:
        record = induction.ensure_default_template(actor)
        induction.create_checklist(assessment, start_date, record, actor)
    if not assessment.plans:
        mentor = actor.name if actor is not None and actor.role == "cpo" else cpo_name()
        content = build_plan_content(
            assessment, mentor_name=mentor, checkpoint_days=_checkpoint_days()
        )
        plan = CoachingPlan(
            assessment=assessment,
            number=1,
            status="draft",
            start_date=start_date,
            content=content,
        )
        db.session.add(plan)
        db.session.flush()
        audit.record(
            "plan.create",
            f"Draft coaching plan v1 generated for {assessment.candidate.name}"
            f" ({len(content['goals'])} goals)",
            obj=plan,
            actor=actor,
            new={"number": 1, "status": "draft", "goals": [g["key"] for g in content["goals"]]},
        )


# --- plan versions --------------------------------------------------------------------------


def plan_by_number(assessment: Assessment, number: int) -> CoachingPlan | None:
    """One version of the exec's plan."""
    return next((p for p in assessment.plans if p.number == number), None)


def latest_plan(assessment: Assessment) -> CoachingPlan | None:
    """The newest version, draft or not."""
    return assessment.plans[-1] if assessment.plans else None


def issued_plan(assessment: Assessment) -> CoachingPlan | None:
    """The version in force: the newest issued one."""
    issued = [p for p in assessment.plans if p.status == "issued"]
    return issued[-1] if issued else None


def draft_plan(assessment: Assessment) -> CoachingPlan | None:
    """The draft being prepared, if any."""
    latest = latest_plan(assessment)
    return latest if latest is not None and latest.status == "draft" else None


def _check_version(record: CoachingPlan | ProgressReview, expected: int | None) -> None:
    if expected is None or expected != record.version:
        raise StalePlanError()


def update_draft(
    plan: CoachingPlan, content: dict[str, Any], *, expected_version: int | None, actor: User | None
) -> None:
    """Save the CPO's edits to a draft plan (issued versions are frozen)."""
    if plan.status != "draft":
        raise PlanError(
            f"Version {plan.number} has been issued and cannot be changed."
            " Start a new version to make changes."
        )
    _check_version(plan, expected_version)
    old = plan.content
    changed = sorted(k for k in set(old) | set(content) if old.get(k) != content.get(k))
    plan.content = dict(content)
    db.session.flush()
    audit.record(
        "plan.edit",
        f"Coaching plan v{plan.number} for {plan.assessment.candidate.name} edited"
        + (f" ({', '.join(changed)})" if changed else " (no changes)"),
        obj=plan,
        actor=actor,
        old={k: old.get(k) for k in changed},
        new={k: content.get(k) for k in changed},
    )


def issue_plan(plan: CoachingPlan, *, expected_version: int | None, actor: User | None) -> None:
    """Freeze a draft as the plan in force; the version it replaces becomes superseded."""
    if plan.status != "draft":
        raise PlanError(f"Version {plan.number} has already been issued.")
    _check_version(plan, expected_version)
    if not plan.content.get("checkpoints"):
        raise PlanError("Add at least one checkpoint before issuing the plan.")
    for other in plan.assessment.plans:
        if other.status == "issued" and other is not plan:
            other.status = "superseded"
            audit.record(
                "plan.supersede",
                f"Coaching plan v{other.number} for {plan.assessment.candidate.name} superseded"
                f" by v{plan.number}",
                obj=other,
                actor=actor,
                old={"status": "issued"},
                new={"status": "superseded"},
            )
    plan.status = "issued"
    plan.issued_at = utcnow()
    plan.issued_by = actor
    db.session.flush()
    audit.record(
        "plan.issue",
        f"Coaching plan v{plan.number} for {plan.assessment.candidate.name} issued",
        obj=plan,
        actor=actor,
        old={"status": "draft"},
        new={"status": "issued", "content": plan.content},
    )


def revise_plan(plan: CoachingPlan, actor: User | None) -> CoachingPlan:
    """Start the next draft version from an issued plan; returns the draft (existing or new)."""
    assessment = plan.assessment
    draft = draft_plan(assessment)
    if draft is not None:
        return draft
    if plan.status != "issued":
        raise PlanError(
            f"Version {plan.number} is {plan.status}: start new versions from the one in force."
        )
    number = max(p.number for p in assessment.plans) + 1
    new = CoachingPlan(
        assessment=assessment,
        number=number,
        status="draft",
        start_date=plan.start_date,
        content=copy.deepcopy(plan.content),
    )
    db.session.add(new)
    db.session.flush()
    audit.record(
        "plan.create",
        f"Coaching plan v{number} for {assessment.candidate.name} started from v{plan.number}",
        obj=new,
        actor=actor,
        new={"number": number, "status": "draft", "from": plan.number},
    )
    return new


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
            f" {done.held_on.isoformat()}."
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
        raise PlanError("Select a decision: continue, extend the plan, or exit.")
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
    exited = any(r.decision == "exit" for r in reviews)
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
    configure_mappers()  # the backrefs `checklist` and `plans` exist once mappers are configured
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
