"""The induction programme an exec works through after being selected as a Product Director."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from typing import Any

import yaml

from assessments import safe_yaml
from assessments.model import round_half_up
from assessments.safe_yaml import YamlRefused

CATEGORIES: tuple[str, ...] = (
    "role-and-ways-of-working",
    "multidisciplinary-roles",
    "pnl-and-commercial",
    "customers-research-data",
    "external-time",
    "shadowing",
)
CATEGORY_LABELS: dict[str, str] = {
    "role-and-ways-of-working": "The role and ways of working",
    "multidisciplinary-roles": "The disciplines in a value stream",
    "pnl-and-commercial": "P&L and commercials",
    "customers-research-data": "Customers, research and data",
    "external-time": "Time with experienced Product Directors elsewhere",
    "shadowing": "Shadowing the teams",
}
OWNERS: tuple[str, ...] = ("exec", "cpo", "hr", "mentor")
OWNER_LABELS: dict[str, str] = {
    "exec": "The exec",
    "cpo": "Chief Product Officer",
    "hr": "HR",
    "mentor": "Mentor or coach",
}

DEFAULT_TEMPLATE_FILE = "induction-product-director.yaml"
_ITEM_FIELDS: tuple[str, ...] = ("title", "description", "category", "owner", "due_offset_days")
_TOP_FIELDS: tuple[str, ...] = ("key", "name", "items")


@dataclass(frozen=True)
class InductionItem:
    """One thing to do during induction, who makes it happen, and when it is due."""

    title: str
    description: str
    category: str
    owner: str
    due_offset_days: int


@dataclass(frozen=True)
class InductionTemplate:
    """A named list of induction items that is copied into each selected exec's checklist."""

    key: str
    name: str
    items: tuple[InductionItem, ...]


class InductionTemplateError(ValueError):
    """Raised when an induction template is not valid; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("Induction template is not valid: " + "; ".join(self.errors))


def _non_empty_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_item(place: str, raw: Any, errors: list[str]) -> InductionItem | None:
    if not isinstance(raw, dict):
        errors.append(f"{place}: must be a mapping of {', '.join(_ITEM_FIELDS)}")
        return None
    errors_before = len(errors)
    for unknown in sorted(str(k) for k in raw if k not in _ITEM_FIELDS):
        errors.append(f"{place}.{unknown}: unknown field")
    for name in ("title", "description"):
        if name not in raw:
            errors.append(f"{place}.{name}: is required")
        elif not _non_empty_text(raw[name]):
            errors.append(f"{place}.{name}: must be non-empty text")
    for name, allowed in (("category", CATEGORIES), ("owner", OWNERS)):
        if name not in raw:
            errors.append(f"{place}.{name}: is required")
        elif raw[name] not in allowed:
            errors.append(f"{place}.{name}: must be one of {', '.join(allowed)}")
    offset = raw.get("due_offset_days")
    if "due_offset_days" not in raw:
        errors.append(f"{place}.due_offset_days: is required")
    # bool is an int subclass; `true` in YAML must not pass as day 1.
    elif not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        errors.append(f"{place}.due_offset_days: must be a whole number of days, 0 or more")
    if len(errors) > errors_before:
        return None
    return InductionItem(
        title=raw["title"].strip(),
        description=raw["description"].strip(),
        category=raw["category"],
        owner=raw["owner"],
        due_offset_days=raw["due_offset_days"],
    )


def parse_induction_yaml(text: str) -> InductionTemplate:
    """Parse and validate an induction template, reporting every problem at once."""
    try:
        raw = safe_yaml.load(text)
    except YamlRefused as exc:
        raise InductionTemplateError([exc.one_line()]) from exc
    except yaml.YAMLError as exc:
        raise InductionTemplateError([f"not valid YAML: {exc}"]) from exc
    if not isinstance(raw, dict):
        raise InductionTemplateError(["template: must be a mapping with key, name and items"])
    errors: list[str] = []
    for unknown in sorted(str(k) for k in raw if k not in _TOP_FIELDS):
        errors.append(f"{unknown}: unknown field")
    for name in ("key", "name"):
        if name not in raw:
            errors.append(f"{name}: is required")
        elif not _non_empty_text(raw[name]):
            errors.append(f"{name}: must be non-empty text")
    raw_items = raw.get("items")
    items: list[InductionItem] = []
    if "items" not in raw:
        errors.append("items: is required")
    elif not isinstance(raw_items, list) or not raw_items:
        errors.append("items: must be a non-empty list")
    else:
        for index, raw_item in enumerate(raw_items):
            item = _check_item(f"items[{index}]", raw_item, errors)
            if item is not None:
                items.append(item)
    if errors:
        raise InductionTemplateError(errors)
    return InductionTemplate(key=raw["key"].strip(), name=raw["name"].strip(), items=tuple(items))


def dump_induction_yaml(template: InductionTemplate) -> str:
    """Write a template as YAML that parse_induction_yaml reads back unchanged."""
    data = {
        "key": template.key,
        "name": template.name,
        "items": [
            {
                "title": item.title,
                "description": item.description,
                "category": item.category,
                "owner": item.owner,
                "due_offset_days": item.due_offset_days,
            }
            for item in template.items
        ],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def load_default_induction() -> InductionTemplate:
    """Load the shipped Product Director induction template."""
    text = files("assessments").joinpath("data", DEFAULT_TEMPLATE_FILE).read_text("utf-8")
    return parse_induction_yaml(text)


def due_date(start: date, due_offset_days: int) -> date:
    """Return the date an item falls due, counted from the day induction starts."""
    return start + timedelta(days=due_offset_days)


def checklist_progress(done: int, total: int) -> int:
    """Return the percentage of checklist items done, rounded half up; 0 for an empty list."""
    if done < 0 or total < 0:
        raise ValueError("done and total must be 0 or more")
    if done > total:
        raise ValueError(f"done ({done}) cannot be more than total ({total})")
    if total == 0:
        return 0
    return int(round_half_up(done * 100 / total, 0))


def is_overdue(due: date, done: bool, today: date) -> bool:
    """Return True when an item is not done and its due date has passed (due today is not late)."""
    return not done and today > due
