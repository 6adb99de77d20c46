"""Due dates read the same everywhere, and reminders follow one cadence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assessments.due import (
    due_words,
    is_overdue,
    overdue_newly_due,
    overdue_reminder,
    review_reminder,
    submission_reminder,
)

DUE = date(2026, 12, 15)


@pytest.mark.parametrize(
    ("on", "words"),
    [
        (date(2026, 12, 1), "due in 14 days"),
        (date(2026, 12, 13), "due in 2 days"),
        (date(2026, 12, 14), "due tomorrow"),
        (DUE, "due today"),
        (date(2026, 12, 16), "overdue by 1 day"),
        (date(2026, 12, 17), "overdue by 2 days"),
    ],
)
def test_due_dates_in_words(on: date, words: str) -> None:
    assert due_words(DUE, on) == words


def test_due_today_is_not_overdue() -> None:
    assert not is_overdue(DUE, DUE)
    assert is_overdue(DUE, DUE + timedelta(days=1))


def _stages(reminder, days: range) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Offset from the due date -> stage, for the days that have one."""
    found = {}
    for offset in days:
        stage = reminder(DUE, DUE + timedelta(days=offset))
        if stage is not None:
            found[offset] = stage
    return found


def test_submissions_are_reminded_two_days_before_on_the_day_and_weekly_after() -> None:
    stages = _stages(submission_reminder, range(-20, 22))
    assert stages[-2] == stages[-1] == "before"
    assert stages[0] == "due"
    assert all(stages[d] == "late-1" for d in range(7, 14))
    assert all(stages[d] == "late-2" for d in range(14, 21))
    assert not any(d in stages for d in [*range(-20, -2), *range(1, 7)])
    # Distinct stages: before, due, and one a week afterwards.
    assert sorted(set(stages.values())) == ["before", "due", "late-1", "late-2", "late-3"]


def test_reviews_are_announced_a_week_ahead_then_reminded_weekly_when_missed() -> None:
    stages = _stages(review_reminder, range(-10, 16))
    assert all(stages[d] == "soon" for d in range(-7, 1))
    assert -8 not in stages
    assert all(stages[d] == "late-1" for d in range(1, 8))
    assert stages[8] == "late-2"


def test_overdue_items_are_reminded_from_the_day_after_then_weekly() -> None:
    stages = _stages(overdue_reminder, range(-3, 16))
    assert min(stages) == 1 and stages[1] == "late-1"
    assert stages[7] == "late-1" and stages[8] == "late-2" and stages[15] == "late-3"


def test_an_overdue_item_joins_a_reminder_once_a_week_and_a_missed_day_catches_up() -> None:
    due = date(2027, 3, 1)
    day = due + timedelta(days=1)
    assert not overdue_newly_due(due, due, [])  # due today is not overdue
    assert overdue_newly_due(due, day, [])
    assert overdue_newly_due(due, day, [due])  # told while not yet overdue
    assert not overdue_newly_due(due, day + timedelta(days=3), [day])  # the same week
    assert overdue_newly_due(due, day + timedelta(days=8), [day])  # the day 8 run was missed
    assert not overdue_newly_due(due, day, [day + timedelta(days=2)])  # order does not matter
