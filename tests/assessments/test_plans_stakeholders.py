"""A stakeholder concern is a gap to work on: a goal even where the panel's level meets the bar."""

from __future__ import annotations

from dataclasses import replace

from assessments.actions import load_action_library
from assessments.plans import GoalInput, generate_goals, generate_stretch


def item(key: str, panel: float | None, required: int = 3, **kwargs: object) -> GoalInput:
    base = GoalInput(
        key=key,
        name=key.title(),
        lens="leadership",
        weight=1.0,
        required_level=required,
        must_have=False,
        panel=panel,
    )
    return replace(base, **kwargs)  # type: ignore[arg-type]


def test_a_concern_over_a_met_bar_becomes_a_goal_from_the_stakeholders_mean() -> None:
    inputs = [
        item("ownership-and-pull", 3.0, stakeholder=1.4, stakeholder_concern=True),
        item("customer-evidence", 2.0),
    ]
    goals = generate_goals(inputs, load_action_library())
    by_key = {g.key: g for g in goals}
    concern = by_key["ownership-and-pull"]
    assert (concern.source, concern.baseline, concern.target_level, concern.gap) == (
        "stakeholders",
        1.4,
        3,
        1.6,
    )
    assert concern.actions  # the library's actions for a gap of that size
    assert by_key["customer-evidence"].source == "panel"
    # Ranked by weighted gap like any goal: 1.6 before 1.0.
    assert [g.key for g in goals] == ["ownership-and-pull", "customer-evidence"]
    # Not offered as a stretch as well.
    assert "ownership-and-pull" not in {
        s.key for s in generate_stretch(inputs, load_action_library())
    }


def test_stakeholders_at_the_bar_but_well_below_the_panel_aim_at_the_panels_level() -> None:
    (goal,) = generate_goals(
        [item("k", 4.0, required=2, stakeholder=2.4, stakeholder_concern=True)],
        load_action_library(),
    )
    assert (goal.baseline, goal.target_level, goal.gap) == (2.4, 4, 1.6)


def test_no_concern_or_no_mean_no_extra_goal() -> None:
    library = load_action_library()
    assert generate_goals([item("k", 3.0, stakeholder=2.0)], library) == []
    assert generate_goals([item("k", 3.0, stakeholder_concern=True)], library) == []
    # Below the bar the panel's gap decides, concern or not.
    (goal,) = generate_goals([item("k", 2.0, stakeholder=0.4, stakeholder_concern=True)], library)
    assert (goal.source, goal.baseline) == ("panel", 2.0)
