"""Coaching plans built from assessment gaps: goals, load reduction, checkpoints and fail-fast."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files
from typing import Any

import yaml

from assessments import safe_yaml
from assessments.model import LENSES, round_half_up
from assessments.safe_yaml import YamlRefused

LARGE_GAP = 1.5
"""A gap of this many levels or more gets the large-gap actions."""

FAIL_FAST_DAY = 90
FAIL_FAST_MIN_CLOSED_SHARE = 0.25
FAIL_FAST_MUST_HAVE_SHORTFALL = 2.0

LOAD_MONTHS_MIN = 6
LOAD_MONTHS_MAX = 12

REVIEW_DECISIONS: tuple[str, ...] = ("continue", "extend", "exit")
REVIEW_DECISION_LABELS: dict[str, str] = {
    "continue": "Continue",
    "extend": "Extend the plan",
    "exit": "Exit and bring in an experienced Product Director",
}

ACTION_LIBRARY_FILE = "coaching-actions.yaml"
_MIN_ACTIONS = 2
_MAX_ACTIONS = 3
_ACTION_FIELDS: tuple[str, ...] = ("small_gap", "large_gap", "progress_evidence")


def _dec(value: float) -> Decimal:
    # Levels and weights are typed by people with a couple of decimals; summing them as
    # decimals keeps 0.25 exactly 0.25 at the fail-fast threshold.
    return Decimal(repr(value))


# --- action library -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSet:
    """The coaching actions for one competency or lens, by size of gap."""

    small_gap: tuple[str, ...]
    large_gap: tuple[str, ...]
    progress_evidence: str


class ActionLibraryError(ValueError):
    """Raised when the coaching action library is not valid; `errors` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("Coaching action library is not valid: " + "; ".join(self.errors))


@dataclass(frozen=True)
class ActionLibrary:
    """Coaching actions per competency key, with per-lens defaults for anything else."""

    competencies: Mapping[str, ActionSet]
    lens_defaults: Mapping[str, ActionSet]

    def action_set(self, key: str, lens: str) -> ActionSet:
        """Return the competency's own actions, or its lens defaults when it has none."""
        if key in self.competencies:
            return self.competencies[key]
        if lens in self.lens_defaults:
            return self.lens_defaults[lens]
        raise KeyError(f"no coaching actions for competency {key!r} or lens {lens!r}")

    def actions_for(self, key: str, lens: str, gap: float) -> tuple[list[str], str]:
        """Return the actions for a gap of this size (large from 1.5 levels) and the evidence."""
        chosen = self.action_set(key, lens)
        actions = chosen.large_gap if gap >= LARGE_GAP else chosen.small_gap
        return list(actions), chosen.progress_evidence


def _parse_action_set(place: str, raw: Any, errors: list[str]) -> ActionSet | None:
    if not isinstance(raw, dict):
        errors.append(f"{place}: must be a mapping of {', '.join(_ACTION_FIELDS)}")
        return None
    errors_before = len(errors)
    for unknown in sorted(str(k) for k in raw if k not in _ACTION_FIELDS):
        errors.append(f"{place}.{unknown}: unknown field")
    for name in ("small_gap", "large_gap"):
        actions = raw.get(name)
        if (
            not isinstance(actions, list)
            or not _MIN_ACTIONS <= len(actions) <= _MAX_ACTIONS
            or not all(isinstance(a, str) and a.strip() for a in actions)
        ):
            errors.append(f"{place}.{name}: must list {_MIN_ACTIONS} to {_MAX_ACTIONS} actions")
    evidence = raw.get("progress_evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        errors.append(f"{place}.progress_evidence: must be non-empty text")
    if len(errors) > errors_before:
        return None
    return ActionSet(
        small_gap=tuple(a.strip() for a in raw["small_gap"]),
        large_gap=tuple(a.strip() for a in raw["large_gap"]),
        progress_evidence=evidence.strip() if isinstance(evidence, str) else "",
    )


def parse_action_library(text: str) -> ActionLibrary:
    """Parse and validate a coaching action library, reporting every problem at once."""
    try:
        raw = safe_yaml.load(text)
    except YamlRefused as exc:
        raise ActionLibraryError([exc.one_line()]) from exc
    except yaml.YAMLError as exc:
        raise ActionLibraryError([f"not valid YAML: {exc}"]) from exc
    if not isinstance(raw, dict):
        raise ActionLibraryError(["library: must be a mapping with competencies and lens_defaults"])
    errors: list[str] = []
    for unknown in sorted(str(k) for k in raw if k not in ("competencies", "lens_defaults")):
        errors.append(f"{unknown}: unknown field")
    sections: dict[str, dict[str, ActionSet]] = {"competencies": {}, "lens_defaults": {}}
    for section, parsed in sections.items():
        entries = raw.get(section)
        if not isinstance(entries, dict):
            errors.append(f"{section}: must be a mapping")
            continue
        for key, entry in entries.items():
            action_set = _parse_action_set(f"{section}.{key}", entry, errors)
            if action_set is not None:
                parsed[str(key)] = action_set
    lens_entries = raw.get("lens_defaults")
    if isinstance(lens_entries, dict):
        for lens in LENSES:
            if lens not in lens_entries:
                errors.append(f"lens_defaults.{lens}: is required")
        for lens in lens_entries:
            if lens not in LENSES:
                errors.append(f"lens_defaults.{lens}: must be one of {', '.join(LENSES)}")
    if errors:
        raise ActionLibraryError(errors)
    return ActionLibrary(
        competencies=sections["competencies"], lens_defaults=sections["lens_defaults"]
    )


def load_action_library() -> ActionLibrary:
    """Load the shipped coaching action library."""
    text = files("assessments").joinpath("data", ACTION_LIBRARY_FILE).read_text("utf-8")
    return parse_action_library(text)


# --- goals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalInput:
    """One competency of the role with the panel's consolidated level (None when unassessed)."""

    key: str
    name: str
    lens: str
    weight: float
    required_level: int
    must_have: bool
    panel: float | None


@dataclass(frozen=True)
class Goal:
    """A coaching goal: close the gap from the panel's level to the level the role requires."""

    key: str
    name: str
    lens: str
    must_have: bool
    weight: float
    baseline: float
    target_level: int
    gap: float
    actions: list[str]
    progress_evidence: str


def generate_goals(inputs: Sequence[GoalInput], library: ActionLibrary) -> list[Goal]:
    """Return one goal per assessed competency below its required level, most pressing first."""
    ranked: list[tuple[bool, Decimal, int, Goal]] = []
    for index, item in enumerate(inputs):
        if item.panel is None or item.panel >= item.required_level:
            continue
        gap = round_half_up(float(_dec(item.required_level) - _dec(item.panel)), 2)
        actions, evidence = library.actions_for(item.key, item.lens, gap)
        goal = Goal(
            key=item.key,
            name=item.name,
            lens=item.lens,
            must_have=item.must_have,
            weight=item.weight,
            baseline=float(item.panel),
            target_level=item.required_level,
            gap=gap,
            actions=actions,
            progress_evidence=evidence,
        )
        ranked.append((item.must_have, _dec(item.weight) * _dec(gap), index, goal))
    ranked.sort(key=lambda entry: (not entry[0], -entry[1], entry[2]))
    return [entry[3] for entry in ranked]


def unassessed(inputs: Sequence[GoalInput]) -> list[GoalInput]:
    """Return the competencies with no panel level, so the CPO can gather evidence for them."""
    return [item for item in inputs if item.panel is None]


# --- load reduction -----------------------------------------------------------------------


@dataclass(frozen=True)
class LoadStep:
    """The share of the exec's time planned for their former role in one month of the plan."""

    month: int
    planned_share: int


def default_load_schedule(
    months: int = 9, start_share: int = 60, end_share: int = 10
) -> list[LoadStep]:
    """Return a month-by-month plan that hands the former role over in roughly even steps."""
    if not LOAD_MONTHS_MIN <= months <= LOAD_MONTHS_MAX:
        raise ValueError(
            f"The load reduction must run for {LOAD_MONTHS_MIN} to {LOAD_MONTHS_MAX} months "
            f"(got {months})."
        )
    for label, share in (("start", start_share), ("end", end_share)):
        if not 0 <= share <= 100:
            raise ValueError(f"The {label} share must be between 0 and 100 percent (got {share}).")
    if end_share > start_share:
        raise ValueError(
            f"The end share ({end_share}%) cannot be more than the start share ({start_share}%): "
            "time on the former role should go down, not up."
        )
    step = Decimal(end_share - start_share) / (months - 1)
    return [
        LoadStep(
            month=month,
            planned_share=int(
                (start_share + step * (month - 1)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            ),
        )
        for month in range(1, months + 1)
    ]


# --- checkpoints --------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A review point in the plan with what success looks like by then."""

    day: int
    title: str
    success_criteria: list[str]


_CHECKPOINTS: dict[int, tuple[str, tuple[str, ...]]] = {
    30: (
        "Day 30: settled in",
        (
            "The induction items due in the first 30 days are done, including the P&L walkthrough"
            " with finance and a one to one with every discipline lead.",
            "The exec and the CPO have agreed the coaching plan and signed off its goals.",
            "The load reduction has started: the first handover from the former role has"
            " happened and the time on it is at or below the month 1 share.",
            "The trade-offs register has been shared with the exec's stakeholders.",
            "Coaching sessions are booked and at least two have taken place.",
        ),
    ),
    90: (
        "Day 90: fail-fast review",
        (
            "Every must-have goal has been re-rated and shows a measurable closing of its gap.",
            "At least a quarter of the weighted gap has closed across all goals.",
            "The exec runs the stream's prioritisation without the CPO stepping in, and explains"
            " what was not chosen.",
            "The exec has spent time with an experienced Product Director in a non-competing"
            " organisation and applied one thing learned.",
            "The time on the former role is in line with the load reduction schedule.",
            "The CPO records a decision: continue, extend the plan, or exit and bring in an"
            " experienced Product Director.",
        ),
    ),
    180: (
        "Day 180: leading on their own",
        (
            "Every must-have competency is at or within half a level of its required level.",
            "Most of the weighted gap has closed, and the remaining goals have a dated plan.",
            "The stream's outcomes and P&L are reported by the exec, and finance agrees with"
            " the numbers.",
            "Discipline leads and stakeholders describe the exec as the stream's leader in"
            " feedback gathered by the CPO.",
            "The former role is largely handed over, with the remaining share agreed in writing.",
            "The CPO and the exec agree whether coaching steps down to occasional mentoring.",
        ),
    ),
}


def _generic_checkpoint(day: int) -> Checkpoint:
    month = (day + 29) // 30
    return Checkpoint(
        day=day,
        title=f"Day {day}: progress review",
        success_criteria=[
            f"The induction items due by day {day} are done, or have a new agreed date.",
            "Each goal has been re-rated with evidence, and the must-have gaps are closing.",
            f"The time on the former role is at or below the planned share for month {month}.",
            "Any new trade-offs have been added to the register and shared with stakeholders.",
            "The CPO records a decision: continue, extend the plan, or exit.",
        ],
    )


def default_checkpoints(days: Sequence[int] = (30, 90, 180)) -> list[Checkpoint]:
    """Return review checkpoints with success criteria; unusual days get generic criteria."""
    if not days:
        raise ValueError("At least one checkpoint day is needed.")
    if any(day < 1 for day in days):
        raise ValueError("Checkpoint days must be 1 or more.")
    if len(set(days)) != len(days):
        raise ValueError("Checkpoint days must not repeat.")
    checkpoints: list[Checkpoint] = []
    for day in sorted(days):
        if day in _CHECKPOINTS:
            title, criteria = _CHECKPOINTS[day]
            checkpoints.append(Checkpoint(day=day, title=title, success_criteria=list(criteria)))
        else:
            checkpoints.append(_generic_checkpoint(day))
    return checkpoints


# --- trade-offs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeOff:
    """A cost the organisation accepts by growing an exec into the role, said out loud."""

    area: str
    expected_impact: str
    risk: str
    mitigation: str


def default_tradeoffs() -> list[TradeOff]:
    """Return the trade-offs to agree openly when an internal exec takes on a value stream."""
    return [
        TradeOff(
            area="Delivery forecast",
            expected_impact="The stream will ship less than forecast for the first six to nine"
            " months while the exec learns how product work is planned and sliced.",
            risk="Stakeholders read the slowdown as the new model failing and push for"
            " old-style deadlines.",
            mitigation="Re-baseline the forecast with the CPO at the start, report progress as"
            " outcomes, and review it at each checkpoint.",
        ),
        TradeOff(
            area="The exec's former function",
            expected_impact="The function the exec used to run gets less of their attention,"
            " and some decisions there will take longer.",
            risk="Problems in the former function pull the exec back and the value stream"
            " becomes a side job.",
            mitigation="Name a deputy for each handed-over responsibility and follow the load"
            " reduction schedule month by month.",
        ),
        TradeOff(
            area="Team relationships",
            expected_impact="Teams will spend time explaining their ways of working to a leader"
            " who is new to them.",
            risk="An us-and-them split grows if the exec blames the teams for pace, as they may"
            " have done from outside.",
            mitigation="Collect team feedback at 90 days, coach on it, and have the CPO step in"
            " early if trust drops.",
        ),
        TradeOff(
            area="Revenue forecast",
            expected_impact="Revenue from the stream's journeys may grow more slowly than it"
            " would under an experienced Product Director.",
            risk="The shortfall compounds if the exec is not adjusting and nobody decides.",
            mitigation="Use the fail-fast review at day 90 to decide early whether to continue,"
            " extend or bring in an experienced Product Director.",
        ),
    ]


# --- progress and fail-fast ---------------------------------------------------------------


@dataclass(frozen=True)
class GoalProgressInput:
    """A goal's starting level and its latest re-rating (None until re-rated)."""

    key: str
    name: str
    weight: float
    required_level: int
    must_have: bool
    baseline: float
    current: float | None


@dataclass(frozen=True)
class ProgressSummary:
    """How much of the plan's weighted gap has closed, and whether fail-fast is raised."""

    day: int
    total_weighted_gap: float
    closed_weighted_gap: float
    closed_share: float
    goal_shares: dict[str, float]
    fail_fast: bool
    fail_fast_reasons: list[str]


def progress_input(goal: Goal, current: float | None) -> GoalProgressInput:
    """Turn a plan goal and its latest re-rating into progress input."""
    return GoalProgressInput(
        key=goal.key,
        name=goal.name,
        weight=goal.weight,
        required_level=goal.target_level,
        must_have=goal.must_have,
        baseline=goal.baseline,
        current=current,
    )


def _goal_gap(goal: GoalProgressInput) -> Decimal:
    return max(Decimal(0), _dec(goal.required_level) - _dec(goal.baseline))


def _goal_closed(goal: GoalProgressInput) -> Decimal:
    reached = goal.baseline if goal.current is None else goal.current
    capped = min(_dec(reached), _dec(goal.required_level))
    # Going backwards does not eat into progress on other goals.
    return max(Decimal(0), capped - _dec(goal.baseline))


def weighted_gap(goals_baseline: Sequence[GoalProgressInput]) -> float:
    """Return the sum of weight x (required - baseline) over the goals."""
    return float(sum((_dec(g.weight) * _goal_gap(g) for g in goals_baseline), Decimal(0)))


def gap_closed_share(goal: GoalProgressInput) -> float:
    """Return how much of one goal's gap has closed, from 0 to 1 (3 decimals)."""
    gap = _goal_gap(goal)
    if gap == 0:
        return 1.0
    if goal.current is None:
        return 0.0
    return round_half_up(float(min(Decimal(1), _goal_closed(goal) / gap)), 3)


def _levels(value: Decimal) -> str:
    text = f"{round_half_up(float(value), 2):.2f}"
    return text[:-1] if text.endswith("0") else text


def _percent(share: float) -> str:
    text = f"{round_half_up(share * 100, 1):.1f}"
    return text.removesuffix(".0") + "%"


def progress_summary(goals: Sequence[GoalProgressInput], day: int) -> ProgressSummary:
    """Summarise progress on the plan at a given day and raise fail-fast when it is due."""
    total = sum((_dec(g.weight) * _goal_gap(g) for g in goals), Decimal(0))
    closed = sum((_dec(g.weight) * _goal_closed(g) for g in goals), Decimal(0))
    closed_share = 1.0 if total == 0 else round_half_up(float(closed / total), 3)
    reasons: list[str] = []
    if day >= FAIL_FAST_DAY:
        if closed_share < FAIL_FAST_MIN_CLOSED_SHARE:
            reasons.append(
                f"Only {_percent(closed_share)} of the weighted gap has closed by day {day} "
                f"(threshold {_percent(FAIL_FAST_MIN_CLOSED_SHARE)})."
            )
        for goal in goals:
            if not goal.must_have:
                continue
            reached = goal.baseline if goal.current is None else goal.current
            shortfall = _dec(goal.required_level) - _dec(reached)
            if shortfall >= _dec(FAIL_FAST_MUST_HAVE_SHORTFALL):
                note = "" if goal.current is not None else " It has not been re-rated yet."
                reasons.append(
                    f"{goal.name} is still {_levels(shortfall)} levels below the required "
                    f"level {goal.required_level}.{note}"
                )
    return ProgressSummary(
        day=day,
        total_weighted_gap=float(total),
        closed_weighted_gap=float(closed),
        closed_share=closed_share,
        goal_shares={g.key: gap_closed_share(g) for g in goals},
        fail_fast=bool(reasons),
        fail_fast_reasons=reasons,
    )
