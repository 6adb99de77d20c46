"""Demo data: the CPO's decisions for the demo candidates whose panel has reported.

Runs after the interviews area (order 30) has filled in the panels; a candidate whose panel
is incomplete is skipped, and a decision already recorded is kept.
"""

from __future__ import annotations

from datetime import timedelta

from app import localtime
from app.demo import DemoContext, demo_loader, story_time
from app.interviews.demo import CPO, PANEL, latest_assessment
from app.interviews.panels import submitted_panel
from app.models import Assessment
from app.selection import demo_stakeholders  # noqa: F401 - registers its loader (order 33)
from app.selection import services as selection

DECISIONS = {
    "exec1@example.org": (
        100,
        "Sarah is ready with support: strong on customer evidence, prioritisation and leading"
        " people, with a gap on the revenue side of the P&L and on delivery measures that the"
        " coaching plan can close. The panel recommended her unanimously.",
    ),
    "exec2@example.org": (
        95,
        "David is not yet ready: he is two levels short on leading a multi-disciplinary team and"
        " rates himself well above the panel on discovery and iterative delivery. We select him"
        " because Payments and billing needs his command of the P&L now and there is no other"
        " internal candidate. The risk is explicit: coaching starts with leading specialists,"
        " his finance duties are handed over on a fixed schedule, and the 90-day review applies"
        " the fail-fast rule strictly.",
    ),
}


def _decide(context: DemoContext, email: str, assessment: Assessment) -> None:
    if assessment.decision is not None:
        return
    days_ago, rationale = DECISIONS[email]
    start = localtime.today() - timedelta(days=days_ago)
    selection.record_decision(
        assessment, "selected", rationale, start_date=start, actor=context.people[CPO]
    )
    assessment.decided_at = story_time(days_ago + 5, 15, 30)


@demo_loader(35)
def load_decisions(context: DemoContext) -> None:
    """Select exec1 and exec2 once their whole panel has submitted."""
    for email in DECISIONS:
        assessment = latest_assessment(email)
        if assessment is None or len(submitted_panel(assessment)) < len(PANEL):
            continue
        _decide(context, email, assessment)
