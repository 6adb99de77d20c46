"""Routes of the induction area: templates (HR, CPO) and each selected exec's checklist."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.induction import bp, services
from app.induction.forms import TemplateItemForm, TickForm, VersionOnlyForm
from app.models import Assessment, InductionChecklist, InductionTask, InductionTemplateRecord
from app.policy import authorize, may, requires
from app.transactions import StaleEdit, transaction
from assessments.induction import CATEGORY_LABELS, OWNER_LABELS, is_overdue

STALE_TEMPLATE = (
    "Someone else changed this template after you opened it, so your change has not been saved."
    " Check the current template below and make your change again."
)


def _template_or_404(template_id: int) -> InductionTemplateRecord:
    record = db.session.get(InductionTemplateRecord, template_id)
    if record is None:
        abort(404)
    return record


def _index_or_404(record: InductionTemplateRecord, position: int) -> int:
    if not 1 <= position <= len(record.items):
        abort(404)
    return position - 1


@bp.route("/induction/templates")
@requires("induction.templates")
def list_templates() -> ResponseReturnValue:
    """Every induction template."""
    return render_template("induction/templates.html", templates=services.all_templates())


@bp.route("/induction/templates/<int:template_id>")
@requires("induction.templates")
def show_template(template_id: int) -> ResponseReturnValue:
    """One template's items, with change, move and remove actions."""
    record = _template_or_404(template_id)
    return render_template(
        "induction/template.html",
        record=record,
        categories=CATEGORY_LABELS,
        owners=OWNER_LABELS,
    )


def _render_item_form(
    record: InductionTemplateRecord,
    form: TemplateItemForm,
    position: int | None,
    *,
    saved: dict[str, Any] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return (
        render_template(
            "induction/template_item.html",
            record=record,
            form=form,
            position=position,
            saved=saved,
            categories=CATEGORY_LABELS,
            owners=OWNER_LABELS,
        ),
        status,
    )


def _save_item_form(
    record: InductionTemplateRecord, form: TemplateItemForm, index: int | None
) -> ResponseReturnValue | None:
    """Validate and save; returns a response to re-render on failure, None on success."""
    position = None if index is None else index + 1
    current = None if index is None else dict(record.items[index])
    if not form.validate_on_submit():
        return _render_item_form(record, form, position)
    try:
        with transaction():
            if index is None:
                services.add_item(
                    record,
                    form.item_data(),
                    expected_version=form.expected_version(),
                    actor=current_user,
                )
            else:
                services.update_item(
                    record,
                    index,
                    form.item_data(),
                    expected_version=form.expected_version(),
                    actor=current_user,
                )
    except StaleEdit:
        record = _template_or_404(record.id)
        form.form_errors.append(STALE_TEMPLATE)
        form.version.data = str(record.version)
        saved = None
        if index is not None and index < len(record.items):
            saved = dict(record.items[index])
        return _render_item_form(record, form, position, saved=saved or current, status=409)
    except services.TemplateItemError as exc:
        form.form_errors.extend(exc.messages)
        return _render_item_form(record, form, position)
    return None


@bp.route("/induction/templates/<int:template_id>/items/<int:position>", methods=["GET", "POST"])
@requires("induction.templates")
def edit_template_item(template_id: int, position: int) -> ResponseReturnValue:
    """Change one template item."""
    record = _template_or_404(template_id)
    index = _index_or_404(record, position)
    item = record.items[index]
    form = TemplateItemForm(data={**item, "version": str(record.version)})
    if not form.is_submitted():
        return _render_item_form(record, form, position)
    failed = _save_item_form(record, form, index)
    if failed is not None:
        return failed
    flash(f"Item {position} “{form.item_data()['title']}” saved.", "success")
    return redirect(url_for("induction.show_template", template_id=record.id) + f"#item-{position}")


@bp.route("/induction/templates/<int:template_id>/items/new", methods=["GET", "POST"])
@requires("induction.templates")
def add_template_item(template_id: int) -> ResponseReturnValue:
    """Add an item at the end of a template."""
    record = _template_or_404(template_id)
    form = TemplateItemForm(data={"version": str(record.version)})
    if not form.is_submitted():
        return _render_item_form(record, form, None)
    failed = _save_item_form(record, form, None)
    if failed is not None:
        return failed
    position = len(record.items)
    flash(f"Item {position} “{form.item_data()['title']}” added.", "success")
    return redirect(url_for("induction.show_template", template_id=record.id) + f"#item-{position}")


@bp.route("/induction/templates/<int:template_id>/items/<int:position>/move", methods=["POST"])
@requires("induction.templates")
def move_template_item(template_id: int, position: int) -> ResponseReturnValue:
    """Move an item one place up or down."""
    record = _template_or_404(template_id)
    index = _index_or_404(record, position)
    form = VersionOnlyForm()
    target = index
    try:
        with transaction():
            target = services.move_item(
                record,
                index,
                form.direction.data or "",
                expected_version=form.expected_version(),
                actor=current_user,
            )
    except StaleEdit:
        flash(STALE_TEMPLATE, "error")
    else:
        if target != index:
            flash(f"Moved “{record.items[target]['title']}” to position {target + 1}.", "success")
    return redirect(
        url_for("induction.show_template", template_id=template_id) + f"#item-{target + 1}"
    )


@bp.route("/induction/templates/<int:template_id>/items/<int:position>/remove", methods=["POST"])
@requires("induction.templates")
def remove_template_item(template_id: int, position: int) -> ResponseReturnValue:
    """Remove an item from the template (checklists already made keep their copy)."""
    record = _template_or_404(template_id)
    index = _index_or_404(record, position)
    form = VersionOnlyForm()
    try:
        with transaction():
            removed = services.remove_item(
                record, index, expected_version=form.expected_version(), actor=current_user
            )
    except StaleEdit:
        flash(STALE_TEMPLATE, "error")
    except services.TemplateItemError as exc:
        flash(" ".join(exc.messages), "error")
    else:
        flash(f"Removed “{removed['title']}”. Checklists already created keep it.", "success")
    return redirect(url_for("induction.show_template", template_id=template_id))


# --- checklist ------------------------------------------------------------------------------


def _checklist_or_404(assessment_id: int, permission: str) -> InductionChecklist:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    authorize(permission, assessment)
    checklist: InductionChecklist | None = db.session.scalar(
        select(InductionChecklist)
        .where(InductionChecklist.assessment_id == assessment.id)
        .options(selectinload(InductionChecklist.tasks).joinedload(InductionTask.done_by))
    )
    if checklist is None:
        abort(404)
    return checklist


def _task_or_404(checklist: InductionChecklist, task_id: int) -> InductionTask:
    task = next((t for t in checklist.tasks if t.id == task_id), None)
    if task is None:
        abort(404)
    return task


def _render_checklist(
    checklist: InductionChecklist,
    *,
    error_task: InductionTask | None = None,
    error_form: TickForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    on = services.today()
    forms = {}
    for task in checklist.tasks:
        if error_task is not None and task.id == error_task.id and error_form is not None:
            forms[task.id] = error_form
        else:
            forms[task.id] = TickForm(
                prefix=f"task-{task.id}", formdata=None, data={"note": task.note}
            )
    overdue = {t.id for t in checklist.tasks if is_overdue(t.due_date, t.done, on)}
    return (
        render_template(
            "induction/checklist.html",
            checklist=checklist,
            assessment=checklist.assessment,
            groups=services.grouped_tasks(checklist),
            summary=services.summarise(checklist, on),
            overdue=overdue,
            forms=forms,
            error_form=error_form,
            error_task=error_task,
            owners=OWNER_LABELS,
            today=on,
            plan_visible=any(may(current_user, "plan.view", p) for p in checklist.assessment.plans),
        ),
        status,
    )


@bp.route("/assessments/<int:assessment_id>/induction")
@requires("induction.view")
def show_checklist(assessment_id: int) -> ResponseReturnValue:
    """A selected exec's induction checklist, grouped by category."""
    return _render_checklist(_checklist_or_404(assessment_id, "induction.view"))


def next_open_task(checklist: InductionChecklist, after: InductionTask) -> InductionTask | None:
    """The open item the checklist page shows after this one (it lists open items by group,
    earliest due first), wrapping round to the first; None when nothing else is open."""
    shown = [
        t
        for group in services.grouped_tasks(checklist)
        for t in sorted(group.tasks, key=lambda t: t.due_date)
        if not t.done or t.id == after.id
    ]
    at = shown.index(after)
    rest = shown[at + 1 :] + shown[:at]
    return rest[0] if rest else None


@bp.route("/assessments/<int:assessment_id>/induction/tasks/<int:task_id>/tick", methods=["POST"])
@requires("induction.tick")
def tick_task(assessment_id: int, task_id: int) -> ResponseReturnValue:
    """Mark an item done, with an optional note or evidence."""
    checklist = _checklist_or_404(assessment_id, "induction.tick")
    task = _task_or_404(checklist, task_id)
    form = TickForm(prefix=f"task-{task.id}")
    if not form.validate_on_submit():
        return _render_checklist(checklist, error_task=task, error_form=form)
    services.tick_task(task, form.note.data or "", current_user)
    db.session.commit()
    flash(f"“{task.title}” is done.", "success")
    # The done item folds away with the others, so carry on from the next one still open.
    following = next_open_task(checklist, task)
    return redirect(
        url_for("induction.show_checklist", assessment_id=assessment_id)
        + (f"#task-{following.id}" if following is not None else "#to-do")
    )


@bp.route("/assessments/<int:assessment_id>/induction/tasks/<int:task_id>/untick", methods=["POST"])
@requires("induction.tick")
def untick_task(assessment_id: int, task_id: int) -> ResponseReturnValue:
    """Mark an item not done again."""
    checklist = _checklist_or_404(assessment_id, "induction.tick")
    task = _task_or_404(checklist, task_id)
    if task.done:
        services.untick_task(task, current_user)
        db.session.commit()
        flash(f"“{task.title}” is marked as not done.", "success")
    return redirect(
        url_for("induction.show_checklist", assessment_id=assessment_id) + f"#task-{task.id}"
    )
