"""Home-page next steps for induction and coaching."""

from __future__ import annotations

from flask import url_for

from app import localtime
from app.coaching import plans, standing
from app.induction import services as induction
from app.models import User
from app.steps import NextStep, provides_steps


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
                )
            )
    return steps


@provides_steps("cpo", "hr")
def staff_steps(user: User) -> list[NextStep]:
    """Overdue reviews and fail-fast warnings (CPO and HR); drafts and decisions (CPO)."""
    cpo = user.role == "cpo"
    steps = []
    overview = url_for("coaching.progress_overview")
    on = plans.today()
    # Plans and reviews only: the induction items are counted in SQL, not loaded.
    for assessment in standing.selected_assessments(stream=False, tasks=False):
        state, name = standing.plan_state(assessment, on), assessment.candidate.name
        for review in state.awaiting_fail_fast:
            steps.append(
                NextStep(
                    f"Fail-fast warning: decide on {name}",
                    f"The day {review.checkpoint_day} review raised a fail-fast warning. "
                    + (
                        "Record a decision with a rationale to clear it."
                        if cpo
                        else "It stays open until the CPO records a decision."
                    ),
                    url_for(
                        "coaching.show_review", assessment_id=assessment.id, review_id=review.id
                    ),
                    urgent=True,
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
                    if cpo and state.issued is not None
                    else overview,
                    urgent=True,
                )
            )
        if cpo and state.draft is not None:
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
                )
            )
        if cpo:
            for review in state.undecided:
                if review.fail_fast:
                    continue
                steps.append(
                    NextStep(
                        f"Record a decision on {name}'s day {review.checkpoint_day} review",
                        "Continue, extend the plan, or exit: record it with a rationale.",
                        url_for(
                            "coaching.show_review", assessment_id=assessment.id, review_id=review.id
                        ),
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
            )
        )
    return steps
