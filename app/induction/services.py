"""Induction templates and each selected exec's checklist: query and change, flush only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from sqlalchemy import Executable, bindparam, func, select

from app import audit, localtime, statements
from app.extensions import db
from app.models import Assessment, InductionChecklist, InductionTask, InductionTemplateRecord, User
from app.models.base import utcnow
from app.notifications import mark_done
from app.notifications.due_notices import induction_items_ticked, task_done_key
from app.statements import prebuilt
from app.transactions import DomainError, StaleEdit
from assessments.induction import (
    CATEGORIES,
    CATEGORY_LABELS,
    InductionItem,
    InductionTemplate,
    InductionTemplateError,
    checklist_progress,
    due_date,
    dump_induction_yaml,
    is_overdue,
    load_default_induction,
    parse_induction_yaml,
)

DEFAULT_TEMPLATE_KEY = "product-director-induction"


class StaleTemplateError(StaleEdit):
    """Someone saved the template after this person opened it."""


class TemplateItemError(DomainError):
    """The edited template does not pass the domain's validation; messages name the item."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def today() -> date:
    """The date used for due and overdue (one place, so a whole request agrees): the
    organisation's, so an item due today is not overdue in the evening."""
    return localtime.today()


# --- templates ------------------------------------------------------------------------------


def template_by_key(key: str) -> InductionTemplateRecord | None:
    """The stored template with this key, or None."""
    return db.session.scalar(
        select(InductionTemplateRecord).where(InductionTemplateRecord.key == key)
    )


def all_templates() -> list[InductionTemplateRecord]:
    """Every stored template, by name."""
    return list(
        db.session.scalars(select(InductionTemplateRecord).order_by(InductionTemplateRecord.name))
    )


def _item_data(item: InductionItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "description": item.description,
        "category": item.category,
        "owner": item.owner,
        "due_offset_days": item.due_offset_days,
    }


def store_template(template: InductionTemplate, actor: User | None) -> InductionTemplateRecord:
    """Store a parsed template as a new editable record."""
    record = InductionTemplateRecord(
        key=template.key, name=template.name, items=[_item_data(i) for i in template.items]
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        "induction.template_create",
        f"Induction template {template.key} created with {len(template.items)} items",
        obj=record,
        actor=actor,
        new={"key": template.key, "items": len(template.items)},
    )
    return record


def ensure_default_template(actor: User | None) -> InductionTemplateRecord:
    """The Product Director induction template, loaded from the shipped file when missing."""
    record = template_by_key(DEFAULT_TEMPLATE_KEY)
    if record is None:
        record = store_template(load_default_induction(), actor)
    return record


_PLACE = re.compile(r"^items\[(\d+)\]\.?(\w*): (.*)$")


def _named_messages(errors: list[str], items: list[dict[str, Any]]) -> list[str]:
    """Turn the parser's `items[3].title: ...` into `Item 4 ("Meet ..."): title ...`."""
    messages = []
    for error in errors:
        match = _PLACE.match(error)
        if match is None:
            messages.append(error[:1].upper() + error[1:])
            continue
        index, field_name, problem = int(match[1]), match[2], match[3]
        title = str(items[index].get("title") or "").strip() if index < len(items) else ""
        name = f"Item {index + 1}" + (f" (“{title}”)" if title else "")
        label = field_name.replace("_", " ") if field_name else "it"
        messages.append(f"{name}: {label} {problem}")
    return messages


def validate_items(
    record: InductionTemplateRecord, items: list[dict[str, Any]]
) -> InductionTemplate:
    """Check a candidate item list with the domain parser; raise TemplateItemError naming items."""
    text = yaml.safe_dump(
        {"key": record.key, "name": record.name, "items": items},
        sort_keys=False,
        allow_unicode=True,
    )
    try:
        return parse_induction_yaml(text)
    except InductionTemplateError as exc:
        raise TemplateItemError(_named_messages(exc.errors, items)) from exc


def template_of(record: InductionTemplateRecord) -> InductionTemplate:
    """The record as the domain's validated template."""
    return validate_items(record, list(record.items))


def template_yaml(record: InductionTemplateRecord) -> str:
    """The record as YAML (what the shipped file looks like)."""
    return dump_induction_yaml(template_of(record))


def _check_version(record: InductionTemplateRecord, expected_version: int | None) -> None:
    if expected_version is None or expected_version != record.version:
        raise StaleTemplateError()


def _save_items(
    record: InductionTemplateRecord,
    items: list[dict[str, Any]],
    *,
    action: str,
    summary: str,
    actor: User | None,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    template = validate_items(record, items)
    # A new list, so SQLAlchemy sees the JSON change (and bumps the version).
    record.items = [_item_data(i) for i in template.items]
    db.session.flush()
    audit.record(action, summary, obj=record, actor=actor, old=old, new=new)


def update_item(
    record: InductionTemplateRecord,
    index: int,
    data: dict[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
) -> None:
    """Change one item (0-based index) of a template."""
    _check_version(record, expected_version)
    items = [dict(i) for i in record.items]
    old = items[index]
    items[index] = dict(data)
    _save_items(
        record,
        items,
        action="induction.template_item_edit",
        summary=f"{record.name}: item {index + 1} changed",
        actor=actor,
        old=old,
        new=dict(data),
    )


def add_item(
    record: InductionTemplateRecord,
    data: dict[str, Any],
    *,
    expected_version: int | None,
    actor: User | None,
) -> None:
    """Add an item at the end of a template."""
    _check_version(record, expected_version)
    items = [dict(i) for i in record.items] + [dict(data)]
    _save_items(
        record,
        items,
        action="induction.template_item_add",
        summary=f"{record.name}: item {len(items)} added",
        actor=actor,
        old=None,
        new=dict(data),
    )


def remove_item(
    record: InductionTemplateRecord, index: int, *, expected_version: int | None, actor: User | None
) -> dict[str, Any]:
    """Remove one item; a template keeps at least one. Returns the removed item."""
    _check_version(record, expected_version)
    items = [dict(i) for i in record.items]
    if len(items) <= 1:
        raise TemplateItemError(
            ["A template needs at least one item: add another before removing this one"]
        )
    removed = items.pop(index)
    _save_items(
        record,
        items,
        action="induction.template_item_remove",
        summary=f"{record.name}: item {index + 1} removed",
        actor=actor,
        old=removed,
        new=None,
    )
    return removed


def move_item(
    record: InductionTemplateRecord,
    index: int,
    direction: str,
    *,
    expected_version: int | None,
    actor: User | None,
) -> int:
    """Move an item one place up or down; returns its new 0-based index."""
    _check_version(record, expected_version)
    items = [dict(i) for i in record.items]
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return index
    items[index], items[target] = items[target], items[index]
    _save_items(
        record,
        items,
        action="induction.template_item_move",
        summary=f"{record.name}: item {index + 1} moved {direction}",
        actor=actor,
        old={"position": index + 1, "title": items[target]["title"]},
        new={"position": target + 1, "title": items[target]["title"]},
    )
    return target


# --- checklists -----------------------------------------------------------------------------


def create_checklist(
    assessment: Assessment,
    start: date,
    record: InductionTemplateRecord,
    actor: User | None,
) -> InductionChecklist:
    """Copy the template into the exec's checklist, with due dates counted from `start`."""
    template = template_of(record)
    checklist = InductionChecklist(
        assessment=assessment, template_name=template.name, start_date=start
    )
    for position, item in enumerate(template.items, start=1):
        checklist.tasks.append(
            InductionTask(
                position=position,
                title=item.title,
                description=item.description,
                category=item.category,
                owner=item.owner,
                due_date=due_date(start, item.due_offset_days),
            )
        )
    db.session.add(checklist)
    db.session.flush()
    audit.record(
        "induction.checklist_create",
        f"Induction checklist created for {assessment.candidate.name} ({len(template.items)} items,"
        f" starting {localtime.format_date(start)})",
        obj=checklist,
        actor=actor,
        new={
            "template": template.key,
            "start_date": start.isoformat(),
            "items": len(template.items),
        },
    )
    return checklist


def tick_task(task: InductionTask, note: str, actor: User | None) -> None:
    """Mark an item done with a note or evidence (ticking a done item updates its note)."""
    old = {"done": task.done, "note": task.note}
    task.done = True
    task.note = note.strip()
    mark_done(task_done_key(task))
    if not old["done"]:
        task.done_at = utcnow()
        task.done_by = actor
    db.session.flush()
    induction_items_ticked(task.checklist)
    audit.record(
        "induction.tick",
        f"Induction item “{task.title}” marked done",
        obj=task,
        actor=actor,
        old=old,
        new={"done": True, "note": task.note},
    )


def untick_task(task: InductionTask, actor: User | None) -> None:
    """Mark an item not done again; the note is kept for the record."""
    old = {"done": task.done, "note": task.note}
    task.done = False
    task.done_at = None
    task.done_by = None
    db.session.flush()
    audit.record(
        "induction.untick",
        f"Induction item “{task.title}” marked not done",
        obj=task,
        actor=actor,
        old=old,
        new={"done": False, "note": task.note},
    )


@dataclass(frozen=True)
class ChecklistSummary:
    """How far an exec is through induction."""

    done: int
    total: int
    percent: int
    overdue: int

    @property
    def text(self) -> str:
        """E.g. '6 of 20 done, 2 overdue'."""
        text = f"{self.done} of {self.total} done"
        return text + (f", {self.overdue} overdue" if self.overdue else "")


@prebuilt
def _people_with_overdue_items() -> Executable:
    return (
        select(func.count(func.distinct(InductionChecklist.assessment_id)))
        .join(InductionTask, InductionTask.checklist_id == InductionChecklist.id)
        .join(Assessment, Assessment.id == InductionChecklist.assessment_id)
        .where(
            Assessment.decision == "selected",
            InductionTask.done.is_(False),
            InductionTask.due_date < bindparam("on"),  # the same rule as `is_overdue`
        )
    )


def people_with_overdue_items(on: date | None = None) -> int:
    """How many selected execs have at least one induction item past its due date, undone."""
    return int(statements.one(_people_with_overdue_items(), on=on or today())[0])


@prebuilt
def _summaries_of_selected() -> Executable:
    undone = InductionTask.done.is_(False)
    return (
        select(
            InductionChecklist.assessment_id,
            func.count(InductionTask.id),
            func.count(InductionTask.id).filter(InductionTask.done.is_(True)),
            # the same rule as `is_overdue`: not done, and due before today
            func.count(InductionTask.id).filter(undone, InductionTask.due_date < bindparam("on")),
        )
        .join(Assessment, Assessment.id == InductionChecklist.assessment_id)
        .outerjoin(InductionTask, InductionTask.checklist_id == InductionChecklist.id)
        .where(Assessment.decision == "selected")
        .group_by(InductionChecklist.assessment_id)
    )


def summaries_of_selected(on: date | None = None) -> dict[int, ChecklistSummary]:
    """`summarise` for every selected exec's checklist by assessment id, counted in SQL."""
    return {
        assessment_id: ChecklistSummary(done, total, checklist_progress(done, total), overdue)
        for assessment_id, total, done, overdue in statements.rows(
            _summaries_of_selected(), on=on or today()
        )
    }


def summarise(checklist: InductionChecklist, on: date | None = None) -> ChecklistSummary:
    """Done, total, percentage and overdue count (uses the loaded tasks; no query if eager)."""
    on = on or today()
    done = sum(1 for t in checklist.tasks if t.done)
    total = len(checklist.tasks)
    overdue = sum(1 for t in checklist.tasks if is_overdue(t.due_date, t.done, on))
    return ChecklistSummary(done, total, checklist_progress(done, total), overdue)


@dataclass(frozen=True)
class TaskGroup:
    """The checklist's items in one category."""

    category: str
    label: str
    tasks: list[InductionTask]


def grouped_tasks(checklist: InductionChecklist) -> list[TaskGroup]:
    """Items grouped by category in the template's category order, each in checklist order."""
    groups = []
    for category in CATEGORIES:
        tasks = [t for t in checklist.tasks if t.category == category]
        if tasks:
            groups.append(TaskGroup(category, CATEGORY_LABELS[category], tasks))
    return groups
