"""Role definitions in the browser: list, read, draft, edit, publish, retire, compare."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app import saved_input
from app.extensions import db
from app.models import RoleVersion, User
from app.params import parse_id
from app.policy import authorize, may, requires
from app.roles import bp, compare, editing, lifecycle, lookups, steps, transfer  # noqa: F401  (steps registers home-page steps)
from app.roles.content import blocking_problems, canonical, lens_groups, missing_parts, weight_total
from app.roles.errors import RoleEditError
from app.roles.forms import (
    ActionForm,
    CompetencyForm,
    MoveForm,
    NewRoleForm,
    RoleFieldsForm,
    apply_problems,
)
from app.transactions import StaleEdit, transaction
from assessments.model import LENS_LABELS, LEVELS, RATING_SCALE
from assessments.roles import RoleDefinitionError

STATUS_LABELS = {"draft": "Draft", "published": "Published", "retired": "Retired"}


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


def _version_or_404(key: str, number: int) -> RoleVersion:
    """Load the version or 404, then check the reader may see it (drafts: editors only)."""
    version = lookups.version_by_number(key, number)
    if version is None:
        abort(404)
    authorize("roles.view", version)
    return version


def _reload(key: str, number: int) -> RoleVersion:
    """The version as saved now, after the transaction boundary rolled back a refused change."""
    return _version_or_404(key, number)


def _kept_input() -> MultiDict[str, str] | None:
    """On a GET, what was kept of this page's form when the session ended (given back once)."""
    if request.method != "GET":
        return None
    kept = saved_input.give_back(current_user.id, request.path)
    if kept is not None:  # its version shows any conflict on save
        flash(saved_input.RESTORED_MESSAGE, "info")
    return kept


def _refuse_change(version: RoleVersion) -> ResponseReturnValue:
    """Published and retired versions never change: say so, and point to the draft."""
    return (
        render_template(
            "roles/immutable.html",
            version=version,
            draft=lookups.current_draft(version.definition),
        ),
        409,
    )


def _page_context(version: RoleVersion) -> dict[str, Any]:
    return {
        "version": version,
        "definition": version.definition,
        "content": version.content,
        "status_labels": STATUS_LABELS,
        "lens_labels": LENS_LABELS,
        "levels": [str(level) for level in LEVELS],
        "rating_scale": {str(k): v for k, v in RATING_SCALE.items()},
    }


def _pair(key: str, old: int, new: int) -> dict[str, Any]:
    """url_for arguments for comparing two versions ("from" is a Python keyword)."""
    return {"key": key, "from": old, "to": new}


def _to_version(version: RoleVersion, anchor: str | None = None) -> ResponseReturnValue:
    url = url_for("roles.show_version", key=version.definition.key, number=version.number)
    return redirect(f"{url}#{anchor}" if anchor else url)


# ---------------------------------------------------------------------------
# Reading


@bp.route("/roles")
@requires("roles.list")
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
    valid = form.validate()
    values = form.values()
    if original is None:
        competencies.append(values)
    else:
        competencies[index] = values
    content = canonical({**draft.content, "competencies": competencies})
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
