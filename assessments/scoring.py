"""Score one assessment against its role version, band it, and rank candidates.

How a result is worked out, for one assessment against the competencies of one role version:

- Panel level P of a competency is the mean of the ratings from submitted interviews
  ("not assessed" is left out by the caller). A competency is *assessed* when it has a P.
- attainment = min(P / required, 1).
- readiness = 100 x sum(weight x attainment) / sum(weight) over assessed competencies, 0 when
  none is assessed. Each lens gets the same figure over its own assessed competencies.
- coverage = assessed weight / total weight.
- gap = max(required - P, 0). A must-have is unmet when it is assessed and P < required.
- band, first match wins: ``insufficient-evidence`` (coverage < 0.8 or a must-have is not
  assessed), ``ready-now`` (readiness >= 85, no must-have unmet), ``ready-with-support``
  (readiness >= 65, every must-have gap <= 1), otherwise ``not-yet-ready``.
- flags: ``blind-spot`` (self - P >= 1.5), ``hidden-strength`` (P - self >= 1.5),
  ``calibrate`` (highest panel rating - lowest >= 2) and ``stakeholder-concern`` (P - S >= 1.5,
  S the stakeholder level below).

Stakeholders (the exec's business peers, digital teams and senior stakeholders) give a third
view beside self and panel. Stakeholder level S of a competency is the mean of their levels,
shown only when at least ``stakeholder_min`` of them rated it (``None`` below: fewer could be
told apart); the count of their ratings is reported as it is. S never enters readiness, coverage,
gaps or the band, which rest on panel evidence only: each stakeholder sees part of the job, from
where they sit, and some competencies not at all; they answer without an interviewer's
structure, evidence or calibration; and who was asked shapes the figure. Their view is a signal
to probe (the ``stakeholder-concern`` flag asks the panel to look again), not a verdict.

Rounding and thresholds: sums are worked out exactly (fractions, not binary floats) and rounded
once, half-up, with ``round_half_up``: readiness to 1 decimal, coverage to 3, panel level and gap
to 2, attainment to 3. Every threshold is then compared with the ROUNDED figure the user sees,
so a displayed readiness of 85.0 is always ``ready-now`` material, a displayed coverage of 0.8 is
never ``insufficient-evidence``, and a displayed gap of 1.0 counts as "gap <= 1". For the same
reason the gap, the unmet test and the self/panel flags use the panel level as displayed
(2 decimals), so the numbers on screen add up to the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

from assessments.model import LENSES, LEVELS, RATING_SCALE, Competency, round_half_up

BANDS: tuple[str, ...] = (
    "ready-now",
    "ready-with-support",
    "not-yet-ready",
    "insufficient-evidence",
)
BAND_LABELS: dict[str, str] = {
    "ready-now": "Ready now",
    "ready-with-support": "Ready with support",
    "not-yet-ready": "Not yet ready",
    "insufficient-evidence": "Insufficient evidence",
}
FLAGS: tuple[str, ...] = ("blind-spot", "hidden-strength", "calibrate", "stakeholder-concern")
FLAG_LABELS: dict[str, str] = {
    "blind-spot": "Blind spot",
    "hidden-strength": "Hidden strength",
    "calibrate": "Calibrate",
    "stakeholder-concern": "Stakeholder concern",
}

READY_NOW_MIN = 85.0
READY_WITH_SUPPORT_MIN = 65.0
COVERAGE_MIN = 0.8
SUPPORTABLE_MUST_HAVE_GAP = 1.0
FLAG_DIFFERENCE = 1.5
CALIBRATE_SPREAD = 2
# Fewest stakeholder ratings of a competency for their mean to be shown (the app passes its
# STAKEHOLDER_MIN_RESPONSES setting).
STAKEHOLDER_MIN = 3

_LOWEST_RATING = min(RATING_SCALE)
_HIGHEST_RATING = max(RATING_SCALE)


@dataclass(frozen=True)
class CompetencyScore:
    """How one competency came out: the evidence, the panel level, the gap and any flags."""

    key: str
    name: str
    lens: str
    weight: float
    required: int
    must_have: bool
    self_rating: int | None
    ratings: tuple[int, ...]
    panel: float | None
    gap: float | None
    attainment: float | None
    flags: tuple[str, ...]
    # Mean stakeholder level, None below the threshold; the number of stakeholder ratings.
    stakeholder: float | None = None
    stakeholder_count: int = 0

    @property
    def assessed(self) -> bool:
        """True when the panel gave at least one real rating."""
        return self.panel is not None

    @property
    def met(self) -> bool:
        """True when assessed and the panel level reaches the required level."""
        return self.panel is not None and self.panel >= self.required


@dataclass(frozen=True)
class ScoreResult:
    """The score of one assessment: readiness, band, coverage, lenses and each competency."""

    readiness: float
    band: str
    coverage: float
    # A dict keeps the lens order for templates; left out of the hash so results stay hashable.
    lenses: dict[str, float | None] = field(hash=False)
    must_have_unmet: tuple[str, ...]
    must_have_unassessed: tuple[str, ...]
    competencies: tuple[CompetencyScore, ...]
    # Stakeholders who submitted their view (some may have rated nothing they could observe).
    stakeholder_responses: int = 0

    @property
    def band_label(self) -> str:
        """The band as a person reads it."""
        return BAND_LABELS[self.band]

    @property
    def must_have_gap_sum(self) -> float:
        """Sum of the gaps of assessed must-haves (used to break ranking ties)."""
        total = sum(
            (Fraction(repr(c.gap)) for c in self.competencies if c.must_have and c.gap is not None),
            Fraction(0),
        )
        return round_half_up(float(total), 2)

    def strengths(self, limit: int = 3) -> tuple[CompetencyScore, ...]:
        """Competencies at or above the bar: furthest above first, then heavier, then role order."""
        order = {c.key: i for i, c in enumerate(self.competencies)}
        met = [c for c in self.competencies if c.met]
        met.sort(key=lambda c: (-_above(c), -c.weight, order[c.key]))
        return tuple(met[:limit])

    def weaknesses(self, limit: int = 3) -> tuple[CompetencyScore, ...]:
        """Competencies below the bar, largest weight x gap first (then role order)."""
        order = {c.key: i for i, c in enumerate(self.competencies)}
        short = [c for c in self.competencies if c.gap is not None and c.gap > 0]
        short.sort(key=lambda c: (-_weighted_gap(c), order[c.key]))
        return tuple(short[:limit])

    @property
    def blind_spots(self) -> tuple[CompetencyScore, ...]:
        """Competencies where the candidate rated themself well above the panel."""
        return tuple(c for c in self.competencies if "blind-spot" in c.flags)

    @property
    def hidden_strengths(self) -> tuple[CompetencyScore, ...]:
        """Competencies where the panel rated the candidate well above their own view."""
        return tuple(c for c in self.competencies if "hidden-strength" in c.flags)

    @property
    def stakeholder_concerns(self) -> tuple[CompetencyScore, ...]:
        """Competencies where stakeholders see the candidate well below the panel."""
        return tuple(c for c in self.competencies if "stakeholder-concern" in c.flags)


def _above(score: CompetencyScore) -> Fraction:
    # Exact, so two competencies 0.33 above the bar tie instead of differing in the 17th digit.
    assert score.panel is not None
    return Fraction(repr(score.panel)) - score.required


def _weighted_gap(score: CompetencyScore) -> Fraction:
    assert score.gap is not None
    return _exact(score.weight) * Fraction(repr(score.gap))


def _exact(value: float) -> Fraction:
    # Weights come from YAML as decimals (0.15); take the decimal the author wrote, not the
    # nearest binary float, so sums such as 0.15 + 0.05 are exact.
    return Fraction(repr(float(value)))


def _is_rating(value: object) -> bool:
    # bool is an int subclass; True must not pass as a rating of 1.
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and _LOWEST_RATING <= value <= _HIGHEST_RATING
    )


def _validate(
    competencies: Sequence[Competency],
    self_ratings: Mapping[str, int | None],
    panel_ratings: Mapping[str, Sequence[int]],
    stakeholder_ratings: Mapping[str, Sequence[int]],
) -> None:
    keys: set[str] = set()
    for comp in competencies:
        if comp.key in keys:
            raise ValueError(f"Competency '{comp.key}' appears more than once")
        keys.add(comp.key)
        if comp.lens not in LENSES:
            raise ValueError(f"Competency '{comp.key}' has unknown lens '{comp.lens}'")
        if comp.required_level not in LEVELS:
            raise ValueError(
                f"Competency '{comp.key}' has required level {comp.required_level!r};"
                f" it must be one of {', '.join(map(str, LEVELS))}"
            )
        if not comp.weight >= 0:  # also catches NaN
            raise ValueError(f"Competency '{comp.key}' has weight {comp.weight!r}; it must be >= 0")
    for key, rating in self_ratings.items():
        if key not in keys:
            raise ValueError(f"Self rating given for unknown competency '{key}'")
        if rating is not None and not _is_rating(rating):
            raise ValueError(
                f"Self rating for '{key}' must be a whole number from {_LOWEST_RATING} to"
                f" {_HIGHEST_RATING}, got {rating!r}"
            )
    for source, given in (("Panel", panel_ratings), ("Stakeholder", stakeholder_ratings)):
        for key, ratings in given.items():
            if key not in keys:
                raise ValueError(f"{source} ratings given for unknown competency '{key}'")
            for rating in ratings:
                if not _is_rating(rating):
                    raise ValueError(
                        f"{source} rating for '{key}' must be a whole number from"
                        f" {_LOWEST_RATING} to {_HIGHEST_RATING}, got {rating!r}"
                    )


def _flags(
    self_rating: int | None,
    panel: float | None,
    ratings: tuple[int, ...],
    stakeholder: float | None = None,
) -> tuple[str, ...]:
    flags: list[str] = []
    if panel is not None and self_rating is not None:
        # Differences on the displayed panel level, rounded to kill float noise (4 - 2.5 etc.).
        difference = round_half_up(self_rating - panel, 2)
        if difference >= FLAG_DIFFERENCE:
            flags.append("blind-spot")
        if -difference >= FLAG_DIFFERENCE:
            flags.append("hidden-strength")
    if ratings and max(ratings) - min(ratings) >= CALIBRATE_SPREAD:
        flags.append("calibrate")
    # Both figures as displayed (2 decimals), like the self/panel flags.
    if (
        panel is not None
        and stakeholder is not None
        and round_half_up(panel - stakeholder, 2) >= FLAG_DIFFERENCE
    ):
        flags.append("stakeholder-concern")
    return tuple(flags)


def _readiness(parts: Iterable[tuple[Fraction, Fraction]]) -> float | None:
    """Weighted attainment in percent over (weight, attainment) pairs; None when there are none."""
    pairs = list(parts)
    if not pairs:
        return None
    total_weight = sum((w for w, _ in pairs), Fraction(0))
    if total_weight == 0:
        return 0.0
    achieved = sum((w * a for w, a in pairs), Fraction(0))
    return round_half_up(float(100 * achieved / total_weight), 1)


def score_assessment(
    competencies: Sequence[Competency],
    self_ratings: Mapping[str, int | None],
    panel_ratings: Mapping[str, Sequence[int]],
    stakeholder_ratings: Mapping[str, Sequence[int]] | None = None,
    *,
    stakeholder_responses: int = 0,
    stakeholder_min: int = STAKEHOLDER_MIN,
) -> ScoreResult:
    """Score one assessment: self ratings and submitted panel ratings against the role, with
    the stakeholders' levels beside them (never in the score)."""
    stakeholder_ratings = stakeholder_ratings or {}
    if stakeholder_min < 1:
        raise ValueError(f"stakeholder_min must be at least 1, got {stakeholder_min!r}")
    if stakeholder_responses < 0:
        raise ValueError(f"stakeholder_responses must be >= 0, got {stakeholder_responses!r}")
    _validate(competencies, self_ratings, panel_ratings, stakeholder_ratings)

    scores: list[CompetencyScore] = []
    # (weight, exact attainment) of each assessed competency, overall and per lens.
    assessed: list[tuple[Fraction, Fraction]] = []
    by_lens: dict[str, list[tuple[Fraction, Fraction]]] = {lens: [] for lens in LENSES}
    total_weight = Fraction(0)
    assessed_weight = Fraction(0)

    for comp in competencies:
        weight = _exact(comp.weight)
        total_weight += weight
        ratings = tuple(panel_ratings.get(comp.key, ()))
        self_rating = self_ratings.get(comp.key)
        panel: float | None = None
        gap: float | None = None
        attainment: float | None = None
        if ratings:
            mean = Fraction(sum(ratings), len(ratings))
            exact_attainment = min(mean / comp.required_level, Fraction(1))
            panel = round_half_up(float(mean), 2)
            gap = round_half_up(max(comp.required_level - panel, 0.0), 2)
            attainment = round_half_up(float(exact_attainment), 3)
            assessed.append((weight, exact_attainment))
            by_lens[comp.lens].append((weight, exact_attainment))
            assessed_weight += weight
        stakeholder_levels = tuple(stakeholder_ratings.get(comp.key, ()))
        stakeholder: float | None = None
        if len(stakeholder_levels) >= stakeholder_min:
            mean = Fraction(sum(stakeholder_levels), len(stakeholder_levels))
            stakeholder = round_half_up(float(mean), 2)
        scores.append(
            CompetencyScore(
                key=comp.key,
                name=comp.name,
                lens=comp.lens,
                weight=float(comp.weight),
                required=comp.required_level,
                must_have=comp.must_have,
                self_rating=self_rating,
                ratings=ratings,
                panel=panel,
                gap=gap,
                attainment=attainment,
                flags=_flags(self_rating, panel, ratings, stakeholder),
                stakeholder=stakeholder,
                stakeholder_count=len(stakeholder_levels),
            )
        )

    readiness = _readiness(assessed) or 0.0
    coverage = round_half_up(float(assessed_weight / total_weight), 3) if total_weight > 0 else 0.0
    lenses = {lens: _readiness(by_lens[lens]) for lens in LENSES}
    must_haves = [s for s in scores if s.must_have]
    unassessed = tuple(s.key for s in must_haves if not s.assessed)
    unmet = tuple(s.key for s in must_haves if s.assessed and not s.met)

    if coverage < COVERAGE_MIN or unassessed:
        band = "insufficient-evidence"
    elif readiness >= READY_NOW_MIN and not unmet:
        band = "ready-now"
    elif readiness >= READY_WITH_SUPPORT_MIN and all(
        s.gap is not None and s.gap <= SUPPORTABLE_MUST_HAVE_GAP for s in must_haves
    ):
        band = "ready-with-support"
    else:
        band = "not-yet-ready"

    return ScoreResult(
        readiness=readiness,
        band=band,
        coverage=coverage,
        lenses=lenses,
        must_have_unmet=unmet,
        must_have_unassessed=unassessed,
        competencies=tuple(scores),
        stakeholder_responses=stakeholder_responses,
    )


class Rankable(Protocol):
    """What ranking reads of a result: a whole ScoreResult, or the figures stored from one."""

    @property
    def band(self) -> str: ...

    @property
    def readiness(self) -> float: ...

    @property
    def must_have_gap_sum(self) -> float: ...


@dataclass(frozen=True)
class RankEntry:
    """One candidate's result to rank; ref carries whatever the caller needs back (an id, a row)."""

    name: str
    result: Rankable
    ref: object = None


def _rank_key(entry: RankEntry) -> tuple[int, float, float, str]:
    result = entry.result
    return (
        BANDS.index(result.band),
        -result.readiness,
        result.must_have_gap_sum,
        entry.name.casefold(),
    )


def rank_candidates(entries: Iterable[RankEntry]) -> list[RankEntry]:
    """Order candidates by band, then readiness (high first), must-have gaps (low first), name."""
    return sorted(entries, key=_rank_key)


def score_to_json(
    result: ScoreResult, *, candidate: str, role: str, version: int
) -> dict[str, object]:
    """The result as plain JSON-ready data, keys in a fixed order."""
    return {
        "candidate": candidate,
        "role": role,
        "version": version,
        "readiness": result.readiness,
        "band": result.band,
        "coverage": result.coverage,
        "lenses": dict(result.lenses),
        "must_have_unmet": list(result.must_have_unmet),
        "competencies": [
            {
                "key": c.key,
                "required": c.required,
                "weight": c.weight,
                "self": c.self_rating,
                "panel": c.panel,
                "ratings": list(c.ratings),
                "gap": c.gap,
                "attainment": c.attainment,
                "flags": list(c.flags),
                "stakeholder": c.stakeholder,
                "stakeholder_count": c.stakeholder_count,
            }
            for c in result.competencies
        ],
        "stakeholder_responses": result.stakeholder_responses,
    }
