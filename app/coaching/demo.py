"""Demo data: exec1 part-way through induction with an issued plan and a day-30 review; exec2
with an issued plan and a day-90 review that raised a fail-fast warning awaiting a decision.

Runs after the selection demo (order 30), which selects both and calls start_after_selection.
If they are not selected (that data missing), this loader does nothing.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app import localtime
from app.coaching import plans
from app.coaching.progress import decide_review, record_review, reviews_of
from app.demo import DemoContext, demo_loader
from app.extensions import db
from app.induction import services as induction
from app.models import Assessment, CoachingPlan, InductionChecklist, User
from assessments.model import round_half_up

EXEC1, EXEC2 = "exec1@example.org", "exec2@example.org"
START_DAYS_AGO = {EXEC1: 100, EXEC2: 95}

_NOTES = (
    "Done. Notes are in my induction log, shared with my coach.",
    "Held as planned; the three actions agreed are in the coaching plan.",
    "Read and discussed with the CPO; questions answered at our next session.",
    "Done, with the slides and notes saved in the value stream's shared folder.",
)


def _at(day: date, hour: int = 10) -> datetime:
    """A working hour of the organisation's day."""
    return datetime.combine(day, time(hour, 0), localtime.zone()).astimezone(UTC)


def _selected(user: User) -> Assessment | None:
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.candidate_id == user.id, Assessment.decision == "selected")
        .order_by(Assessment.id.desc())
        .limit(1)
    )


def _tick_share(checklist: InductionChecklist, share: float, people: dict[str, User]) -> None:
    """Tick the earliest-due items, as the person who owns each, backdated to the due date."""
    if any(task.done for task in checklist.tasks):
        return
    candidate = checklist.assessment.candidate
    owner_people = {
        "exec": candidate,
        "mentor": candidate,
        "cpo": people["cpo@example.org"],
        "hr": people["hr@example.org"],
    }
    tasks = sorted(checklist.tasks, key=lambda t: (t.due_date, t.position))
    for number, task in enumerate(tasks[: round(len(tasks) * share)]):
        actor = owner_people[task.owner]
        induction.tick_task(task, _NOTES[number % len(_NOTES)], actor)
        task.done_at = _at(min(task.due_date, plans.today()))


def _issue(plan: CoachingPlan, cpo: User) -> None:
    if plan.status == "draft":
        plans.issue_plan(plan, expected_version=plan.version, actor=cpo)
        plan.issued_at = _at(plan.start_date + timedelta(days=7))


def _review(
    assessment: Assessment, cpo: User, *, day: int, progress: bool, load: int, notes: str
) -> None:
    plan = plans.issued_plan(assessment)
    if plan is None or reviews_of(assessment):
        return
    goals = plan.content.get("goals", [])
    ratings = {}
    for index, goal in enumerate(goals):
        # Ratings are whole levels: the nearest one to the baseline means "no real change".
        level = int(round_half_up(float(goal["baseline"]), 0))
        if progress and index % 2 == 0:
            level = min(int(goal["target_level"]), math.floor(float(goal["baseline"])) + 1)
        ratings[goal["key"]] = level
    checkpoint_days = [c["day"] for c in plan.content.get("checkpoints", [])]
    if day not in checkpoint_days:
        return
    record_review(
        plan,
        checkpoint_day=day,
        held_on=plan.start_date + timedelta(days=day),
        ratings=ratings,
        actual_load_share=load,
        notes=notes,
        actor=cpo,
    )


@demo_loader(40)
def load_coaching(context: DemoContext) -> None:
    """Induction progress, issued plans and reviews for exec1 and exec2 (once)."""
    cpo = context.people["cpo@example.org"]
    for email in (EXEC1, EXEC2):
        assessment = _selected(context.people[email])
        if assessment is None:
            continue
        if assessment.checklist is None or not assessment.plans:
            start = plans.today() - timedelta(days=START_DAYS_AGO[email])
            plans.start_after_selection(assessment, start, cpo)
        _date_the_start(assessment)
        if assessment.checklist is not None:
            _tick_share(assessment.checklist, 0.6 if email == EXEC1 else 0.35, context.people)
        _issue(assessment.plans[0], cpo)
        if email == EXEC1:
            _review(
                assessment,
                cpo,
                day=30,
                progress=True,
                load=55,
                notes="Settling in well. The P&L walkthrough landed; stakeholder tension is the"
                " area to watch. First handover from the former role done on time.",
            )
            review = reviews_of(assessment)[-1] if reviews_of(assessment) else None
            if review is not None and review.decision is None:
                decide_review(
                    review,
                    decision="continue",
                    rationale="Early signs are good and the plan is on track. Continue as planned"
                    " and look again at day 90.",
                    expected_version=review.version,
                    actor=cpo,
                )
        else:
            _review(
                assessment,
                cpo,
                day=90,
                progress=False,
                load=50,
                notes="Little visible change since selection. Still spending half the week on the"
                " former function; prioritisation decisions are escalated to me.",
            )
        _date_the_reviews(assessment)
    db.session.flush()


def _date_the_start(assessment: Assessment) -> None:
    """The checklist and first draft plan were made when the CPO recorded the decision."""
    if assessment.decided_at is None:
        return
    if assessment.checklist is not None:
        assessment.checklist.created_at = assessment.decided_at
    if assessment.plans:
        first = min(assessment.plans, key=lambda p: p.number)
        first.created_at = assessment.decided_at


def _date_the_reviews(assessment: Assessment) -> None:
    """A review is written up the afternoon it is held and decided on the next morning."""
    for review in reviews_of(assessment):
        review.created_at = _at(review.held_on, 16)
        if review.decided_at is not None:
            review.decided_at = _at(review.held_on + timedelta(days=1))
