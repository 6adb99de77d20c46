"""The induction area's next steps on the home page: items people own that are overdue."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import url_for
from sqlalchemy import Executable, bindparam, select

from app import statements
from app.induction.services import today
from app.models import Assessment, InductionChecklist, InductionTask, User
from app.statements import prebuilt
from app.steps import NextStep, person, provides_steps
from assessments.due import due_words

# The home card names this many overdue items; the checklist shows the rest.
NAMED_ITEMS = 3


@prebuilt
def _own_overdue_items() -> Executable:
    """Undone items past their due date that this role owns, for selected execs (plain rows)."""
    return (
        select(
            Assessment.id,
            Assessment.candidate_id,
            User.name,
            InductionTask.id,
            InductionTask.title,
            InductionTask.due_date,
        )
        .join(InductionChecklist, InductionChecklist.id == InductionTask.checklist_id)
        .join(Assessment, Assessment.id == InductionChecklist.assessment_id)
        .join(User, User.id == Assessment.candidate_id)
        .where(
            Assessment.decision == "selected",
            InductionTask.owner == bindparam("owner"),
            InductionTask.done.is_(False),
            InductionTask.due_date < bindparam("on"),  # the same rule as `is_overdue`
        )
        .order_by(User.name, Assessment.id, InductionTask.due_date, InductionTask.position)
    )


def _days(due: date, on: date) -> str:
    return due_words(due, on)


@provides_steps("cpo", "hr")
def own_overdue_items(user: User) -> list[NextStep]:
    """One card per exec whose induction has items this person's role owns and has let slip."""
    on = today()
    by_exec: dict[tuple[int, int, str], list[tuple[int, str, date]]] = defaultdict(list)
    for assessment_id, candidate_id, name, task_id, title, due in statements.rows(
        _own_overdue_items(), owner=user.role, on=on
    ):
        by_exec[(assessment_id, candidate_id, name)].append((task_id, title, due))
    steps = []
    for (assessment_id, candidate_id, name), items in by_exec.items():
        count = len(items)
        named = "; ".join(f"{title} ({_days(due, on)})" for _id, title, due in items[:NAMED_ITEMS])
        more = f"; and {count - NAMED_ITEMS} more" if count > NAMED_ITEMS else ""
        steps.append(
            NextStep(
                f"{name}'s induction: {count} of your items {'is' if count == 1 else 'are'}"
                " overdue",
                f"{named}{more}.",
                url_for("induction.show_checklist", assessment_id=assessment_id)
                + f"#task-{items[0][0]}",
                urgent=True,
                permission="induction.tick",
                subject=person(candidate_id),
            )
        )
    return steps
