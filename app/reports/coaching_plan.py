"""A coaching plan as a document, built for its viewer (an exec's own plan has no CPO notes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.models import CoachingPlan
from app.policy import may
from app.reports.documents import Document, HeldBack, _document, data_as_of, slug

# --- coaching plan ---------------------------------------------------------------------------


def plan_context(plan: CoachingPlan, on: date, *, private: bool) -> dict[str, Any]:
    """What the coaching plan document shows, from one loaded plan. Without `private` (the
    exec's own copy) it holds what the plan page shows an exec: no review notes, rationale,
    fail-fast reasons or reviewer names."""
    from app.coaching import plans, progress, standing
    from app.induction import services as induction
    from assessments.induction import OWNER_LABELS, is_overdue
    from assessments.progress import REVIEW_DECISION_LABELS, goal_movement, plan_ended

    assessment = plan.assessment
    content = plans.read_content(plan.content)
    reviews = progress.reviews_of(assessment)
    own_reviews = [r for r in reviews if r.plan_id == plan.id]
    latest_ratings: dict[str, tuple[int, int]] = {}
    for review in reviews:
        for key, level in (review.ratings or {}).items():
            latest_ratings[key] = (level, review.checkpoint_day)
    goals = []
    for goal in content.get("goals", []):
        current = latest_ratings.get(goal["key"])
        movement = None
        if current is not None:
            (moved,) = progress.progress_inputs({"goals": [goal]}, {goal["key"]: current[0]})
            movement = goal_movement(moved)
        goals.append({**goal, "current": current, "movement": movement})
    checkpoints = standing.checkpoint_statuses(
        plan, reviews, on, closed=plan_ended([r.decision for r in reviews])
    )
    checklist = assessment.checklist
    induction_summary = induction.summarise(checklist, on) if checklist is not None else None
    groups = induction.grouped_tasks(checklist) if checklist is not None else []
    history = []
    names = {g["key"]: g["name"] for g in content.get("goals", [])}
    for review in reviews:
        summary = progress.review_summary(review)
        row: dict[str, Any] = {
            "day": review.checkpoint_day,
            "held_on": review.held_on,
            "closed_share": review.closed_share,
            # A goal rated below its baseline is a regression, which a share closed cannot show.
            "went_back": [f"{names.get(k, k)} {summary.movements[k]}" for k in summary.went_back],
            "actual_load_share": review.actual_load_share,
            "plan_number": review.plan.number,
            "decision": REVIEW_DECISION_LABELS.get(review.decision or "", "Not decided yet"),
        }
        if private:  # the exec's copy never carries the CPO's working notes
            row.update(
                fail_fast=review.fail_fast,
                fail_fast_reasons=list(review.fail_fast_reasons or []),
                notes=review.notes,
                rationale=review.rationale,
                reviewer=review.reviewer.name if review.reviewer else "",
            )
        history.append(row)
    mentor = content.get("mentor") or {}
    latest_closed = own_reviews[-1].closed_share if own_reviews else None
    return {
        "plan": plan,
        "content": content,
        "assessment": assessment,
        "candidate": assessment.candidate,
        "stream": assessment.value_stream,
        "version": assessment.role_version,
        "goals": goals,
        "must_have_goals": [g for g in goals if g.get("must_have")],
        "gather_evidence": content.get("gather_evidence", []),
        "mentor": mentor,
        "decider": content["decider"],
        "mentor_also_decides": plans.mentor_also_decides(content),
        "decision_labels": REVIEW_DECISION_LABELS,
        "stretch": content["stretch"],
        "mentor_kind": plans.MENTOR_KINDS.get(mentor.get("kind", ""), ""),
        "load_months": standing.load_months(plan, reviews),
        "tradeoffs": content.get("tradeoffs", []),
        "checkpoints": checkpoints,
        "next_checkpoint": next((c for c in checkpoints if c.state in ("due", "overdue")), None),
        "induction": induction_summary,
        "task_groups": groups,
        "owner_labels": OWNER_LABELS,
        "is_overdue": lambda task: is_overdue(task.due_date, task.done, on),
        "history": history,
        "latest_closed": latest_closed,
        "status_label": plans.PLAN_STATUS_LABELS.get(plan.status, plan.status),
        "awaiting": [r for r in reviews if r.awaiting_decision] if private else [],
        "private": private,
    }


def plan_as_of(plan: CoachingPlan) -> datetime | None:
    """The last change to what the plan document shows: this version, its assessment, stream
    and role version, every review of the assessment's plans, the induction checklist.

    Checkpoints and induction items turning overdue are changes of date, not of data: the
    daily sweep re-renders them (app/reports/prerender.py) without moving this time."""
    assessment = plan.assessment
    checklist = assessment.checklist
    return data_as_of(
        plan.updated_at,
        assessment.updated_at,
        assessment.value_stream.updated_at if assessment.value_stream else None,
        assessment.role_version.updated_at,
        (review.updated_at for other in assessment.plans for review in other.reviews),
        checklist.created_at if checklist is not None else None,
        (task.updated_at for task in checklist.tasks) if checklist is not None else None,
    )


def plan_document(plan: CoachingPlan, viewer: Any, *, on: date | None = None) -> Document:
    """The coaching plan document of one plan version, for this viewer's audience: staff get
    the CPO's review notes and rationale, the exec their own copy without them. `on` is the
    day checkpoints and induction items are judged due or overdue (default today). Raises
    HeldBack when the viewer may not read the plan at all (someone else's, or a draft)."""
    from app.coaching.plans import today

    if not may(viewer, "plan.download", plan):
        raise HeldBack(f"plan:{plan.id}")
    private = may(viewer, "review.view")
    context = plan_context(plan, on or today(), private=private)
    name = plan.assessment.candidate.name
    title = f"Coaching plan v{plan.number}: {name}"
    return _document(
        "plan",
        "pdf/plan.html",
        context,
        title=title,
        description=f"Coaching plan version {plan.number} for {name}",
        document_name=f"Coaching plan v{plan.number} · {name}",
        as_of=plan_as_of(plan),
        ref=f"plan:{plan.id}",
        draft=plan.status == "draft",
        filename=f"coaching-plan-{slug(name)}-v{plan.number}.pdf",
        audience="staff" if private else "exec",
    )
