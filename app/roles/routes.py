"""Role definitions in the browser: list, read, compare, create, draft, publish, retire.

Editing a draft's fields and competencies is in `draft_routes.py`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import db
from app.models import RoleVersion
from app.page_cache import cached_page
from app.params import parse_id
from app.policy import may, requires
from app.roles import bp, compare, lifecycle, lookups, steps, transfer  # noqa: F401  (steps registers home-page steps)
from app.roles.content import blocking_problems, lens_groups, missing_parts, weight_total
from app.roles.errors import RoleEditError
from app.roles.forms import (
    ActionForm,
    NewRoleForm,
    apply_problems,
)
from app.roles.route_helpers import (
    STATUS_LABELS,
    _actor,
    _page_context,
    _refuse_change,
    _reload,
    _to_version,
    _version_or_404,
)
from app.transactions import StaleEdit, transaction
from assessments.roles import RoleDefinitionError


def _pair(key: str, old: int, new: int) -> dict[str, Any]:
    """url_for arguments for comparing two versions ("from" is a Python keyword)."""
    return {"key": key, "from": old, "to": new}


# ---------------------------------------------------------------------------
# Reading


@bp.route("/roles")
@requires("roles.list")
@cached_page
def list_roles() -> ResponseReturnValue:
    """Every role definition with its versions."""
    editor = may(current_user, "roles.edit")
    rows = []
    for definition in lookups.all_definitions():
        versions = [v for v in definition.versions if editor or v.status != "draft"]
        rows.append(
            {
                "definition": definition,
                "versions": list(reversed(versions)),
                "latest": lookups.latest_visible(definition, include_drafts=editor),
                "draft": lookups.current_draft(definition) if editor else None,
            }
        )
    return render_template("roles/list.html", rows=rows, editor=editor, status_labels=STATUS_LABELS)


@bp.route("/roles/<key>/v<int:number>")
@requires("roles.view")
def show_version(key: str, number: int) -> ResponseReturnValue:
    """The whole definition; candidates see it without weights and interview questions."""
    version = _version_or_404(key, number)
    internal = may(current_user, "roles.view_scoring")
    editor = may(current_user, "roles.edit")
    context = _page_context(version)
    earlier = [v.number for v in version.definition.versions if v.number < version.number]
    previous_number = max(earlier, default=None)
    compare_url = (
        url_for("roles.compare_versions", **_pair(key, previous_number, number))
        if previous_number and internal
        else None
    )
    return render_template(
        "roles/version.html",
        internal=internal,
        editor=editor,
        preview=False,
        draft=lookups.current_draft(version.definition) if editor else None,
        groups=lens_groups(version.content),
        total_weight=weight_total(version.content),
        todo=missing_parts(version.content) if version.status == "draft" else [],
        previous_number=previous_number,
        compare_url=compare_url,
        **context,
    )


@bp.route("/roles/<key>/v<int:number>/preview")
@requires("roles.view")
def preview_version(key: str, number: int) -> ResponseReturnValue:
    """The version exactly as a candidate executive sees it."""
    version = _version_or_404(key, number)
    return render_template(
        "roles/version.html",
        internal=False,
        editor=False,
        preview=may(current_user, "roles.view_scoring"),
        draft=None,
        groups=lens_groups(version.content),
        total_weight=weight_total(version.content),
        todo=[],
        previous_number=None,
        compare_url=None,
        **_page_context(version),
    )


@bp.route("/roles/<key>/v<int:number>/role.yaml")
@requires("roles.list")
def download_version(key: str, number: int) -> ResponseReturnValue:
    """The version as a YAML file, the same as `flask framework export` writes."""
    version = _version_or_404(key, number)
    try:
        text = transfer.export_yaml(version)
    except RoleDefinitionError:
        flash("This draft is not complete yet, so it cannot be downloaded as a file.", "error")
        return _to_version(version)
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{key}-v{number}.yaml"'},
    )


@bp.route("/roles/<key>/compare")
@requires("roles.list")
def compare_versions(key: str) -> ResponseReturnValue:
    """What changed between two versions (?from=N&to=M)."""
    definition = lookups.definition_by_key(key)
    if definition is None:
        abort(404)
    editor = may(current_user, "roles.edit")
    versions = [v for v in definition.versions if editor or v.status != "draft"]
    by_number = {v.number: v for v in versions}
    choices = ", ".join(f"v{n}" for n in by_number)
    raw = {"from": request.args.get("from"), "to": request.args.get("to")}
    errors: list[tuple[str, str]] = []
    chosen: dict[str, RoleVersion | None] = {"from": None, "to": None}
    if raw["from"] is None and raw["to"] is None:
        if len(versions) >= 2:
            chosen = {"from": versions[-2], "to": versions[-1]}
    else:
        names = {"from": "the version to compare from", "to": "the version to compare to"}
        for which in ("from", "to"):
            text = (raw[which] or "").strip().lstrip("vV")
            if not text:
                errors.append((which, f"Choose {names[which]}"))
            elif (number := parse_id(text)) is None:
                errors.append(
                    (which, f"Version numbers are whole numbers, like 2: choose one of {choices}")
                )
            elif number not in by_number:
                errors.append(
                    (which, f"{definition.name} has no version {number}: choose one of {choices}")
                )
            else:
                chosen[which] = by_number[number]
    old, new = chosen["from"], chosen["to"]
    comparison = compare.compare(old, new) if old is not None and new is not None else None
    return render_template(
        "roles/compare.html",
        definition=definition,
        versions=versions,
        comparison=comparison,
        errors=errors,
        selected={k: (v.number if v else None) for k, v in chosen.items()},
        status_labels=STATUS_LABELS,
    ), (400 if errors else 200)


# ---------------------------------------------------------------------------
# Creating


@bp.route("/roles/new", methods=["GET", "POST"])
@requires("roles.edit")
def new_role() -> ResponseReturnValue:
    """Start a role from scratch: a key and a name make draft v1."""
    form = NewRoleForm()
    if form.validate_on_submit():
        try:
            with transaction():
                draft = lifecycle.create_role(form.key.data, form.name.data, actor=_actor())
        except RoleEditError as exc:
            form.key.errors = [str(exc)]
        except RoleDefinitionError as exc:
            apply_problems(form, exc.errors)
        else:
            flash(
                f"{draft.content['name']} created as draft v1. Next, write its purpose and "
                "responsibilities, then add competencies.",
                "success",
            )
            return _to_version(draft)
        return render_template("roles/new_role.html", form=form), 400
    status = 400 if form.errors else 200
    return render_template("roles/new_role.html", form=form), status


@bp.route("/roles/<key>/v<int:number>/draft", methods=["POST"])
@requires("roles.edit")
def start_draft(key: str, number: int) -> ResponseReturnValue:
    """Edit a published version: open the role's draft, creating vN+1 from this one if none."""
    version = _version_or_404(key, number)
    if version.status == "draft":
        return _to_version(version)
    draft, created = lifecycle.start_draft(version, actor=_actor())
    db.session.commit()
    if created:
        flash(
            f"Draft v{draft.number} created from v{version.number}. Only editors see it until "
            "you publish it.",
            "success",
        )
    else:
        flash(
            f"{version.definition.name} already has a draft, v{draft.number}: continue with it.",
            "info",
        )
    return _to_version(draft)


# ---------------------------------------------------------------------------
# Publishing, retiring, discarding


@bp.route("/roles/<key>/v<int:number>/publish", methods=["GET", "POST"])
@requires("roles.edit")
def publish_version(key: str, number: int) -> ResponseReturnValue:
    """Confirm, then publish a draft (it can never change afterwards)."""
    draft = _version_or_404(key, number)
    if draft.status != "draft":
        return _refuse_change(draft)
    form = ActionForm()
    stale = False
    if form.validate_on_submit():
        try:
            with transaction():
                lifecycle.publish_version(
                    draft, actor=_actor(), expected_version=form.expected_version()
                )
        except StaleEdit:
            draft = _reload(key, number)
            stale = True
        except RoleDefinitionError:
            draft = _version_or_404(key, number)
        else:
            flash(
                f"{draft.content['name']} v{draft.number} is published. New assessments start "
                "on it; assessments already running stay on the version they started with.",
                "success",
            )
            return _to_version(draft)
    form.version.data = str(draft.version)
    return _publish_page(form, draft, stale)


def _publish_page(form: ActionForm, draft: RoleVersion, stale: bool) -> ResponseReturnValue:
    previous = lookups.newest_published(draft.definition)
    # Stored drafts are never invalid, only incomplete: say what is missing in words.
    problems = missing_parts(draft.content) + blocking_problems(draft.content)
    status = 409 if stale else 400 if problems and form.is_submitted() else 200
    return render_template(
        "roles/publish.html",
        form=form,
        problems=problems,
        previous=previous,
        comparison=compare.compare(previous, draft) if previous else None,
        stale=stale,
        **_page_context(draft),
    ), status


@bp.route("/roles/<key>/v<int:number>/retire", methods=["GET", "POST"])
@requires("roles.edit")
def retire_version(key: str, number: int) -> ResponseReturnValue:
    """Confirm, then retire a published version (it stays readable)."""
    version = _version_or_404(key, number)
    if version.status == "draft":
        flash("Only published versions can be retired. A draft can be discarded instead.", "error")
        return _to_version(version)
    if version.status != "published":
        return _refuse_change(version)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            with transaction():
                lifecycle.retire_version(
                    version, actor=_actor(), expected_version=form.expected_version()
                )
        except StaleEdit:
            version = _reload(key, number)
            flash(
                "This version changed while you were looking at it. Check it and try again.",
                "error",
            )
            return _to_version(version)
        flash(
            f"v{version.number} is retired. It stays readable, and assessments already on it "
            "keep it.",
            "success",
        )
        return _to_version(version)
    form.version.data = str(version.version)
    return render_template(
        "roles/retire.html",
        form=form,
        assessments=lookups.assessments_on(version),
        newest=lookups.newest_published(version.definition),
        **_page_context(version),
    )


@bp.route("/roles/<key>/v<int:number>/discard", methods=["GET", "POST"])
@requires("roles.edit")
def discard_draft(key: str, number: int) -> ResponseReturnValue:
    """Confirm, then delete a draft and every change in it."""
    draft = _version_or_404(key, number)
    if draft.status != "draft":
        return _refuse_change(draft)
    form = ActionForm()
    if form.validate_on_submit():
        name = draft.content.get("name") or draft.definition.name
        try:
            with transaction():
                role_gone = lifecycle.discard_draft(
                    draft, actor=_actor(), expected_version=form.expected_version()
                )
        except StaleEdit:
            draft = _reload(key, number)
            flash(
                "Someone else changed this draft while you were looking at it, so it was not "
                "discarded. Check it and discard it again if you still want to.",
                "error",
            )
            return _to_version(draft)
        flash(f"Draft v{number} of {name} discarded.", "success")
        if role_gone:
            return redirect(url_for("roles.list_roles"))
        definition = lookups.definition_by_key(key)
        latest = lookups.latest_visible(definition, include_drafts=False) if definition else None
        return _to_version(latest) if latest else redirect(url_for("roles.list_roles"))
    form.version.data = str(draft.version)
    return render_template("roles/discard.html", form=form, **_page_context(draft))
