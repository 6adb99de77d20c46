"""Test data for induction and coaching: selected execs built straight from the models."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from app.auth import services as accounts
from app.coaching import plans
from app.extensions import db
from app.models import (
    Assessment,
    Interview,
    InterviewRating,
    RoleVersion,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.roles import lifecycle, lookups
from assessments.role_files import load_default_role

_counter = itertools.count(1)

# Panel levels against the shipped Product Director role (None: not assessed).
# Goals, most pressing first (weight x gap): value-and-pnl (must, 3 x 2 = 6),
# multidisciplinary-leadership (must, 3 x 1), continuous-prioritisation (must, 2 x 1),
# outcome-strategy (2 x 1), iterative-delivery (2 x 1), technical-and-design-fluency (1 x 1).
# Total weighted gap 16, so 4 weighted levels closed is exactly 25%.
PANEL: dict[str, int | None] = {
    "value-and-pnl": 1,
    "outcome-strategy": 2,
    "continuous-prioritisation": 2,
    "customer-evidence": 3,
    "data-informed-decisions": 2,
    "iterative-delivery": 2,
    "delivery-health": None,
    "ownership-and-pull": 3,
    "product-quality": 2,
    "technical-and-design-fluency": 1,
    "multidisciplinary-leadership": 2,
    "stakeholder-tension": 3,
    "growing-product-people": None,
}
GOAL_ORDER = [
    "value-and-pnl",
    "multidisciplinary-leadership",
    "continuous-prioritisation",
    "outcome-strategy",
    "iterative-delivery",
    "technical-and-design-fluency",
]


def user(role: str, name: str | None = None) -> User:
    """A new user in the current session."""
    n = next(_counter)
    return accounts.create_user(
        f"{role}-c{n}@example.org", name or f"{role.title()} C{n}", role, "correct horse battery"
    )


def published_role(actor: User | None) -> RoleVersion:
    """The shipped Product Director role, published once."""
    version = lookups.latest_published(load_default_role().key)
    return version or lifecycle.add_version(load_default_role(), publish=True, actor=actor)


def selected_exec(
    candidate: User,
    *,
    cpo: User,
    start: date | None = None,
    days_ago: int = 10,
    panel: dict[str, int | None] | None = None,
    stream: str | None = None,
    start_coaching: bool = True,
) -> Assessment:
    """An exec selected for a value stream after one submitted interview; coaching started."""
    version = published_role(cpo)
    value_stream = ValueStream(name=stream or f"Stream {next(_counter)}")
    assessment = Assessment(
        candidate=candidate,
        role_version=version,
        value_stream=value_stream,
        created_by=cpo,
        decision="selected",
        decision_rationale="Strongest aptitude on the panel.",
        decided_by=cpo,
        decided_at=utcnow(),
    )
    db.session.add(assessment)
    interviewer = user("interviewer")
    interview = Interview(
        assessment=assessment,
        interviewer=interviewer,
        status="submitted",
        submitted_at=utcnow(),
        recommendation="yes",
    )
    for key, level in (PANEL if panel is None else panel).items():
        interview.ratings.append(InterviewRating(competency_key=key, level=level))
    db.session.add(interview)
    db.session.flush()
    if start_coaching:
        plans.start_after_selection(
            assessment, start or date.today() - timedelta(days=days_ago), cpo
        )
    return assessment
