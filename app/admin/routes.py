"""Accounts: list, invite, change role, deactivate, reset password."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import audit, task_runs
from app.admin import audit_services, bp, personal_data, services
from app.admin.audit_services import AuditFilters
from app.admin.forms import AuditFilterForm, ChangeRoleForm, ConfirmPersonForm, NewUserForm
from app.auth import records
from app.auth import services as accounts
from app.auth.session import current_record
from app.extensions import db
from app.form_fields import DATE_PARTS
from app.models import ROLES, TASK_STATUSES, User
from app.models.base import utcnow
from app.notifications.accounts import send_account_link
from app.pagination import PER_PAGE, kept_args, paging, requested_page, status_page
from app.policy import requires
from app.reports import exports
from app.transactions import transaction


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users")
@requires("users.manage")
def list_users() -> ResponseReturnValue:
    """Every account by name, 50 a page, filterable by role and status."""
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    paged = paging(services.count_users(role, status), requested_page(request.args))
    users = services.list_users(role, status, offset=paged.offset, limit=paged.per_page)
    return render_template(
        "admin/users.html",
        users=users,
        paging=paged,
        page_args=kept_args(request.args, ("role", "status")),
        role=role,
        status=status,
        roles=ROLES,
        statuses=services.STATUSES,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires("users.manage")
def new_user() -> ResponseReturnValue:
    """Invite a person: the single-use link is shown once, to pass on."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data or "", form.name.data or "", form.role.data or ""
            )
        except accounts.AccountError as exc:
            form.email.errors = [str(exc)]
        else:
            link = send_account_link(user, "invite", accounts.issue_token(user, "invite"))
            db.session.commit()
            return render_template("admin/link_issued.html", user=user, link=link, purpose="invite")
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>")
@requires("users.manage")
def show_user(user_id: int) -> ResponseReturnValue:
    """One account with its actions."""
    user = _user_or_404(user_id)
    role_form = ChangeRoleForm(role=user.role)
    return render_template("admin/user.html", user=user, role_form=role_form, **_sessions_of(user))


def _sessions_of(user: User) -> dict[str, object]:
    """How many sessions the person has open, for the account page."""
    config = current_app.config
    live = records.live_sessions(
        user.id, config["SESSION_IDLE_TIMEOUT"], config["SESSION_ABSOLUTE_TIMEOUT"]
    )
    return {"live_session_count": len(live)}


@bp.route("/users/<int:user_id>/end-sessions", methods=["POST"])
@requires("users.manage")
def end_sessions(user_id: int) -> ResponseReturnValue:
    """End every session of this person at once (an admin keeps their own current one)."""
    user = _user_or_404(user_id)
    record = current_record() if user.id == current_user.id else None
    count = accounts.end_sessions(
        user, "ended by admin", keep=record.id if record is not None else None
    )
    db.session.commit()
    flash(f"Ended {count} session{'' if count == 1 else 's'} of {user.name}.", "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@requires("users.manage")
def change_role(user_id: int) -> ResponseReturnValue:
    """Give the person another role."""
    user = _user_or_404(user_id)
    form = ChangeRoleForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/user.html", user=user, role_form=form, **_sessions_of(user)
        ), 400
    if user.id == current_user.id and form.role.data != "admin":
        form.role.errors = ["You cannot remove your own administrator role"]
        return render_template(
            "admin/user.html", user=user, role_form=form, **_sessions_of(user)
        ), 400
    accounts.change_role(user, form.role.data or "")
    db.session.commit()
    flash(f"{user.name} is now {user.role_label}.", "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@requires("users.manage")
def toggle_active(user_id: int) -> ResponseReturnValue:
    """Deactivate or reactivate the account."""
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.show_user", user_id=user.id))
    accounts.set_active(user, not user.active)
    db.session.commit()
    flash(f"{user.name} has been {'reactivated' if user.active else 'deactivated'}.", "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@requires("users.manage")
def reset_link(user_id: int) -> ResponseReturnValue:
    """Issue a single-use password link (invite if they never set one)."""
    user = _user_or_404(user_id)
    if not user.active:
        flash("Reactivate the account before issuing a password link.", "error")
        return redirect(url_for("admin.show_user", user_id=user.id))
    purpose = "reset" if user.password_hash else "invite"
    link = send_account_link(user, purpose, accounts.issue_token(user, purpose))
    db.session.commit()
    return render_template("admin/link_issued.html", user=user, link=link, purpose=purpose)


@bp.route("/audit")
@requires("audit.view")
def audit_log() -> ResponseReturnValue:
    """The append-only audit log in words, filterable by what happened, person and date."""
    form = AuditFilterForm(request.args, actions=audit_services.known_actions())
    form.validate()
    filters = AuditFilters.from_form(form, request.args)
    total = audit_services.count(filters)
    paged = paging(total, requested_page(request.args))
    events = audit_services.search(filters, offset=paged.offset, limit=PER_PAGE)
    dates = [f"{name}-{part}" for name in ("since", "until") for part in DATE_PARTS]
    return render_template(
        "admin/audit.html",
        events=events,
        paging=paged,
        page_args=kept_args(
            request.args, ("action", "person", "object_type", "since", "until", *dates)
        ),
        filters=filters,
        form=form,
        describe=audit.describe,
        changes=audit_services.changes,
    )


@bp.route("/tasks")
@requires("tasks.view")
def list_tasks() -> ResponseReturnValue:
    """What the background worker did and is doing: task runs by status, the queue's depth."""
    counts = task_runs.count_by_status()
    shown = status_page(request.args, TASK_STATUSES, counts)
    paged = shown.paging
    return render_template(
        "admin/tasks.html",
        runs=task_runs.recent(shown.status, offset=paged.offset, limit=paged.per_page),
        paging=paged,
        page_args=kept_args(request.args, ("status",)),
        status=shown.status,
        statuses=TASK_STATUSES,
        counts=counts,
        depth=task_runs.queue_depth(),
        exports=exports.active_exports(),
    )


@bp.route("/users/<int:user_id>/personal-data.json")
@requires("users.manage")
def export_person(user_id: int) -> ResponseReturnValue:
    """Download everything held about one person as JSON."""
    user = _user_or_404(user_id)
    data = personal_data.collect(user)
    audit.record("person.export", f"Personal data of {user.email} exported", obj=user)
    db.session.commit()
    body = json.dumps(
        {"person": user.email, "exported_at": utcnow().isoformat(), "records": data},
        indent=1,
        ensure_ascii=False,
    )
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="personal-data-{user.id}.json"'},
    )


@bp.route("/users/<int:user_id>/<any(anonymise, delete):action>", methods=["GET", "POST"])
@requires("users.manage")
def remove_person(user_id: int, action: str) -> ResponseReturnValue:
    """Anonymise or delete a candidate after the admin types their email to confirm."""
    user = _user_or_404(user_id)
    form = ConfirmPersonForm()
    if form.validate_on_submit():
        if (form.confirm_email.data or "").strip().lower() != user.email:
            form.confirm_email.errors = [f"Type {user.email} exactly to confirm"]
        else:
            try:
                with transaction():
                    if action == "anonymise":
                        personal_data.anonymise(user)
                    else:
                        personal_data.delete_candidate(user)
            except personal_data.PersonalDataError as exc:
                form.confirm_email.errors = [str(exc)]
            else:
                done = "anonymised" if action == "anonymise" else "deleted with all their records"
                flash(f"The candidate has been {done}.", "success")
                if action == "anonymise":
                    return redirect(url_for("admin.show_user", user_id=user_id))
                return redirect(url_for("admin.list_users"))
    return render_template("admin/remove_person.html", user=user, form=form, action=action)
