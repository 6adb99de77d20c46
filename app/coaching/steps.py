"""Home-page next steps for induction and coaching."""

from __future__ import annotations

from flask import url_for

from app import localtime
from app.coaching import plans, standing
from app.induction import services as induction
from app.models import User
from app.policy import may
from app.steps import NextStep, person, provides_steps


@provides_steps("exec")
def exec_steps(user: User) -> list[NextStep]:
    """The exec's induction progress and their issued coaching plan."""
    steps = []
    on = plans.today()
    for assessment in standing.selected_assessments(candidate_id=user.id):
        if assessment.checklist is not None:
            summary = induction.summarise(assessment.checklist, on)
            steps.append(
                NextStep(
                    f"Induction: {summary.text}",
                    "Work through your induction checklist and tick each item when it is done,"
                    " with a note or evidence.",
                    url_for("induction.show_checklist", assessment_id=assessment.id),
                    urgent=summary.overdue > 0,
                    permission="induction.tick",
                    obj=assessment,
                )
            )
        issued = plans.issued_plan(assessment)
        if issued is not None:
            steps.append(
                NextStep(
                    f"Read your coaching plan v{issued.number}",
                    "Your goals, mentor, the handover of your former role, the trade-offs agreed"
                    " and the checkpoints where progress is reviewed.",
                    url_for("coaching.show_plan", assessment_id=assessment.id),
                    permission="plan.view",
                    obj=issued,
                )
            )
    return steps


@provides_steps("cpo", "hr")
def staff_steps(user: User) -> list[NextStep]:
    """Fail-fast warnings, overdue reviews, drafts and decisions (whoever records reviews and
    edits plans: the CPO); execs behind on induction (whoever helps with it: HR)."""
    cpo = user.role == "cpo"
    steps = []
    overview = url_for("coaching.progress_overview")
    on = plans.today()
    # Plans and reviews only: the induction items are counted in SQL, not loaded. Someone who
    # neither records reviews nor edits plans (HR) has nothing to do here: skip the loading.
    acts = may(user, "review.record") or may(user, "plan.edit")
    for assessment in standing.selected_assessments(stream=False, tasks=False) if acts else []:
        state, name = standing.plan_state(assessment, on), assessment.candidate.name
        for review in state.awaiting_fail_fast:
            steps.append(
                NextStep(
                    f"Fail-fast warning: decide on {name}",
                    f"The day {review.checkpoint_day} review raised a fail-fast warning. "
                    "Record a decision with a rationale to clear it.",
                    url_for(
                        "coaching.show_review", assessment_id=assessment.id, review_id=review.id
                    ),
                    urgent=True,
                    permission="review.record",
                    subject=person(assessment.candidate_id),
                    priority=2,
                )
            )
        overdue = state.overdue
        if overdue:
            checkpoint = overdue[0]
            steps.append(
                NextStep(
                    f"Overdue review: {name}, day {checkpoint.day}",
                    f"The day {checkpoint.day} checkpoint was due on"
                    f" {localtime.format_date(checkpoint.due_on)} and has no review yet.",
                    url_for("coaching.record_review", assessment_id=assessment.id)
                    if state.issued is not None
                    else overview,
                    urgent=True,
                    permission="review.record",
                    subject=person(assessment.candidate_id),
                    priority=1,
                )
            )
        if state.draft is not None:
            steps.append(
                NextStep(
                    f"Issue {name}'s coaching plan v{state.draft.number}",
                    "Check the draft built from the assessment, edit what needs changing, then"
                    " issue it so the exec can read it.",
                    url_for(
                        "coaching.show_plan_version",
                        assessment_id=assessment.id,
                        number=state.draft.number,
                    ),
                    permission="plan.edit",
                    subject=person(assessment.candidate_id),
                )
            )
        for review in state.undecided:
            if review.fail_fast:
                continue
            steps.append(
                NextStep(
                    f"Record a decision on {name}'s day {review.checkpoint_day} review",
                    "Continue, extend, pair, return or exit: record it with a rationale.",
                    url_for(
                        "coaching.show_review", assessment_id=assessment.id, review_id=review.id
                    ),
                    permission="review.record",
                    subject=person(assessment.candidate_id),
                )
            )
    overdue_induction = 0 if cpo else induction.people_with_overdue_items(on)
    if overdue_induction:
        people = "exec has" if overdue_induction == 1 else "execs have"
        steps.append(
            NextStep(
                f"{overdue_induction} {people} overdue induction items",
                "See who is behind on the progress page and help them catch up.",
                overview,
                permission="induction.tick",
            )
        )
    return steps
