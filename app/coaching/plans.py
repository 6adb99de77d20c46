"""Coaching plans: generating one after selection, and its versions (draft, issued, revised).

Coaching plan content
---------------------
`CoachingPlan.content` is a JSON mapping (schema 2). Every version carries the whole plan, so
an issued version never depends on a later one::

    {
      "schema": 2,
      "role": {"key": "product-director", "name": "Product Director ...", "version": 1},
      "goals": [                       # must-haves first, then weight x gap, largest first
        {"key": "value-and-pnl", "name": "...", "lens": "value", "must_have": true,
         "weight": 3.0, "baseline": 1.5, "target_level": 3, "gap": 1.5,
         "actions": [                 # 2 or 3 development actions
           {"do": "...", "owner": "exec", "within_weeks": 6, "evidence": "..."}],
         "progress_evidence": "..."}  # how progress will be seen
      ],
      "stretch": [                     # up to 3 met competencies, with an action to go further
        {"key": "...", "name": "...", "lens": "...", "must_have": true, "weight": 2.0,
         "baseline": 3.5, "required_level": 3, "actions": [{...}]}
      ],
      "gather_evidence": [             # competencies the panel did not assess
        {"key": "...", "name": "...", "lens": "...", "must_have": false, "weight": 1.0,
         "required_level": 2}
      ],
      "mentor": {"kind": "cpo" | "internal" | "external", "name": "Priya Raman",
                 "cadence": "Fortnightly, 60 minutes"},
      "decider": {"name": "Priya Raman", "role": "Chief Product Officer"},
                                       # who decides at checkpoints; may differ from the mentor
      "load_schedule": [{"month": 1, "planned_share": 60}, ...],   # 6 to 12 months
      "tradeoffs": [{"area": "...", "gain": "...", "expected_impact": "...", "risk": "...",
                     "mitigation": "..."}],
      "checkpoints": [{"day": 30, "title": "...", "success_criteria": ["...", ...]}]
    }

`planned_share` is the percentage of the exec's time still on their former role in that
month; the actual share is recorded on each ProgressReview. A review's day is `held_on` minus
the plan's `start_date`; month n covers days 30(n-1)+1 to 30n.

Schema 1 plans (before issue 16) have actions as plain text, no stretch, no decider and no
gains; `read_content` shows them in the current shape without rewriting what was issued.

"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.induction import services as induction
from app.models import Assessment, CoachingPlan, ProgressReview, User
from app.models.base import utcnow
from app.notifications import events
from app.scores import score_for
from app.stakeholder_feedback import shown
from app.transactions import DomainError, StaleEdit
from assessments.actions import ACTION_OWNERS, action_record, load_action_library, time_box_words
from assessments.plans import (
    GoalInput,
    default_checkpoints,
    default_load_schedule,
    default_tradeoffs,
    generate_goals,
    generate_stretch,
    unassessed,
)

PLAN_SCHEMA = 2
DEFAULT_CADENCE = "Fortnightly, 60 minutes"
DEFAULT_CHECKPOINT_DAYS = (30, 90, 180)
PLAN_STATUS_LABELS = {"draft": "Draft", "issued": "Issued", "superseded": "Superseded"}
MENTOR_KINDS = {
    "cpo": "The Chief Product Officer",
    "internal": "A named mentor in the organisation",
    "external": "A named external coach",
}
DECIDER_ROLE = "Chief Product Officer"


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
    """The role's competencies with the panel's consolidated level and the stakeholders' mean
    (None below the anonymity threshold or while the feedback round is open), from the score."""
    result, _view = shown(assessment, score_for(assessment))
    return [
        GoalInput(
            key=c.key,
            name=c.name,
            lens=c.lens,
            weight=c.weight,
            required_level=c.required,
            must_have=c.must_have,
            panel=c.panel,
            stakeholder=c.stakeholder,
            stakeholder_concern="stakeholder-concern" in c.flags,
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
        "stretch": [dataclasses.asdict(s) for s in generate_stretch(inputs, load_action_library())],
        "mentor": {"kind": "cpo", "name": mentor_name, "cadence": DEFAULT_CADENCE},
        "decider": {"name": mentor_name, "role": DECIDER_ROLE},
        "load_schedule": [dataclasses.asdict(step) for step in default_load_schedule()],
        "tradeoffs": [dataclasses.asdict(t) for t in default_tradeoffs()],
        "checkpoints": [dataclasses.asdict(c) for c in default_checkpoints(checkpoint_days)],
    }


def _read_action(raw: Any) -> dict[str, Any]:
    action = action_record(raw)
    action["owner_label"] = ACTION_OWNERS.get(action["owner"], "")
    action["time_box"] = time_box_words(action["within_weeks"])
    return action


def read_content(content: dict[str, Any] | None) -> dict[str, Any]:
    """A stored plan of any schema in the current shape, for pages, documents and the editor.

    A schema 1 plan gets empty owners and time boxes, no stretch goals, no gains, and the CPO
    as the decision-maker: before schema 2 the CPO decided at every checkpoint.
    """
    content = dict(content or {})
    content["goals"] = [
        {**goal, "actions": [_read_action(a) for a in goal.get("actions", [])]}
        for goal in content.get("goals", [])
    ]
    content["stretch"] = [
        {**item, "actions": [_read_action(a) for a in item.get("actions", [])]}
        for item in content.get("stretch", [])
    ]
    content["tradeoffs"] = [{"gain": "", **t} for t in content.get("tradeoffs", [])]
    mentor = dict(content.get("mentor") or {})
    decider = content.get("decider")
    if not isinstance(decider, dict) or not decider.get("role"):
        name = mentor.get("name", "") if mentor.get("kind") == "cpo" else ""
        decider = {"name": name, "role": DECIDER_ROLE}
    content["mentor"] = mentor
    content["decider"] = dict(decider)
    return content


def mentor_also_decides(content: dict[str, Any]) -> bool:
    """True when the person who mentors the exec also decides their future at checkpoints."""
    mentor = (content.get("mentor") or {}).get("name", "").strip().casefold()
    decider = (content.get("decider") or {}).get("name", "").strip().casefold()
    return bool(mentor) and mentor == decider


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
    events.plan_issued(plan, actor)


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
