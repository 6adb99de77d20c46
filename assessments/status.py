"""Where an assessment stands: its states in order, and the fact that puts it in each.

The app asks this table twice: in Python for one loaded assessment, and in SQL (a CASE built
from the same rows) so lists can filter and count by status in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

__all__ = [
    "ASSESSMENT_STATUSES",
    "DECISION_LABELS",
    "FIRST_STATUS",
    "STATUS_RULES",
    "Fact",
    "status_label",
    "status_of",
]

# Every state, in the order an assessment moves through them, with its name for people.
ASSESSMENT_STATUSES: dict[str, str] = {
    "invited": "Invited",
    "self-in-progress": "Self-assessment in progress",
    "self-submitted": "Self-assessment submitted",
    "interviewing": "Interviewing",
    "scored": "Scored",
    # A filter's name for the state; a decided assessment itself reads its decision.
    "decided": "Decision recorded",
}
# What a decided assessment reads as: the decision, never a bare "Decided".
DECISION_LABELS: dict[str, str] = {
    "selected": "Selected",
    "not-selected": "Not selected",
    "on-hold": "On hold",
}
FIRST_STATUS = "invited"


class Fact(StrEnum):
    """Something recorded about an assessment that moves it on."""

    DECISION_RECORDED = "decision-recorded"
    INTERVIEW_SUBMITTED = "interview-submitted"
    INTERVIEW_ASSIGNED = "interview-assigned"
    SELF_SUBMITTED = "self-submitted"
    SELF_STARTED = "self-started"


# The first row whose fact holds names the status; the furthest state is asked first, so a
# decision wins over interviews and interviews over the self-assessment.
STATUS_RULES: tuple[tuple[str, Fact], ...] = (
    ("decided", Fact.DECISION_RECORDED),
    ("scored", Fact.INTERVIEW_SUBMITTED),
    ("interviewing", Fact.INTERVIEW_ASSIGNED),
    ("self-submitted", Fact.SELF_SUBMITTED),
    ("self-in-progress", Fact.SELF_STARTED),
)


def status_of(holds: Callable[[Fact], bool]) -> str:
    """The status of an assessment, asking `holds` about each fact only as far as needed."""
    for status, fact in STATUS_RULES:
        if holds(fact):
            return status
    return FIRST_STATUS


def status_label(status: str, decision: str | None = None) -> str:
    """The status as a person reads it: a decided assessment says what was decided."""
    if status == "decided" and decision in DECISION_LABELS:
        return DECISION_LABELS[decision]
    return ASSESSMENT_STATUSES[status]
