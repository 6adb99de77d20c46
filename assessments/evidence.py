"""What a score rests on, and the words that explain it, shared by pages and PDFs.

Nothing here changes a score: `assessments.scoring` works the figures out; this module only
says, from those figures, what they rest on and why the band came out as it did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from assessments.model import round_half_up
from assessments.scoring import (
    BAND_LABELS,
    COVERAGE_MIN,
    READY_NOW_MIN,
    READY_WITH_SUPPORT_MIN,
    SUPPORTABLE_MUST_HAVE_GAP,
)

NOT_SCORED = "Not scored yet"
DASH = "\u2013"


@dataclass(frozen=True)
class Evidence:
    """The evidence under a score: interviews on the panel and submitted, real panel ratings
    (not "not assessed"), and whether the exec's self-assessment is submitted."""

    interviews_assigned: int
    interviews_submitted: int
    panel_ratings: int
    self_submitted: bool

    @property
    def scored(self) -> bool:
        """True once the panel has given at least one real rating: before that no figure means
        anything, so none is shown and the candidate is not ranked."""
        return self.interviews_submitted > 0 and self.panel_ratings > 0

    @property
    def panel_complete(self) -> bool:
        """True when every interview on the panel is submitted."""
        return (
            self.interviews_assigned > 0 and self.interviews_submitted >= self.interviews_assigned
        )

    @property
    def one_rater(self) -> bool:
        """True when the score rests on a single interviewer's ratings."""
        return self.interviews_submitted == 1

    def interviews(self) -> str:
        """'2 of 3 interviews' (or 'No interview yet' with nobody on the panel)."""
        assigned = max(self.interviews_assigned, self.interviews_submitted)
        if assigned == 0:
            return "No interview yet"
        noun = "interview" if assigned == 1 else "interviews"
        return f"{self.interviews_submitted} of {assigned} {noun}"

    def self_assessment(self) -> str:
        """Whether the self-assessment is in, as a reader says it."""
        return "self-assessment submitted" if self.self_submitted else "no self-assessment yet"

    def panel_summary(self) -> str:
        """'1 of 3 interviews · rests on one rater': the panel's part of the summary."""
        one = " · rests on one rater" if self.one_rater and self.scored else ""
        return self.interviews() + one

    def summary(self) -> str:
        """'3 of 3 interviews · self-assessment submitted', plus 'rests on one rater' when so."""
        parts = [self.interviews(), self.self_assessment()]
        if self.one_rater and self.scored:
            parts.append("rests on one rater")
        return " · ".join(parts)


def level(value: float | None, missing: str = DASH) -> str:
    """A level for reading: at most two decimals, no trailing zeros (2.0 -> '2', 2.5 -> '2.5')."""
    if value is None:
        return missing
    text = f"{round_half_up(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def mean_level(value: float | None, missing: str = DASH) -> str:
    """A mean of whole ratings for reading: one decimal is all a reader can use (2.33 -> '2.3')."""
    if value is None:
        return missing
    text = f"{round_half_up(value, 1):.1f}"
    return text.removesuffix(".0")


def ratings_to_mean(ratings: Sequence[int], panel: float | None) -> str:
    """The ratings beside their mean: '2, 3, 2 → 2.3'; one rating is just itself."""
    if not ratings or panel is None:
        return "Not assessed"
    if len(ratings) == 1:
        return str(ratings[0])
    return f"{', '.join(str(r) for r in ratings)} → {mean_level(panel)}"


def percent(value: float) -> str:
    """A readiness figure as shown: one decimal and a percent sign ('94.3%')."""
    return f"{value:.1f}%"


class _MustHave(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def must_have(self) -> bool: ...
    @property
    def panel(self) -> float | None: ...
    @property
    def gap(self) -> float | None: ...
    @property
    def required(self) -> int: ...


class _Result(Protocol):
    @property
    def band(self) -> str: ...
    @property
    def readiness(self) -> float: ...
    @property
    def coverage(self) -> float: ...
    @property
    def must_have_unmet(self) -> tuple[str, ...]: ...
    @property
    def must_have_unassessed(self) -> tuple[str, ...]: ...


def must_have_count(met: int, total: int) -> str:
    """'2 of 3 must-haves met' ('No must-haves' for a role without any)."""
    if total == 0:
        return "No must-haves"
    return f"{met} of {total} must-have{'' if total == 1 else 's'} met"


def _names(keys: Iterable[str], names: Mapping[str, str]) -> list[str]:
    return [names.get(key, key) for key in keys]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _below(name: str, gap: float | None) -> str:
    return f"{name}, a must-have, is {level(gap)} below the bar"


def _short_must_haves(competencies: Sequence[_MustHave], keys: Sequence[str]) -> str:
    by_key = {c.key: c for c in competencies}
    parts = [_below(by_key[k].name, by_key[k].gap) for k in keys if k in by_key]
    return "; ".join(parts)


def band_sentence(result: _Result, competencies: Sequence[_MustHave] | None = None) -> str:
    """One sentence saying why the band came out as it did, from the score result's figures.

    With the competencies (a full ScoreResult) the sentence names the must-haves at fault and
    their gaps; from a list's summary it counts them.
    """
    comps = list(competencies or getattr(result, "competencies", ()) or ())
    names = {c.key: c.name for c in comps}
    band = BAND_LABELS[result.band]
    figure = percent(result.readiness)
    unmet = list(result.must_have_unmet)
    unassessed = list(result.must_have_unassessed)

    def at_fault(keys: list[str]) -> str:
        if comps:
            return _short_must_haves(comps, keys)
        count = len(keys)
        return f"{count} must-have{' is' if count == 1 else 's are'} below the bar"

    if result.band == "insufficient-evidence":
        reasons = []
        if result.coverage < COVERAGE_MIN:
            reasons.append(
                f"the panel has rated {round_half_up(result.coverage * 100, 1):g}% of the role's"
                f" weight, and a band needs {COVERAGE_MIN * 100:g}%"
            )
        if unassessed:
            reasons.append(_unrated(unassessed, names if comps else None))
        sentence = "; ".join(reasons)
        return f"No band yet: {sentence}."
    if result.band == "ready-now":
        return (
            f"{figure} is at or above the {READY_NOW_MIN:g}% for {band}, and every must-have"
            " meets the bar."
        )
    if result.band == "ready-with-support":
        if result.readiness >= READY_NOW_MIN and unmet:
            return f"{figure} would be Ready now, but {at_fault(unmet)}."
        tail = f"; {at_fault(unmet)}" if unmet else ", and every must-have meets the bar"
        return (
            f"{figure} clears the {READY_WITH_SUPPORT_MIN:g}% for {band} but not the"
            f" {READY_NOW_MIN:g}% for Ready now{tail}."
        )
    # not yet ready
    if result.readiness >= READY_WITH_SUPPORT_MIN:
        far = _far_must_haves(comps, unmet)
        target = "Ready now" if result.readiness >= READY_NOW_MIN else "Ready with support"
        if far:
            return (
                f"{figure} would be {target}, but {far}: more than the"
                f" {SUPPORTABLE_MUST_HAVE_GAP:g} level support can close."
            )
        return f"{figure} would be {target}, but {at_fault(unmet)}, more than support can close."
    return f"{figure} is below the {READY_WITH_SUPPORT_MIN:g}% needed for Ready with support."


def _unrated(keys: Sequence[str], names: Mapping[str, str] | None) -> str:
    if names is None:
        count = len(keys)
        return f"{count} must-have{' has' if count == 1 else 's have'} not been rated yet"
    if len(keys) == 1:
        return f"nobody on the panel has rated {names.get(keys[0], keys[0])}, a must-have, yet"
    return f"nobody on the panel has rated the must-haves {_join(_names(keys, names))} yet"


def _far_must_haves(comps: Sequence[_MustHave], unmet: Sequence[str]) -> str:
    if not comps:
        return ""
    by_key = {c.key: c for c in comps}
    far = [
        by_key[k] for k in unmet if k in by_key and (by_key[k].gap or 0) > SUPPORTABLE_MUST_HAVE_GAP
    ]
    return "; ".join(_below(c.name, c.gap) for c in far)
