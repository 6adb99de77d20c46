"""Progress against a coaching plan: gap closed, and the fail-fast rules that call a review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.evidence import level
from assessments.model import round_half_up
from assessments.plans import Goal, _dec

FAIL_FAST_DAY = 90
FAIL_FAST_MIN_CLOSED_SHARE = 0.25
FAIL_FAST_MUST_HAVE_SHORTFALL = 2.0

REVIEW_DECISIONS: tuple[str, ...] = ("continue", "extend", "pair", "return", "exit")
REVIEW_DECISION_LABELS: dict[str, str] = {
    "continue": "Continue",
    "extend": "Extend the plan",
    "pair": "Pair with an experienced Product Director",
    "return": "Return to the former role",
    "exit": "Exit and bring in an experienced Product Director",
}
REVIEW_DECISION_CONSEQUENCES: dict[str, str] = {
    "continue": "The plan stays as issued and the next checkpoint goes ahead on its date. Choose"
    " this when the gaps are closing at the pace the plan expects.",
    "extend": "Start a new plan version with later checkpoints and a longer hand-over of the"
    " former role. The stream carries the slower delivery for longer, and the trade-offs"
    " register should say so.",
    "pair": "An experienced Product Director joins the stream alongside the exec for an agreed"
    " period, shares the decisions and coaches in the work. It costs a second senior salary"
    " or a contract; the exec stays in the role and the plan continues, with the pairing as"
    " a new version.",
    "return": "The exec goes back to the former role full time and the plan ends. Agree who"
    " leads the stream from now on and how the exec is told and supported; the experience"
    " gained stays with the organisation, and the exec can be assessed again later.",
    "exit": "The exec leaves the Product Director role and the plan ends; an experienced Product"
    " Director is brought in, with the exec as a senior stakeholder. Recruiting takes months,"
    " so agree who holds the stream until then.",
}
"""What each decision sets in motion, shown where the decision-maker chooses."""

ENDING_DECISIONS: frozenset[str] = frozenset({"return", "exit"})
"""Decisions after which the exec is no longer in the role: the plan's checkpoints close."""


def plan_ended(decisions: Sequence[str | None]) -> bool:
    """True once any review has decided the exec leaves the role (return or exit)."""
    return any(decision in ENDING_DECISIONS for decision in decisions)


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
    # How each goal moved, as a person reads it ("went back 0.33"), and the goals that went back.
    movements: dict[str, str] = field(default_factory=dict)
    moved_up: tuple[str, ...] = ()
    went_back: tuple[str, ...] = ()

    @property
    def moved(self) -> str:
        """'2 of 6 goals moved up · 1 went back': the overall figure in goals, not in weighted
        levels (a total such as '1.16 of 23.85 weighted levels' means nothing to a reader)."""
        total = len(self.movements)
        noun = "goal" if total == 1 else "goals"
        text = f"{len(self.moved_up)} of {total} {noun} moved up"
        return f"{text} · {len(self.went_back)} went back" if self.went_back else text


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


def goal_movement(goal: GoalProgressInput) -> str:
    """How one goal moved since the plan's baseline: 'went back 0.33' when it fell (a share of
    the gap closed cannot say that), else the share of its gap closed."""
    if goal.current is None:
        return "Not re-rated"
    if _dec(goal.current) < _dec(goal.baseline):
        return f"went back {level(float(_dec(goal.baseline) - _dec(goal.current)))}"
    if _goal_gap(goal) == 0:
        return "at the target from the start"
    return f"{_percent(gap_closed_share(goal))} of the gap closed"


def _levels(value: Decimal) -> str:
    # "2 levels", "2.5 levels", "2.25 levels": no trailing zeros, as a person would say it.
    return f"{round_half_up(float(value), 2):.2f}".rstrip("0").rstrip(".")


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
        movements={g.key: goal_movement(g) for g in goals},
        moved_up=tuple(
            g.key for g in goals if g.current is not None and _dec(g.current) > _dec(g.baseline)
        ),
        went_back=tuple(
            g.key for g in goals if g.current is not None and _dec(g.current) < _dec(g.baseline)
        ),
    )
