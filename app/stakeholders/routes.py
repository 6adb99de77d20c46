"""The CPO's side: invite stakeholders, see who has answered (never what), withdraw, resend,
extend; and the admin's personal-data export for a stakeholder, who has no account."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import audit, localtime
from app.admin import personal_data
from app.auth.services import normalise_email
from app.extensions import db
from app.models import Assessment, User
from app.models.base import utcnow
from app.models.stakeholders import RELATIONSHIPS, StakeholderInvitation
from app.params import parse_id
from app.policy import requires
from app.stakeholder_feedback import round_closed, round_open
from app.stakeholders import answers, bp, invitations
from app.stakeholders.forms import MORE_ROWS, ExtendForm, InviteForm
from app.transactions import DomainError, StaleEdit, show_on_form, transaction


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _assessment_or_404(assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    return assessment


def _invitation_or_404(assessment: Assessment, invitation_id: int) -> StakeholderInvitation:
    invitation = invitations.invitation_in(assessment, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _back(assessment: Assessment) -> str:
    return url_for("stakeholders.manage", assessment_id=assessment.id)


def _render_manage(
    assessment: Assessment, form: InviteForm, rows: int, status: int = 200
) -> tuple[str, int]:
    role = assessment.role_version.role
    listed = invitations.invitations_of(assessment)
    now = utcnow()
    rows_of = [(i, invitations.status_of(i, now)) for i in listed]
    counts = {key: sum(1 for _, s in rows_of if s == key) for key in invitations.STATUS_LABELS}
    return render_template(
        "stakeholders/manage.html",
        assessment=assessment,
        form=form,
        shown_rows=form.shown_rows(rows),
        invitations=rows_of,
        counts=counts,
        status_labels=invitations.STATUS_LABELS,
        relationships=RELATIONSHIPS,
        asked=answers.questions(role),
        min_stakeholders=invitations.MIN_STAKEHOLDERS,
        max_stakeholders=invitations.MAX_STAKEHOLDERS,
        min_responses=invitations.min_responses(),
        active=sum(1 for _, s in rows_of if s != "withdrawn"),
        email_on=invitations.email_delivery_on(),
        link_of=invitations.absolute_link,
        imported=invitations.imported_count(assessment),
        closed=round_closed(assessment),
        round_open=round_open(assessment),
    ), status


def _rows_requested() -> int:
    return parse_id(request.values.get("rows")) or 0


@bp.route("/assessments/<int:assessment_id>/stakeholders")
@requires("stakeholders.view")
def manage(assessment_id: int) -> ResponseReturnValue:
    """Who was asked for feedback on this candidate and who has answered; invite more."""
    assessment = _assessment_or_404(assessment_id)
    form = InviteForm(formdata=None, data={"due_on": invitations.default_due_on()})
    return _render_manage(assessment, form, _rows_requested())


@bp.route("/assessments/<int:assessment_id>/stakeholders/invite", methods=["POST"])
@requires("stakeholders.invite")
def invite(assessment_id: int) -> ResponseReturnValue:
    """Invite the stakeholders named (3-12 in all) and email each their link."""
    assessment = _assessment_or_404(assessment_id)
    form = InviteForm()
    rows = _rows_requested()
    if request.form.get("action") == "more":
        # No JavaScript needed: the page comes back with more empty rows and what was typed.
        form.validate()
        for field in form:
            field.errors = []
        form.form_errors = []
        return _render_manage(assessment, form, form.shown_rows(rows) + MORE_ROWS)
    if not answers.questions(assessment.role_version.role):
        form.form_errors.append(
            f"{assessment.role_version.label} has no statements for stakeholders, so there is "
            "nothing to ask them. Add stakeholder prompts in a new version of the role first."
        )
        return _render_manage(assessment, form, rows, 400)
    if not form.validate():
        return _render_manage(assessment, form, rows, 400)
    try:
        with transaction(concurrent_insert_is_stale=True):
            made = invitations.invite(assessment, form.invitees(), form.due_on.data, actor=_actor())
    except StaleEdit:
        form.form_errors.append(
            "Someone invited stakeholders for this candidate at the same moment. Check the list "
            "below, then send again."
        )
        return _render_manage(_assessment_or_404(assessment_id), form, rows, 409)
    except DomainError as error:
        show_on_form(form, error)
        return _render_manage(_assessment_or_404(assessment_id), form, rows, 400)
    count = len(made)
    flash(
        f"Invited {count} stakeholder{'s' if count != 1 else ''}. "
        + (
            "Each has been emailed their own link."
            if invitations.email_delivery_on()
            else "Email is not set up, so nobody has been emailed: send each person the link "
            "shown below."
        ),
        "success",
    )
    return redirect(_back(assessment))


def _change(assessment_id: int, invitation_id: int, change: str) -> ResponseReturnValue:
    assessment = _assessment_or_404(assessment_id)
    invitation = _invitation_or_404(assessment, invitation_id)
    email = invitation.email
    try:
        with transaction():
            if change == "withdraw":
                invitations.withdraw(invitation, _actor())
            else:
                invitations.resend(invitation, _actor())
    except DomainError as error:
        flash(str(error), "error")
        return redirect(_back(assessment))
    if change == "withdraw":
        flash(f"Withdrawn: {email}'s link no longer works.", "success")
    else:
        flash(
            f"A new link has been sent to {email}. The earlier link no longer works; "
            "anything they had saved is kept.",
            "success",
        )
    return redirect(_back(assessment))


@bp.route(
    "/assessments/<int:assessment_id>/stakeholders/<int:invitation_id>/withdraw", methods=["POST"]
)
@requires("stakeholders.invite")
def withdraw(assessment_id: int, invitation_id: int) -> ResponseReturnValue:
    """Withdraw one invitation: the link stops working and the unsent draft is discarded."""
    return _change(assessment_id, invitation_id, "withdraw")


@bp.route(
    "/assessments/<int:assessment_id>/stakeholders/<int:invitation_id>/resend", methods=["POST"]
)
@requires("stakeholders.invite")
def resend(assessment_id: int, invitation_id: int) -> ResponseReturnValue:
    """Email a new link to one stakeholder; what they saved so far is kept."""
    return _change(assessment_id, invitation_id, "resend")


@bp.route(
    "/assessments/<int:assessment_id>/stakeholders/<int:invitation_id>/extend",
    methods=["GET", "POST"],
)
@requires("stakeholders.invite")
def extend(assessment_id: int, invitation_id: int) -> ResponseReturnValue:
    """Give one stakeholder more time (an expired link works again, with their draft)."""
    assessment = _assessment_or_404(assessment_id)
    invitation = _invitation_or_404(assessment, invitation_id)
    suggested = max(
        invitations.default_due_on(),
        (invitation.due_on or localtime.today()) + timedelta(days=7),
    )
    form = ExtendForm(data={"due_on": suggested}) if request.method == "GET" else ExtendForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                with transaction():
                    invitations.extend(invitation, form.due_on.data, _actor())
            except DomainError as error:
                show_on_form(form, error)
                invitation = _invitation_or_404(_assessment_or_404(assessment_id), invitation_id)
            else:
                flash(
                    f"{invitation.email} now has until "
                    f"{localtime.format_date(form.due_on.data, long=True)}, and has been told.",
                    "success",
                )
                return redirect(_back(assessment))
        status = 400
    return render_template(
        "stakeholders/extend.html",
        assessment=invitation.assessment,
        invitation=invitation,
        status=invitations.status_of(invitation),
        status_labels=invitations.STATUS_LABELS,
        form=form,
    ), status


@bp.route("/assessments/<int:assessment_id>/stakeholders/close", methods=["GET", "POST"])
@requires("stakeholders.invite")
def close(assessment_id: int) -> ResponseReturnValue:
    """Close the feedback round: unanswered links stop working and the results show."""
    assessment = _assessment_or_404(assessment_id)
    if request.method == "POST":
        try:
            with transaction():
                ended = invitations.close_round(_assessment_or_404(assessment_id), _actor())
        except DomainError as error:
            flash(str(error), "error")
            return redirect(_back(assessment))
        flash(
            "Feedback closed: the results now show what stakeholders said."
            + (
                f" {ended} unanswered link{'s' if ended != 1 else ''} no longer work"
                f"{'s' if ended == 1 else ''}."
                if ended
                else ""
            ),
            "success",
        )
        return redirect(_back(assessment))
    now = utcnow()
    statuses = [invitations.status_of(i, now) for i in invitations.invitations_of(assessment)]
    return render_template(
        "stakeholders/close.html",
        assessment=assessment,
        answered=statuses.count("answered"),
        waiting=sum(1 for s in statuses if s in ("sent", "expired")),
        closed=assessment.stakeholder_closed_at is not None,
    )


# --- Personal data ---------------------------------------------------------------------------


@bp.route("/admin/stakeholder-data")
@requires("stakeholders.personal_data")
def stakeholder_data() -> ResponseReturnValue:
    """Everything held about a stakeholder (by email): their invitations, never their answers."""
    raw = (request.args.get("email") or "").strip()[:254]
    if not raw:
        return render_template("stakeholders/personal_data.html", email="", found=None)
    email = normalise_email(raw)
    records = personal_data.collect_stakeholder(email)
    if not records and request.args.get("download") != "1":
        return render_template("stakeholders/personal_data.html", email=email, found=0)
    if request.args.get("download") != "1":
        return render_template("stakeholders/personal_data.html", email=email, found=len(records))
    audit.record("person.export", f"Personal data of stakeholder {email} exported")
    db.session.commit()
    body = json.dumps(
        {
            "person": email,
            "exported_at": utcnow().isoformat(),
            "records": {"stakeholder_invitations": records},
            "not_included": personal_data.STAKEHOLDER_ANSWERS_NOTE,
        },
        indent=1,
        ensure_ascii=False,
    )
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="personal-data-stakeholder.json"'},
    )
