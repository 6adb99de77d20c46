"""Experience coverage: an exec's recorded experience against the functions a stream needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["EXPERIENCE_LEVELS", "Coverage", "FunctionCoverage", "coverage", "needed_functions"]

EXPERIENCE_LEVELS: dict[str, str] = {"none": "None", "some": "Some", "deep": "Deep"}


@dataclass(frozen=True)
class FunctionCoverage:
    """An exec's experience in one function a stream needs."""

    function: str
    level: str  # none, some, deep

    @property
    def label(self) -> str:
        """None, Some or Deep."""
        return EXPERIENCE_LEVELS[self.level]

    @property
    def gap(self) -> bool:
        """No experience in a function the stream needs."""
        return self.level == "none"


@dataclass(frozen=True)
class Coverage:
    """Experience per needed function, with a one-line summary."""

    rows: list[FunctionCoverage]

    @property
    def covered(self) -> int:
        """Functions with some or deep experience."""
        return sum(1 for r in self.rows if not r.gap)

    @property
    def gaps(self) -> list[str]:
        """Functions with no experience."""
        return [r.function for r in self.rows if r.gap]

    @property
    def summary(self) -> str:
        """E.g. '4 of 6 functions (2 deep, 2 some)'."""
        deep = sum(1 for r in self.rows if r.level == "deep")
        some = sum(1 for r in self.rows if r.level == "some")
        return f"{self.covered} of {len(self.rows)} functions ({deep} deep, {some} some)"


def needed_functions(
    stream_functions: Sequence[str] | None, role_functions: Sequence[str]
) -> list[str]:
    """What the stream needs; when it names none (or there is no stream), what the role lists."""
    return list(stream_functions) if stream_functions else list(role_functions)


def coverage(functions: Iterable[str], experience: Mapping[str, str] | None) -> Coverage:
    """Experience against a list of functions; missing or unknown entries count as none."""
    known = experience or {}
    return Coverage(
        [
            FunctionCoverage(f, level if (level := known.get(f)) in EXPERIENCE_LEVELS else "none")
            for f in functions
        ]
    )
