"""URL arguments for the induction area: the demo's template and exec1's checklist.

exec1 is the demo exec the route walk signs in as, so their own checklist is one every role
holding the permission may reach. If the selection demo has not selected exec1, id 0 is
used: the page then answers 404 to roles that may see it and 403 to the rest.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, InductionChecklist, InductionTemplateRecord, User

EXEC = "exec1@example.org"


def exec1_assessment_id() -> int:
    """exec1's selected assessment, or 0 when the demo has none."""
    assessment_id = db.session.scalar(
        select(Assessment.id)
        .join(User, Assessment.candidate_id == User.id)
        .where(User.email == EXEC, Assessment.decision == "selected")
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    return assessment_id or 0


def _template(user: User | None) -> dict[str, Any]:
    template_id = db.session.scalar(select(InductionTemplateRecord.id).limit(1))
    return {"template_id": template_id or 0}


def _item(user: User | None) -> dict[str, Any]:
    return {**_template(user), "position": 2}


def _checklist(user: User | None) -> dict[str, Any]:
    return {"assessment_id": exec1_assessment_id()}


def _task(user: User | None) -> dict[str, Any]:
    assessment_id = exec1_assessment_id()
    checklist = db.session.scalar(
        select(InductionChecklist).where(InductionChecklist.assessment_id == assessment_id).limit(1)
    )
    return {"assessment_id": assessment_id, "task_id": checklist.tasks[0].id if checklist else 0}


SAMPLES = {
    "induction.show_template": _template,
    "induction.add_template_item": _template,
    "induction.edit_template_item": _item,
    "induction.move_template_item": _item,
    "induction.remove_template_item": _item,
    "induction.show_checklist": _checklist,
    "induction.tick_task": _task,
    "induction.untick_task": _task,
}
