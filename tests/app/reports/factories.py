"""Test data for the reports area, built directly with the models (call inside an app context)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.auth import services as accounts
from app.coaching import plans
from app.extensions import db
from app.models import (
    Assessment,
    CoachingPlan,
    ExecProfile,
    InductionChecklist,
    InductionTask,
    Interview,
    InterviewRating,
    ProgressReview,
    RoleVersion,
    SelfAssessment,
    SelfRating,
    User,
    ValueStream,
)
from app.roles import lifecycle, lookups
from assessments.role_files import load_default_role

_n = itertools.count(1)
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)

# A candidate who comes out "ready with support": short on two must-haves by under a level.
PANEL_A = {
    "value-and-pnl": 2,
    "outcome-strategy": 3,
    "continuous-prioritisation": 3,
    "customer-evidence": 2,
    "data-informed-decisions": 3,
    "iterative-delivery": 3,
    "delivery-health": 2,
    "ownership-and-pull": 2,
    "product-quality": 2,
    "technical-and-design-fluency": 2,
    "multidisciplinary-leadership": 3,
    "stakeholder-tension": 3,
    "growing-product-people": 2,
}
PANEL_B = {**PANEL_A, "value-and-pnl": 3, "multidisciplinary-leadership": 2}
SELF = {**PANEL_A, "value-and-pnl": 4, "customer-evidence": 4, "product-quality": 1}


def person(
    role: str, name: str | None = None, email: str | None = None, password: str | None = None
) -> User:
    """A user with a role (without a password unless they need to sign in)."""
    n = next(_n)
    user = accounts.create_user(
        email or f"reports-{role}{n}@example.org",
        name or f"{role.title()} Person {n}",
        role,
        password,
    )
    db.session.flush()
    return user


def published_role(actor: User | None = None) -> RoleVersion:
    """The shipped Product Director role, published (once per test database)."""
    existing = lookups.latest_published("product-director")
    if existing is not None:
        return existing
    return lifecycle.add_version(load_default_role(), publish=True, actor=actor)


def stream(name: str = "Home buying", *, hats: dict[str, str] | None = None) -> ValueStream:
    """A value stream that needs every function of the role, with two hats missing."""
    vs = ValueStream(
        name=name,
        journey="From first search to getting the keys",
        business_owner="Retail lending",
        functions=[
            "Product management",
            "User experience and design",
            "Engineering",
            "Data and analytics",
            "Commercial and P&L",
        ],
        hats=hats
        if hats is not None
        else {"product": "Ana Ortiz", "engineering": "Raj Patel", "delivery": "Kim Lee"},
    )
    db.session.add(vs)
    db.session.flush()
    return vs


def assessment(
    candidate: User,
    version: RoleVersion,
    value_stream: ValueStream | None,
    *,
    panel: list[dict[str, int | None]] | None = None,
    self_levels: dict[str, int | None] | None = None,
    panel_members: list[User] | None = None,
    decision: str | None = None,
    experience: dict[str, str] | None = None,
) -> Assessment:
    """An assessment with a submitted self-assessment and submitted panel interviews."""
    a = Assessment(candidate=candidate, role_version=version, value_stream=value_stream)
    db.session.add(a)
    db.session.flush()
    if db.session.get(ExecProfile, candidate.id) is None:
        db.session.add(
            ExecProfile(
                user_id=candidate.id,
                current_role="Director of Customer Operations",
                business_area="Retail",
                experience=experience
                if experience is not None
                else {
                    "Product management": "some",
                    "Engineering": "none",
                    "Commercial and P&L": "deep",
                },
            )
        )
    sa = SelfAssessment(assessment=a, status="submitted", submitted_at=NOW - timedelta(days=10))
    for key, level in (SELF if self_levels is None else self_levels).items():
        sa.ratings.append(SelfRating(competency_key=key, level=level, evidence=""))
    db.session.add(sa)
    panels = [PANEL_A, PANEL_B] if panel is None else panel
    members = panel_members or [person("interviewer") for _ in panels]
    for member, levels in zip(members, panels, strict=True):
        interview = Interview(
            assessment=a,
            interviewer=member,
            status="submitted",
            submitted_at=NOW - timedelta(days=5),
            recommendation="yes",
            strengths="Clear commercial instinct; runs a tight room.",
            weaknesses="Has not yet led designers or researchers.",
        )
        for key, level in levels.items():
            interview.ratings.append(InterviewRating(competency_key=key, level=level, notes=""))
        db.session.add(interview)
    if decision:
        a.decision = decision
        a.decision_rationale = "Strongest commercial candidate; coaching closes the leadership gap."
        a.decided_at = NOW - timedelta(days=3)
    db.session.flush()
    return a


def plan_content(a: Assessment, **overrides: Any) -> dict[str, Any]:
    """Plan content exactly as the coaching area generates it from the assessment's gaps."""
    content = plans.build_plan_content(a, mentor_name="Grace Holloway")
    content.update(overrides)
    return content


def plan(
    a: Assessment,
    *,
    status: str = "issued",
    number: int = 1,
    issued_by: User | None = None,
    content: dict[str, Any] | None = None,
) -> CoachingPlan:
    """A coaching plan for an assessment."""
    p = CoachingPlan(
        assessment=a,
        number=number,
        status=status,
        start_date=date(2026, 9, 1),
        content=content if content is not None else plan_content(a),
        issued_at=NOW - timedelta(days=1) if status != "draft" else None,
        issued_by=issued_by,
    )
    db.session.add(p)
    db.session.flush()
    return p


def checklist(a: Assessment, *, done: int = 3, total: int = 5) -> InductionChecklist:
    """An induction checklist with some tasks ticked."""
    cl = InductionChecklist(
        assessment=a, template_name="Product Director induction", start_date=date(2026, 9, 1)
    )
    for i in range(total):
        cl.tasks.append(
            InductionTask(
                position=i,
                title=f"Induction step {i + 1}",
                description="",
                category="role-and-ways-of-working",
                owner="exec",
                due_date=date(2026, 9, 1) + timedelta(days=7 * i),
                done=i < done,
                done_at=NOW if i < done else None,
            )
        )
    db.session.add(cl)
    db.session.flush()
    return cl


def review(
    p: CoachingPlan,
    *,
    day: int = 30,
    decision: str | None = "continue",
    reviewer: User | None = None,
) -> ProgressReview:
    """A progress review at a checkpoint."""
    r = ProgressReview(
        plan=p,
        checkpoint_day=day,
        held_on=date(2026, 10, 1),
        ratings={"value-and-pnl": 3},
        actual_load_share=55,
        closed_share=0.3,
        fail_fast=False,
        notes="Good start; the P&L walkthrough is done.",
        decision=decision,
        rationale="On track at day 30.",
        reviewer=reviewer,
        decided_at=NOW if decision else None,
    )
    db.session.add(r)
    db.session.flush()
    return r
