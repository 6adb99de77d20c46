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
_MIN_ACTIONS = 2
_MAX_ACTIONS = 3
_ACTION_FIELDS: tuple[str, ...] = ("small_gap", "large_gap", "progress_evidence")


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
