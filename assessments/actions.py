"""The coaching action library: development actions per competency, loaded from shipped YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml

from assessments import safe_yaml
from assessments.model import LENSES
from assessments.safe_yaml import YamlRefused

LARGE_GAP = 1.5
"""A gap of this many levels or more gets the large-gap actions."""

ACTION_LIBRARY_FILE = "coaching-actions.yaml"
_MAX_ACTIONS = 3
_ACTION_FIELDS: tuple[str, ...] = ("small_gap", "large_gap", "stretch", "progress_evidence")
_STEP_FIELDS: tuple[str, ...] = ("do", "owner", "within_weeks", "evidence")
MAX_WEEKS = 26
"""A time box longer than half a year is not a coaching action but a plan of its own."""

ACTION_OWNERS: dict[str, str] = {
    "exec": "The exec",
    "cpo": "Chief Product Officer",
    "mentor": "Mentor",
    "coach": "Coach",
    "finance": "Finance partner",
    "hr": "HR",
}
"""Who makes an action happen; the exec is not always the one who has to move first."""


# --- action library -----------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One coaching action: what is done, who owns it, by when, and what a reviewer can see."""

    do: str
    owner: str
    within_weeks: int
    evidence: str

    @property
    def time_box(self) -> str:
        """The time box in words, like "Within 6 weeks"."""
        return time_box_words(self.within_weeks)


def time_box_words(weeks: int | None) -> str:
    """Say a time box in words ("Within 1 week", "Within 6 weeks"); empty when there is none."""
    if weeks is None:
        return ""
    return f"Within {weeks} week{'' if weeks == 1 else 's'}"


def action_record(raw: Any) -> dict[str, Any]:
    """A plan's stored action as a mapping; plans written before owners had plain text."""
    if isinstance(raw, str):
        return {"do": raw, "owner": "", "within_weeks": None, "evidence": ""}
    if isinstance(raw, Mapping):
        weeks = raw.get("within_weeks")
        return {
            "do": str(raw.get("do", "")),
            "owner": str(raw.get("owner", "") or ""),
            "within_weeks": weeks if isinstance(weeks, int) else None,
            "evidence": str(raw.get("evidence", "") or ""),
        }
    return {"do": str(raw), "owner": "", "within_weeks": None, "evidence": ""}


@dataclass(frozen=True)
class ActionSet:
    """The coaching actions for one competency or lens: small gap, large gap, and stretch."""

    small_gap: tuple[Action, ...]
    large_gap: tuple[Action, ...]
    stretch: tuple[Action, ...]
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

    def actions_for(self, key: str, lens: str, gap: float) -> tuple[list[Action], str]:
        """Return the actions for a gap of this size (large from 1.5 levels) and the evidence."""
        chosen = self.action_set(key, lens)
        actions = chosen.large_gap if gap >= LARGE_GAP else chosen.small_gap
        return list(actions), chosen.progress_evidence

    def stretch_for(self, key: str, lens: str) -> list[Action]:
        """Return the stretch actions for a competency the exec already meets."""
        return list(self.action_set(key, lens).stretch)


def _parse_action(place: str, raw: Any, errors: list[str]) -> Action | None:
    if not isinstance(raw, dict):
        errors.append(f"{place}: must be a mapping of {', '.join(_STEP_FIELDS)}")
        return None
    before = len(errors)
    for unknown in sorted(str(k) for k in raw if k not in _STEP_FIELDS):
        errors.append(f"{place}.{unknown}: unknown field")
    for name in ("do", "evidence"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            errors.append(f"{place}.{name}: must be non-empty text")
    if raw.get("owner") not in ACTION_OWNERS:
        errors.append(f"{place}.owner: must be one of {', '.join(ACTION_OWNERS)}")
    weeks = raw.get("within_weeks")
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= MAX_WEEKS:
        errors.append(
            f"{place}.within_weeks: must be a whole number of weeks from 1 to {MAX_WEEKS}"
        )
    if len(errors) > before or not isinstance(weeks, int):
        return None
    return Action(
        do=raw["do"].strip(),
        owner=raw["owner"],
        within_weeks=weeks,
        evidence=raw["evidence"].strip(),
    )


def _parse_actions(
    place: str, raw: Any, low: int, high: int, errors: list[str]
) -> tuple[Action, ...]:
    if not isinstance(raw, list) or not low <= len(raw) <= high:
        errors.append(f"{place}: must list {low} to {high} actions")
        return ()
    parsed = [_parse_action(f"{place}[{i}]", item, errors) for i, item in enumerate(raw)]
    return tuple(a for a in parsed if a is not None)


def _parse_action_set(place: str, raw: Any, errors: list[str]) -> ActionSet | None:
    if not isinstance(raw, dict):
        errors.append(f"{place}: must be a mapping of {', '.join(_ACTION_FIELDS)}")
        return None
    errors_before = len(errors)
    for unknown in sorted(str(k) for k in raw if k not in _ACTION_FIELDS):
        errors.append(f"{place}.{unknown}: unknown field")
    small = _parse_actions(f"{place}.small_gap", raw.get("small_gap"), 2, _MAX_ACTIONS, errors)
    large = _parse_actions(f"{place}.large_gap", raw.get("large_gap"), 2, _MAX_ACTIONS, errors)
    stretch = _parse_actions(f"{place}.stretch", raw.get("stretch"), 1, 2, errors)
    if {a.do for a in small} & {a.do for a in large}:
        errors.append(f"{place}: small-gap and large-gap actions must differ")
    evidence = raw.get("progress_evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        errors.append(f"{place}.progress_evidence: must be non-empty text")
    if len(errors) > errors_before:
        return None
    return ActionSet(
        small_gap=small,
        large_gap=large,
        stretch=stretch,
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
