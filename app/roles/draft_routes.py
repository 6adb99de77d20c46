"""Editing a role draft in the browser: its fields, and adding, changing or moving competencies."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import saved_input
from app.form_fields import rows_changed
from app.models import RoleVersion
from app.policy import requires
from app.roles import bp, editing
from app.roles.content import blocking_problems, canonical
from app.roles.errors import RoleEditError
from app.roles.forms import (
    ActionForm,
    CompetencyForm,
    MoveForm,
    RoleFieldsForm,
    apply_problems,
)
from app.roles.route_helpers import (
    _actor,
    _kept_input,
    _page_context,
    _refuse_change,
    _reload,
    _to_version,
    _version_or_404,
)
from app.transactions import StaleEdit, transaction
from assessments.role_files import settle_schema_version

# ---------------------------------------------------------------------------
# Editing a draft


@bp.route("/roles/<key>/v<int:number>/edit", methods=["GET", "POST"])
@requires("roles.edit")
def edit_role_fields(key: str, number: int) -> ResponseReturnValue:
    """Edit the role's name, purpose and lists."""
    draft = _version_or_404(key, number)
    if draft.status != "draft":
        return _refuse_change(draft)
    kept = _kept_input()
    if kept is not None:
        return render_template(
            "roles/edit_fields.html", form=RoleFieldsForm(formdata=kept), **_page_context(draft)
        )
    form = RoleFieldsForm()
    if not form.is_submitted():
        form.fill(draft.content)
        form.version.data = str(draft.version)
        return render_template("roles/edit_fields.html", form=form, **_page_context(draft))
    if rows_changed(form):  # "Add another" or "Remove": the same page, a row more or fewer
        return render_template("roles/edit_fields.html", form=form, **_page_context(draft))
    valid = form.validate()
    values = form.values()
    problems = blocking_problems(canonical({**draft.content, **values}))
    apply_problems(form, problems)
    if form.expected_version() != draft.version:
        return _stale_fields(form, draft)
    if valid and not problems:
        try:
            with transaction():
                changed = editing.update_role_fields(
                    draft, values, expected_version=form.expected_version(), actor=_actor()
                )
                saved_input.discard(current_user.id, request.path)
        except StaleEdit:
            return _stale_fields(form, _reload(key, number))
        flash(
            "Role details saved." if changed else "Nothing had changed, so nothing was saved.",
            "success",
        )
        return _to_version(draft)
    return render_template("roles/edit_fields.html", form=form, **_page_context(draft)), 400


def _stale_fields(form: RoleFieldsForm, draft: RoleVersion) -> ResponseReturnValue:
    form.version.data = str(draft.version)
    return render_template(
        "roles/edit_fields.html", form=form, stale=True, **_page_context(draft)
    ), 409


def _competency_page(
    form: CompetencyForm,
    draft: RoleVersion,
    original: dict[str, Any] | None,
    *,
    stale: bool = False,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "roles/competency_form.html",
        form=form,
        original=original,
        current=editing.competency_by_key(draft, original["key"]) if original else None,
        stale=stale,
        **_page_context(draft),
    ), status


@bp.route("/roles/<key>/v<int:number>/competencies/new", methods=["GET", "POST"])
@requires("roles.edit")
def add_competency(key: str, number: int) -> ResponseReturnValue:
    """Add a competency at the end of the draft's list."""
    return _edit_competency(key, number, None)


@bp.route("/roles/<key>/v<int:number>/competencies/<ckey>/edit", methods=["GET", "POST"])
@requires("roles.edit")
def edit_competency(key: str, number: int, ckey: str) -> ResponseReturnValue:
    """Change any field of one competency."""
    return _edit_competency(key, number, ckey)


def _edit_competency(key: str, number: int, ckey: str | None) -> ResponseReturnValue:
    draft = _version_or_404(key, number)
    if draft.status != "draft":
        return _refuse_change(draft)
    original = None
    competencies = list(draft.content.get("competencies", []))
    index = len(competencies)
    if ckey is not None:
        original = editing.competency_by_key(draft, ckey)
        if original is None:
            abort(404)
        index = competencies.index(original)
    kept = _kept_input()
    if kept is not None:
        return _competency_page(CompetencyForm(formdata=kept), draft, original)
    form = CompetencyForm()
    if not form.is_submitted():
        if original is not None:
            form.fill(original)
        form.version.data = str(draft.version)
        return _competency_page(form, draft, original)
    if rows_changed(form):  # "Add another" or "Remove": the same page, a row more or fewer
        return _competency_page(form, draft, original)
    valid = form.validate()
    values = form.values(original)
    if original is None:
        competencies.append(values)
    else:
        competencies[index] = values
    content = canonical(settle_schema_version({**draft.content, "competencies": competencies}))
    problems = blocking_problems(content)
    apply_problems(form, problems, competency_index=index, content=content)
    if form.expected_version() != draft.version:
        form.version.data = str(draft.version)
        return _competency_page(form, draft, original, stale=True, status=409)
    if valid and not problems:
        try:
            with transaction():
                editing.save_competency(
                    draft, ckey, values, expected_version=form.expected_version(), actor=_actor()
                )
                saved_input.discard(current_user.id, request.path)
        except StaleEdit:
            draft = _reload(key, number)
            form.version.data = str(draft.version)
            return _competency_page(form, draft, original, stale=True, status=409)
        except RoleEditError:
            # The competency went while the form was open.
            draft = _reload(key, number)
            form.version.data = str(draft.version)
            return _competency_page(form, draft, original, stale=True, status=409)
        verb = "added" if original is None else "saved"
        flash(f"Competency {values['name']} {verb}.", "success")
        return _to_version(draft, f"competency-{values['key']}")
    return _competency_page(form, draft, original, status=400)


@bp.route("/roles/<key>/v<int:number>/competencies/<ckey>/remove", methods=["GET", "POST"])
@requires("roles.edit")
def remove_competency(key: str, number: int, ckey: str) -> ResponseReturnValue:
    """Confirm, then take a competency out of the draft."""
    draft = _version_or_404(key, number)
    if draft.status != "draft":
        return _refuse_change(draft)
    competency = editing.competency_by_key(draft, ckey)
    if competency is None:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            with transaction():
                editing.remove_competency(
                    draft, ckey, expected_version=form.expected_version(), actor=_actor()
                )
        except StaleEdit:
            draft = _reload(key, number)
            flash(
                "Someone else changed this draft while you were looking at it, so nothing was "
                f"removed. Check {competency['name']} below and remove it again if you still "
                "want to.",
                "error",
            )
            return _to_version(draft, f"competency-{ckey}")
        flash(f"Competency {competency['name']} removed from draft v{draft.number}.", "success")
        return _to_version(draft, "order")
    form.version.data = str(draft.version)
    return render_template(
        "roles/confirm_remove.html", form=form, competency=competency, **_page_context(draft)
    )


@bp.route("/roles/<key>/v<int:number>/competencies/<ckey>/move", methods=["POST"])
@requires("roles.edit")
def move_competency(key: str, number: int, ckey: str) -> ResponseReturnValue:
    """Move a competency one place up or down in the draft."""
    draft = _version_or_404(key, number)
    if draft.status != "draft":
        return _refuse_change(draft)
    competency = editing.competency_by_key(draft, ckey)
    if competency is None:
        abort(404)
    form = MoveForm()
    if not form.validate_on_submit():
        flash("Choose to move the competency up or down.", "error")
        return _to_version(draft, "order")
    try:
        with transaction():
            position = editing.move_competency(
                draft,
                ckey,
                form.direction.data,
                expected_version=form.expected_version(),
                actor=_actor(),
            )
    except StaleEdit:
        draft = _reload(key, number)
        flash(
            "Someone else changed this draft while you were looking at it, so nothing was moved. "
            "Check the order below and try again.",
            "error",
        )
        return _to_version(draft, "order")
    except RoleEditError as exc:
        flash(f"{exc}.", "error")
        return _to_version(draft, "order")
    flash(f"{competency['name']} moved {form.direction.data} to position {position}.", "success")
    return _to_version(draft, "order")
