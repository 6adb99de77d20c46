"""Coaching plans: action library, goal order, load reduction, checkpoints and fail-fast."""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

from assessments.actions import (
    ACTION_OWNERS,
    Action,
    ActionLibrary,
    ActionLibraryError,
    load_action_library,
    parse_action_library,
)
from assessments.model import LENSES, Competency
from assessments.plans import (
    GoalInput,
    default_checkpoints,
    default_load_schedule,
    default_tradeoffs,
    generate_goals,
    generate_stretch,
    unassessed,
)
from assessments.progress import (
    REVIEW_DECISION_CONSEQUENCES,
    REVIEW_DECISION_LABELS,
    REVIEW_DECISIONS,
    GoalProgressInput,
    gap_closed_share,
    plan_ended,
    progress_input,
    progress_summary,
    weighted_gap,
)

# The shipped product-director role, as (key, name, lens, weight, required level, must-have).
ROLE = [
    ("value-and-pnl", "Owning value and the P&L", "value", 3.0, 3, True),
    ("outcome-strategy", "Outcome strategy", "value", 2.0, 3, False),
    ("continuous-prioritisation", "Continuous prioritisation", "value", 2.0, 3, True),
    ("customer-evidence", "Customer evidence", "value", 2.0, 3, False),
    ("data-informed-decisions", "Data-informed decisions", "value", 1.5, 2, False),
    ("iterative-delivery", "Iterative delivery", "workflow", 2.0, 3, False),
    ("delivery-health", "Delivery health", "workflow", 1.5, 2, False),
    ("ownership-and-pull", "Ownership and pull", "workflow", 1.5, 3, False),
    ("product-quality", "Product quality", "quality", 1.5, 2, False),
    ("technical-and-design-fluency", "Technical and design fluency", "quality", 1.0, 2, False),
    ("multidisciplinary-leadership", "Multidisciplinary leadership", "leadership", 3.0, 3, True),
    ("stakeholder-tension", "Managing stakeholder tension", "leadership", 2.0, 3, True),
    ("growing-product-people", "Growing product people", "leadership", 1.5, 2, False),
]
COMPETENCIES = {
    key: Competency(
        key=key,
        name=name,
        description="",
        lens=lens,
        weight=weight,
        required_level=required,
        must_have=must,
        levels={},
        interview_questions=(),
        self_prompts=(),
    )
    for key, name, lens, weight, required, must in ROLE
}


@pytest.fixture(scope="module")
def library() -> ActionLibrary:
    return load_action_library()


def goal_input(key: str, panel: float | None) -> GoalInput:
    c = COMPETENCIES[key]
    return GoalInput(c.key, c.name, c.lens, c.weight, c.required_level, c.must_have, panel)


# --- action library -----------------------------------------------------------------------


def _role_keys(file: str) -> set[str]:
    raw = yaml.safe_load(files("assessments").joinpath("data", file).read_text("utf-8"))
    return {c["key"] for c in raw["competencies"]}


SHIPPED_ROLES = (
    "product-director.yaml",
    "product-director-v2.yaml",
    "value-stream-product-manager.yaml",
)
TALK_ONLY = ("discuss", "talk ", "think about", "reflect on", "consider ")
UNCHECKABLE = ("notice", "feel", "seem", "better", "say they", "understand")


def _every_action(library: ActionLibrary) -> list[tuple[str, Action]]:
    return [
        (f"{key}.{tier}", action)
        for key, action_set in [*library.competencies.items(), *library.lens_defaults.items()]
        for tier in ("small_gap", "large_gap", "stretch")
        for action in getattr(action_set, tier)
    ]


@pytest.mark.parametrize("role_file", SHIPPED_ROLES)
def test_every_shipped_role_competency_has_its_own_actions(
    library: ActionLibrary, role_file: str
) -> None:
    # A lens default is a fallback for custom roles, not coaching the shipped roles deserve.
    assert _role_keys(role_file) - set(library.competencies) == set()


def test_every_action_has_an_owner_a_time_box_and_checkable_evidence(
    library: ActionLibrary,
) -> None:
    assert set(library.lens_defaults) == set(LENSES)
    for place, action in _every_action(library):
        assert action.owner in ACTION_OWNERS, place
        assert 1 <= action.within_weeks <= 26, place
        assert action.time_box.startswith("Within "), place
        assert action.do[0].isupper() and action.do.endswith("."), place
        assert action.evidence[0].isupper() and action.evidence.endswith("."), place
        assert not action.do.lower().startswith(TALK_ONLY), place
        assert not any(word in action.evidence.lower() for word in UNCHECKABLE), place


def test_progress_evidence_is_something_a_reviewer_can_see(library: ActionLibrary) -> None:
    for action_set in [*library.competencies.values(), *library.lens_defaults.values()]:
        evidence = action_set.progress_evidence.lower()
        assert not any(word in evidence for word in UNCHECKABLE), evidence


def test_large_gaps_get_different_and_longer_support_and_met_ones_a_stretch(
    library: ActionLibrary,
) -> None:
    for key, action_set in [*library.competencies.items(), *library.lens_defaults.items()]:
        small = {a.do for a in action_set.small_gap}
        large = {a.do for a in action_set.large_gap}
        assert not small & large, key
        assert sum(a.within_weeks for a in action_set.large_gap) > sum(
            a.within_weeks for a in action_set.small_gap
        ), key
        assert action_set.stretch, key
        assert not {a.do for a in action_set.stretch} & (small | large), key


def test_large_gap_actions_start_at_one_and_a_half_levels(library: ActionLibrary) -> None:
    small, evidence = library.actions_for("value-and-pnl", "value", 1.49)
    large, same_evidence = library.actions_for("value-and-pnl", "value", 1.5)

    assert small == list(library.competencies["value-and-pnl"].small_gap)
    assert small[0].owner == "finance" and small[0].time_box == "Within 4 weeks"
    assert large[0].do == (
        "Meet weekly for six weeks to build a one-page P&L for each journey in the stream."
    )
    assert evidence == same_evidence
    assert evidence.startswith("A business case, a P&L per journey and a benefits review")


def test_unknown_competency_falls_back_to_its_lens_defaults(library: ActionLibrary) -> None:
    actions, evidence = library.actions_for("regulatory-affairs", "quality", 2.0)

    assert actions == list(library.lens_defaults["quality"].large_gap)
    assert actions[0].do == (
        "Learn how quality is assured in this area from the engineering and design leads."
    )
    assert evidence == library.lens_defaults["quality"].progress_evidence
    assert library.stretch_for("regulatory-affairs", "quality") == list(
        library.lens_defaults["quality"].stretch
    )


def test_unknown_competency_and_lens_is_an_error(library: ActionLibrary) -> None:
    with pytest.raises(KeyError, match="no coaching actions for competency 'x' or lens 'sales'"):
        library.actions_for("x", "sales", 1.0)


def test_library_problems_are_all_reported() -> None:
    text = """
competencies:
  value-and-pnl:
    small_gap: [Do one thing.]
    large_gap: [A., B., C., D.]
    notes: hi
lens_defaults:
  value:
    small_gap:
      - {do: A., owner: exec, within_weeks: 4, evidence: E.}
      - {do: Z., owner: exec, within_weeks: 4, evidence: E.}
    large_gap:
      - {do: B., owner: boss, within_weeks: 0, evidence: E.}
      - {do: C., owner: exec, within_weeks: 2}
    stretch: [{do: D., owner: cpo, within_weeks: 8, evidence: E.}]
    progress_evidence: Seen.
  sales: {small_gap: [A., B.], large_gap: [A., B.], progress_evidence: Seen.}
"""
    with pytest.raises(ActionLibraryError) as caught:
        parse_action_library(text)

    # The unknown lens's own fields are reported too; the lens name is what matters here.
    errors = [e for e in caught.value.errors if not e.startswith("lens_defaults.sales.")]
    assert errors == [
        "competencies.value-and-pnl.notes: unknown field",
        "competencies.value-and-pnl.small_gap: must list 2 to 3 actions",
        "competencies.value-and-pnl.large_gap: must list 2 to 3 actions",
        "competencies.value-and-pnl.stretch: must list 1 to 2 actions",
        "competencies.value-and-pnl.progress_evidence: must be non-empty text",
        "lens_defaults.value.large_gap[0].owner: must be one of exec, cpo, mentor, coach,"
        " finance, hr",
        "lens_defaults.value.large_gap[0].within_weeks: must be a whole number of weeks from 1"
        " to 26",
        "lens_defaults.value.large_gap[1].evidence: must be non-empty text",
        "lens_defaults.workflow: is required",
        "lens_defaults.quality: is required",
        "lens_defaults.leadership: is required",
        "lens_defaults.sales: must be one of value, workflow, quality, leadership",
    ]


# --- goals --------------------------------------------------------------------------------


def test_goals_put_must_haves_first_then_largest_weighted_gap(library: ActionLibrary) -> None:
    inputs = [
        goal_input("data-informed-decisions", 1.0),  # 1.5 x 1.0 = 1.5
        goal_input("value-and-pnl", 2.5),  # must, 3 x 0.5 = 1.5
        goal_input("iterative-delivery", 1.5),  # 2 x 1.5 = 3.0
        goal_input("multidisciplinary-leadership", 1.0),  # must, 3 x 2.0 = 6.0
        goal_input("stakeholder-tension", 3.0),  # meets the level: no goal
        goal_input("customer-evidence", None),  # unassessed: no goal
        goal_input("delivery-health", 1.0),  # 1.5 x 1.0 = 1.5, ties with the first
        goal_input("product-quality", 0.5),  # 1.5 x 1.5 = 2.25
        goal_input("continuous-prioritisation", 2.25),  # must, 2 x 0.75 = 1.5
        goal_input("growing-product-people", 3.5),  # above the level: no goal
    ]

    goals = generate_goals(inputs, library)

    assert [(g.key, g.baseline, g.target_level, g.gap) for g in goals] == [
        ("multidisciplinary-leadership", 1.0, 3, 2.0),
        ("value-and-pnl", 2.5, 3, 0.5),
        ("continuous-prioritisation", 2.25, 3, 0.75),
        ("iterative-delivery", 1.5, 3, 1.5),
        ("product-quality", 0.5, 2, 1.5),
        ("data-informed-decisions", 1.0, 2, 1.0),
        ("delivery-health", 1.0, 2, 1.0),
    ]
    by_key = {g.key: g for g in goals}
    leadership = library.competencies["multidisciplinary-leadership"]
    assert by_key["multidisciplinary-leadership"].actions == list(leadership.large_gap)
    assert by_key["multidisciplinary-leadership"].progress_evidence == leadership.progress_evidence
    assert by_key["iterative-delivery"].actions == list(
        library.competencies["iterative-delivery"].large_gap
    )
    assert by_key["value-and-pnl"].actions == list(library.competencies["value-and-pnl"].small_gap)
    assert by_key["value-and-pnl"].name == "Owning value and the P&L"
    assert by_key["value-and-pnl"].must_have is True
    assert by_key["product-quality"].lens == "quality"
    assert by_key["product-quality"].weight == 1.5
    assert unassessed(inputs) == [inputs[5]]


def test_goal_gap_is_rounded_half_up_like_a_person_would(library: ActionLibrary) -> None:
    # 2 - 1.195 in binary floats is 0.80499999..., which naive rounding turns into 0.8.
    (goal,) = generate_goals([goal_input("delivery-health", 1.195)], library)

    assert goal.gap == 0.81


def test_gap_just_under_one_and_a_half_gets_small_gap_actions(library: ActionLibrary) -> None:
    goals = generate_goals(
        [goal_input("ownership-and-pull", 1.51), goal_input("outcome-strategy", 1.5)], library
    )

    assert [(g.key, g.gap) for g in goals] == [
        ("outcome-strategy", 1.5),
        ("ownership-and-pull", 1.49),
    ]
    assert goals[0].actions == list(library.competencies["outcome-strategy"].large_gap)
    assert goals[1].actions == list(library.competencies["ownership-and-pull"].small_gap)


def test_custom_competency_gets_lens_default_actions(library: ActionLibrary) -> None:
    custom = GoalInput("vendor-management", "Vendor management", "workflow", 1.0, 3, False, 2.0)

    (goal,) = generate_goals([custom], library)

    assert goal.actions == list(library.lens_defaults["workflow"].small_gap)
    assert goal.progress_evidence == library.lens_defaults["workflow"].progress_evidence


# --- load reduction -----------------------------------------------------------------------


def test_default_load_schedule_steps_down_from_sixty_to_ten_over_nine_months() -> None:
    schedule = default_load_schedule()

    assert [(s.month, s.planned_share) for s in schedule] == [
        (1, 60),
        (2, 54),
        (3, 48),
        (4, 41),
        (5, 35),
        (6, 29),
        (7, 23),
        (8, 16),
        (9, 10),
    ]


def test_custom_load_schedules_end_where_asked() -> None:
    assert [s.planned_share for s in default_load_schedule(6, 60, 10)] == [60, 50, 40, 30, 20, 10]
    assert [s.planned_share for s in default_load_schedule(12, 100, 0)] == [
        100, 91, 82, 73, 64, 55, 45, 36, 27, 18, 9, 0,
    ]  # fmt: skip
    assert [s.planned_share for s in default_load_schedule(6, 40, 40)] == [40] * 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, 60, 10), "The load reduction must run for 6 to 12 months (got 5)."),
        ((13, 60, 10), "The load reduction must run for 6 to 12 months (got 13)."),
        ((9, 101, 10), "The start share must be between 0 and 100 percent (got 101)."),
        ((9, 60, -1), "The end share must be between 0 and 100 percent (got -1)."),
        (
            (9, 10, 60),
            "The end share (60%) cannot be more than the start share (10%): "
            "time on the former role should go down, not up.",
        ),
    ],
)
def test_load_schedule_rejects_bad_settings(args: tuple[int, int, int], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        default_load_schedule(*args)

    assert str(caught.value) == message


# --- checkpoints, trade-offs and decisions -------------------------------------------------


def test_default_checkpoints_are_day_30_90_and_180_with_specific_criteria() -> None:
    checkpoints = default_checkpoints()

    assert [(c.day, c.title) for c in checkpoints] == [
        (30, "Day 30: settled in"),
        (90, "Day 90: fail-fast review"),
        (180, "Day 180: leading on their own"),
    ]
    assert any("load reduction has started" in c for c in checkpoints[0].success_criteria)
    assert "At least a quarter of the weighted gap has closed across all goals." in (
        checkpoints[1].success_criteria
    )


def test_other_checkpoint_days_get_generic_criteria_in_day_order() -> None:
    checkpoints = default_checkpoints((60, 30, 45))

    assert [c.day for c in checkpoints] == [30, 45, 60]
    assert checkpoints[1].title == "Day 45: progress review"
    assert checkpoints[1].success_criteria[0] == (
        "The induction items due by day 45 are done, or have a new agreed date."
    )
    assert checkpoints[1].success_criteria[2] == (
        "The time on the former role is at or below the planned share for month 2."
    )
    assert checkpoints[2].success_criteria[2].endswith("planned share for month 2.")


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ((), "At least one checkpoint day is needed."),
        ((0, 30), "Checkpoint days must be 1 or more."),
        ((30, 30), "Checkpoint days must not repeat."),
    ],
)
def test_checkpoint_days_are_validated(days: tuple[int, ...], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        default_checkpoints(days)

    assert str(caught.value) == message


def test_default_tradeoffs_name_gains_as_well_as_costs_and_the_risk_to_digital_staff() -> None:
    tradeoffs = default_tradeoffs()

    assert [t.area for t in tradeoffs] == [
        "Delivery forecast",
        "The exec's former function",
        "Team relationships",
        "Revenue forecast",
        "Keeping digital staff",
    ]
    assert all(t.gain and t.expected_impact and t.risk and t.mitigation for t in tradeoffs)
    assert "us-and-them" in tradeoffs[2].risk
    assert "digitally able executive" in tradeoffs[0].gain
    assert "Senior digital staff leave" in tradeoffs[4].risk


def test_review_decisions_offer_five_ways_forward_each_with_its_consequences() -> None:
    assert REVIEW_DECISIONS == ("continue", "extend", "pair", "return", "exit")
    assert [REVIEW_DECISION_LABELS[d] for d in REVIEW_DECISIONS] == [
        "Continue",
        "Extend the plan",
        "Pair with an experienced Product Director",
        "Return to the former role",
        "Exit and bring in an experienced Product Director",
    ]
    assert set(REVIEW_DECISION_CONSEQUENCES) == set(REVIEW_DECISIONS)
    assert "plan ends" in REVIEW_DECISION_CONSEQUENCES["return"]
    assert "alongside the exec" in REVIEW_DECISION_CONSEQUENCES["pair"]


@pytest.mark.parametrize(
    ("decisions", "ended"),
    [
        ([], False),
        (["continue", None, "extend", "pair"], False),
        (["continue", "return"], True),
        ([None, "exit"], True),
    ],
)
def test_a_plan_ends_on_return_or_exit_only(decisions: list[str | None], ended: bool) -> None:
    assert plan_ended(decisions) is ended


def test_stretch_goals_go_to_met_competencies_must_haves_first(library: ActionLibrary) -> None:
    inputs = [
        goal_input("data-informed-decisions", 2.0),  # met, weight 1.5
        goal_input("value-and-pnl", 2.0),  # gap: a goal, not a stretch
        goal_input("stakeholder-tension", 3.5),  # met, must-have
        goal_input("iterative-delivery", 4.0),  # at the top of the scale: nothing to stretch to
        goal_input("outcome-strategy", 3.0),  # met, weight 2
        goal_input("delivery-health", 2.5),  # met, weight 1.5, later in the role: left out
        goal_input("customer-evidence", None),  # unassessed
    ]

    stretch = generate_stretch(inputs, library)

    assert [s.key for s in stretch] == [
        "stakeholder-tension",
        "outcome-strategy",
        "data-informed-decisions",
    ]
    assert stretch[0].actions == list(library.competencies["stakeholder-tension"].stretch)
    assert len(generate_stretch(inputs, library, limit=1)) == 1


# --- progress and fail-fast ---------------------------------------------------------------


def progress(
    key: str, baseline: float, current: float | None, *, must: bool | None = None
) -> GoalProgressInput:
    c = COMPETENCIES[key]
    return GoalProgressInput(
        key=c.key,
        name=c.name,
        weight=c.weight,
        required_level=c.required_level,
        must_have=c.must_have if must is None else must,
        baseline=baseline,
        current=current,
    )


@pytest.mark.parametrize(
    ("baseline", "current", "share"),
    [
        (1.0, None, 0.0),
        (1.0, 2.0, 0.5),
        (1.0, 3.5, 1.0),  # above the required level counts as fully closed
        (1.5, 1.0, 0.0),  # going backwards does not go negative
        (1.5, 2.0, 0.333),
        (3.0, None, 1.0),  # nothing to close
    ],
)
def test_gap_closed_share_per_goal(baseline: float, current: float | None, share: float) -> None:
    assert gap_closed_share(progress("outcome-strategy", baseline, current)) == share


def test_weighted_gap_is_exact_to_the_decimal() -> None:
    goals = [progress("product-quality", 0.7, None), progress("value-and-pnl", 1.4, None)]

    # 1.5 x 1.3 + 3 x 1.6, which binary floats would give as 6.750000000000001.
    assert weighted_gap(goals) == 6.75


def test_progress_summary_adds_up_closed_and_total_gap() -> None:
    goals = [
        progress("value-and-pnl", 1.5, 2.5),  # 3 x 1.5 total, 3 x 1.0 closed
        progress("outcome-strategy", 2.0, 1.0),  # 2 x 1.0 total, nothing closed (went back)
        progress("product-quality", 1.0, 2.5),  # 1.5 x 1.0 total, 1.5 x 1.0 closed (capped)
        progress("customer-evidence", 2.0, None),  # 2 x 1.0 total, not re-rated
    ]

    summary = progress_summary(goals, day=60)

    assert summary.total_weighted_gap == 10.0
    assert summary.closed_weighted_gap == 4.5
    assert summary.closed_share == 0.45
    assert summary.goal_shares == {
        "value-and-pnl": 0.667,
        "outcome-strategy": 0.0,
        "product-quality": 1.0,
        "customer-evidence": 0.0,
    }
    assert summary.fail_fast is False
    assert summary.fail_fast_reasons == []


def test_no_goals_counts_as_fully_closed() -> None:
    summary = progress_summary([], day=120)

    assert (summary.total_weighted_gap, summary.closed_share, summary.fail_fast) == (
        0.0,
        1.0,
        False,
    )


def test_fail_fast_waits_until_day_90() -> None:
    goals = [progress("outcome-strategy", 1.0, None)]

    assert progress_summary(goals, day=89).fail_fast is False
    assert progress_summary(goals, day=89).fail_fast_reasons == []
    at_90 = progress_summary(goals, day=90)
    assert at_90.fail_fast is True
    assert at_90.fail_fast_reasons == [
        "Only 0% of the weighted gap has closed by day 90 (threshold 25%)."
    ]


def test_closed_share_of_exactly_a_quarter_does_not_raise_fail_fast() -> None:
    # Weight 2, gap 2.0: total 4.0; reaching 1.5 closes 1.0, exactly 25%.
    summary = progress_summary([progress("outcome-strategy", 1.0, 1.5)], day=90)

    assert summary.closed_share == 0.25
    assert summary.fail_fast is False


def test_closed_share_just_under_a_quarter_raises_fail_fast() -> None:
    summary = progress_summary([progress("outcome-strategy", 1.0, 1.498)], day=90)

    assert summary.closed_share == 0.249
    assert summary.fail_fast_reasons == [
        "Only 24.9% of the weighted gap has closed by day 90 (threshold 25%)."
    ]


def test_closed_share_reason_uses_the_review_day() -> None:
    summary = progress_summary([progress("outcome-strategy", 1.0, 1.36)], day=120)

    assert summary.fail_fast_reasons == [
        "Only 18% of the weighted gap has closed by day 120 (threshold 25%)."
    ]


def test_must_have_exactly_two_levels_short_raises_fail_fast() -> None:
    goals = [
        progress("value-and-pnl", 1.0, 1.0),  # re-rated, not moved: 2.0 short
        progress("multidisciplinary-leadership", 1.0, 3.0),  # fully closed
    ]

    summary = progress_summary(goals, day=90)

    assert summary.closed_share == 0.5
    assert summary.fail_fast is True
    assert summary.fail_fast_reasons == [
        "Owning value and the P&L is still 2 levels below the required level 3."
    ]


def test_must_have_just_under_two_levels_short_does_not_raise() -> None:
    goals = [
        progress("value-and-pnl", 1.0, 1.01),
        progress("multidisciplinary-leadership", 1.0, 3.0),
    ]

    summary = progress_summary(goals, day=90)

    # (0.03 + 6) / 12 = 0.5025, shown as 0.503.
    assert summary.closed_share == 0.503
    assert summary.fail_fast is False
    assert summary.fail_fast_reasons == []


def test_only_must_haves_trigger_the_level_rule() -> None:
    goals = [
        progress("value-and-pnl", 1.0, 1.0, must=False),
        progress("multidisciplinary-leadership", 1.0, 3.0),
    ]

    assert progress_summary(goals, day=90).fail_fast is False


def test_must_have_not_re_rated_uses_baseline_and_says_so() -> None:
    goals = [
        progress("stakeholder-tension", 0.75, None),
        progress("continuous-prioritisation", 0.5, 1.0),
        progress("multidisciplinary-leadership", 0.0, 3.0),
    ]

    summary = progress_summary(goals, day=180)

    # Total 2 x 2.25 + 2 x 2.5 + 3 x 3 = 18.5; closed 1.0 + 9 = 10.
    assert (summary.total_weighted_gap, summary.closed_weighted_gap) == (18.5, 10.0)
    assert summary.closed_share == 0.541
    assert summary.fail_fast_reasons == [
        "Managing stakeholder tension is still 2.25 levels below the required level 3."
        " It has not been re-rated yet.",
        "Continuous prioritisation is still 2 levels below the required level 3.",
    ]


def test_both_rules_give_both_reasons(library: ActionLibrary) -> None:
    (goal,) = generate_goals([goal_input("value-and-pnl", 0.5)], library)

    summary = progress_summary([progress_input(goal, 0.8)], day=90)

    assert summary.closed_share == 0.12
    assert summary.fail_fast_reasons == [
        "Only 12% of the weighted gap has closed by day 90 (threshold 25%).",
        "Owning value and the P&L is still 2.2 levels below the required level 3.",
    ]
