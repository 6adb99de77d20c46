"""Due dates in words, and when a reminder about one is due (pure: no clock, no database).

One wording everywhere: pages, lists, home steps and emails all say "due in 3 days", "due
today", "overdue by 2 days". The reminder cadence is here too, so the daily run and its tests
agree on which day sends what.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

# A self-assessment is due this many days after the nomination unless the CPO says otherwise.
SELF_DUE_DAYS = 14
# Interviews are due this many days after the panel is assigned unless the CPO says otherwise.
INTERVIEW_DUE_DAYS = 14
# The first reminder of a self-assessment or interview comes this many days before it is due.
REMIND_BEFORE_DAYS = 2
# A checkpoint review is announced this many days before its date.
REVIEW_NOTICE_DAYS = 7
# Overdue things are reminded again every this many days.
REMIND_EVERY_DAYS = 7


def _days(count: int) -> str:
    return f"{count} {'day' if count == 1 else 'days'}"


def due_words(due: date, on: date) -> str:
    """How a due date reads on day `on`: "due in 3 days", "due tomorrow", "due today",
    "overdue by 1 day"."""
    left = (due - on).days
    if left == 0:
        return "due today"
    if left == 1:
        return "due tomorrow"
    if left > 1:
        return f"due in {_days(left)}"
    return f"overdue by {_days(-left)}"


def is_overdue(due: date, on: date) -> bool:
    """Past its due date on day `on` (due today is not yet overdue)."""
    return on > due


def due_soon(due: date, on: date, days: int = REMIND_BEFORE_DAYS) -> bool:
    """Due within `days` days, or today, or overdue: worth drawing attention to."""
    return (due - on).days <= days


def default_due(start: date, days: int) -> date:
    """The due date `days` days after `start`."""
    return start + timedelta(days=days)


def submission_reminder(due: date, on: date) -> str | None:
    """Which reminder an unsubmitted self-assessment or interview is due on day `on`, or None.

    "before" in the REMIND_BEFORE_DAYS days before the due date, "due" on it, then "late-1",
    "late-2"… one week, two weeks… after it. The name is the same on each day of a stage, so
    a reminder recorded under it is sent once even when a daily run is missed or repeated.
    """
    left = (due - on).days
    if 0 < left <= REMIND_BEFORE_DAYS:
        return "before"
    if left == 0:
        return "due"
    weeks = -left // REMIND_EVERY_DAYS
    return f"late-{weeks}" if weeks >= 1 else None


def review_reminder(due: date, on: date) -> str | None:
    """Which reminder an unreviewed checkpoint is due on day `on`, or None: "soon" in the
    REVIEW_NOTICE_DAYS days up to its date, then "late-1" from the day after, "late-2" a week
    later, and so on."""
    left = (due - on).days
    if 0 <= left <= REVIEW_NOTICE_DAYS:
        return "soon"
    return _late(left)


def overdue_reminder(due: date, on: date) -> str | None:
    """Which reminder an overdue item (an induction task) is due on day `on`, or None:
    "late-1" from the day after its due date, then one more each week."""
    return _late((due - on).days)


def overdue_newly_due(due: date, on: date, earlier: Iterable[date]) -> bool:
    """Whether an overdue item is due a reminder on day `on`, given the days reminders about its
    list went out before: overdue, at a stage of the cadence none of those days was in."""
    stage = overdue_reminder(due, on)
    return stage is not None and all(overdue_reminder(due, day) != stage for day in earlier)


def _late(left: int) -> str | None:
    if left >= 0:
        return None
    return f"late-{(-left - 1) // REMIND_EVERY_DAYS + 1}"
