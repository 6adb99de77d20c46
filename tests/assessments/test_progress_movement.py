"""A review says how each goal moved: a fall is a regression, never '0% gap closed'."""

from __future__ import annotations

from assessments.progress import GoalProgressInput, goal_movement, progress_summary


def goal(key: str, baseline: float, current: float | None, target: int = 3) -> GoalProgressInput:
    return GoalProgressInput(key, key.title(), 1.0, target, False, baseline, current)


def test_a_goal_that_fell_went_back() -> None:
    # 2.33 at the baseline, rated 2 at the review: 0.33 lower, not "0% of the gap closed".
    assert goal_movement(goal("pnl", 2.33, 2)) == "went back 0.33"
    assert goal_movement(goal("pnl", 2.0, 1)) == "went back 1"


def test_other_goals_say_the_share_of_their_gap_closed() -> None:
    assert goal_movement(goal("flow", 2.0, 2.5)) == "50% of the gap closed"
    assert goal_movement(goal("flow", 2.0, 2.0)) == "0% of the gap closed"
    assert goal_movement(goal("flow", 2.0, None)) == "Not re-rated"
    assert goal_movement(goal("flow", 3.0, 3.0)) == "at the target from the start"


def test_the_overall_figure_counts_goals_not_weighted_levels() -> None:
    summary = progress_summary(
        [goal("a", 2.33, 2), goal("b", 2.0, 3), goal("c", 1.0, 1), goal("d", 1.0, None)], 30
    )
    assert summary.moved == "1 of 4 goals moved up · 1 went back"
    assert summary.movements["a"] == "went back 0.33"
    # The figures themselves are as before: a fall does not eat into other goals' progress.
    assert summary.goal_shares["a"] == 0.0
