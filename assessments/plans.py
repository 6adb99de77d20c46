"""Coaching plans built from assessment gaps: goals, load reduction, checkpoints, trade-offs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments.actions import Action, ActionLibrary
from assessments.model import round_half_up

LOAD_MONTHS_MIN = 6
LOAD_MONTHS_MAX = 12


def _dec(value: float) -> Decimal:
    # Levels and weights are typed by people with a couple of decimals; summing them as
    # decimals keeps 0.25 exactly 0.25 at the fail-fast threshold.
    return Decimal(repr(value))


# --- goals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalInput:
    """One competency of the role with the panel's consolidated level (None when unassessed),
    and the stakeholders' mean where enough of them rated it (see `generate_goals`)."""

    key: str
    name: str
    lens: str
    weight: float
    required_level: int
    must_have: bool
    panel: float | None
    stakeholder: float | None = None
    stakeholder_concern: bool = False


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
    actions: list[Action]
    progress_evidence: str
    # "panel": the panel's level is below the bar; "stakeholders": the panel's level meets it,
    # but the stakeholders rate it 1.5 or more lower (the baseline is then their mean).
    source: str = "panel"


GOAL_SOURCES: dict[str, str] = {
    "panel": "the panel's mean",
    "stakeholders": "stakeholder feedback",
}

STRETCH_LIMIT = 3
"""Stretch goals offered at most; a plan that stretches everything focuses on nothing."""


@dataclass(frozen=True)
class StretchGoal:
    """A competency already at its required level, with an action to go beyond it."""

    key: str
    name: str
    lens: str
    must_have: bool
    weight: float
    baseline: float
    required_level: int
    actions: list[Action]


def _concern_target(item: GoalInput) -> int:
    """A stakeholder-concern goal's target: the required level when the stakeholders see it
    below the bar, else the whole level the panel saw (show in the job what the panel saw)."""
    assert item.stakeholder is not None and item.panel is not None
    if item.stakeholder < item.required_level:
        return item.required_level
    return int(item.panel)


def generate_goals(inputs: Sequence[GoalInput], library: ActionLibrary) -> list[Goal]:
    """Return one goal per assessed competency below its required level, most pressing first,
    and one per competency with a stakeholder concern whose panel level meets the bar: the
    people who work with the exec see less of it than the panel did, so it is a gap to work on
    (from the stakeholders' mean to the target of `_concern_target`)."""
    ranked: list[tuple[bool, Decimal, int, Goal]] = []
    for index, item in enumerate(inputs):
        if item.panel is None:
            continue
        source = "panel"
        baseline = item.panel
        target = item.required_level
        if item.panel >= item.required_level:
            if not item.stakeholder_concern or item.stakeholder is None:
                continue
            source, baseline, target = "stakeholders", item.stakeholder, _concern_target(item)
        gap = round_half_up(float(_dec(target) - _dec(baseline)), 2)
        actions, evidence = library.actions_for(item.key, item.lens, gap)
        goal = Goal(
            key=item.key,
            name=item.name,
            lens=item.lens,
            must_have=item.must_have,
            weight=item.weight,
            baseline=float(baseline),
            target_level=target,
            gap=gap,
            actions=actions,
            progress_evidence=evidence,
            source=source,
        )
        ranked.append((item.must_have, _dec(item.weight) * _dec(gap), index, goal))
    ranked.sort(key=lambda entry: (not entry[0], -entry[1], entry[2]))
    return [entry[3] for entry in ranked]


def generate_stretch(
    inputs: Sequence[GoalInput], library: ActionLibrary, limit: int = STRETCH_LIMIT
) -> list[StretchGoal]:
    """Return stretch goals for met competencies, must-haves then the heaviest, up to `limit`."""
    met = [
        (index, item)
        for index, item in enumerate(inputs)
        if item.panel is not None
        and item.panel >= item.required_level
        and item.panel < 4
        # A stakeholder concern makes it a goal (generate_goals), not a stretch.
        and not (item.stakeholder_concern and item.stakeholder is not None)
    ]
    met.sort(key=lambda entry: (not entry[1].must_have, -_dec(entry[1].weight), entry[0]))
    return [
        StretchGoal(
            key=item.key,
            name=item.name,
            lens=item.lens,
            must_have=item.must_have,
            weight=item.weight,
            baseline=float(item.panel or 0),
            required_level=item.required_level,
            actions=library.stretch_for(item.key, item.lens),
        )
        for _, item in met[:limit]
    ]


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
            "The decision-maker named in the plan records a decision: continue, extend the plan,"
            " pair the exec with an experienced Product Director, return to the former role, or"
            " exit.",
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
            "The exec and the CPO agree whether coaching steps down to occasional mentoring.",
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
            "The decision-maker named in the plan records a decision and its consequences.",
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
    """What the organisation gains and what it accepts by growing an exec into the role."""

    area: str
    gain: str
    expected_impact: str
    risk: str
    mitigation: str


def default_tradeoffs() -> list[TradeOff]:
    """Return the gains and costs to agree openly when an internal exec takes on a stream."""
    return [
        TradeOff(
            area="Delivery forecast",
            gain="A senior leader who knows the business and can now also run a product stream:"
            " one more digitally able executive at the top table.",
            expected_impact="The stream will ship less than forecast for the first six to nine"
            " months while the exec learns how product work is planned and sliced.",
            risk="Stakeholders read the slowdown as the new model failing and push for"
            " old-style deadlines.",
            mitigation="Re-baseline the forecast with the CPO at the start, report progress as"
            " outcomes, and review it at each checkpoint.",
        ),
        TradeOff(
            area="The exec's former function",
            gain="The former function gets a leader who understands how the product teams work,"
            " and its deputies get room to step up.",
            expected_impact="The function the exec used to run gets less of the exec's attention,"
            " and some decisions there will take longer.",
            risk="Problems in the former function pull the exec back and the value stream"
            " becomes a side job.",
            mitigation="Name a deputy for each handed-over responsibility and follow the load"
            " reduction schedule month by month.",
        ),
        TradeOff(
            area="Team relationships",
            gain="The business side and the digital teams share a leader, so their disputes are"
            " settled inside the stream instead of across a boundary.",
            expected_impact="Teams will spend time explaining their ways of working to a leader"
            " who is new to them.",
            risk="An us-and-them split grows if the exec blames the teams for pace, as is easy"
            " to do from outside.",
            mitigation="Collect team feedback at 90 days, coach on it, and have the CPO step in"
            " early if trust drops.",
        ),
        TradeOff(
            area="Revenue forecast",
            gain="Commercial judgement the stream would otherwise have to borrow: the exec already"
            " knows the customers, the contracts and where the money is made.",
            expected_impact="Revenue from the stream's journeys may grow more slowly than it"
            " would under an experienced Product Director.",
            risk="The shortfall compounds if the exec is not adjusting and nobody decides.",
            mitigation="Use the fail-fast review at day 90 to decide early whether to continue,"
            " extend, pair the exec with an experienced Product Director, or end the plan.",
        ),
        TradeOff(
            area="Keeping digital staff",
            gain="Digital staff see an organisation that invests in product leadership from"
            " within, which can be a reason to stay.",
            expected_impact="Experienced product, design and engineering people may spend months"
            " working for a leader who is still learning their craft.",
            risk="Senior digital staff leave if they feel led by someone who does not understand"
            " their work, taking knowledge of the stream with them.",
            mitigation="Give the discipline leads a direct line to the CPO, ask them about"
            " retention at each checkpoint, and track leavers from the stream against the"
            " organisation's usual rate.",
        ),
    ]
