"""Notifications, email preferences, and the admins' outbox."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import db
from app.models import EMAIL_CHOICES, OUTBOX_STATUSES, Notification, OutboxMessage, User
from app.notifications import bp, inbox
from app.notifications.forms import field_name, preferences_form
from app.notifications.kinds import choosable_kinds, label
from app.notifications.services import mail_configured
from app.pagination import kept_args, paging, requested_page, status_page
from app.policy import authorize, requires
from app.transactions import transaction


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


@bp.route("/notifications")
@requires("notifications.view")
def list_notifications() -> ResponseReturnValue:
    """The signed-in person's notifications: unread first, each linking to the thing to do."""
    me = _me()
    paged = paging(inbox.count_for(me), requested_page(request.args))
    return render_template(
        "notifications/list.html",
        notifications=inbox.page_for(me, offset=paged.offset, limit=paged.per_page),
        paging=paged,
        kind_label=label,
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@requires("notifications.view")
def mark_read(notification_id: int) -> ResponseReturnValue:
    """Mark one notification as read (only the person it is for may)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        abort(404)
    authorize("notifications.read", notification)
    inbox.mark_read(notification)
    db.session.commit()
    flash(f"Marked as read: {notification.title}", "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@requires("notifications.view")
def mark_all_read() -> ResponseReturnValue:
    """Mark every unread notification of the signed-in person as read."""
    count = inbox.mark_all_read(_me())
    db.session.commit()
    flash(f"Marked {count} notification{'' if count == 1 else 's'} as read.", "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@requires("notifications.preferences")
def preferences() -> ResponseReturnValue:
    """Choose, for each kind of email, straight away, a daily digest, or none."""
    me = _me()
    kinds = choosable_kinds(me.role)
    form = preferences_form(kinds, inbox.preferences_of(me))
    if kinds and form.validate_on_submit():
        inbox.save_preferences(me, {kind: form[field_name(kind)].data for kind, _l in kinds})
        db.session.commit()
        flash("Your email preferences are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    status = 400 if form.errors else 200
    return render_template(
        "notifications/preferences.html",
        form=form,
        kinds=kinds,
        field_name=field_name,
        choices=EMAIL_CHOICES,
    ), status


@bp.route("/admin/outbox")
@requires("outbox.view")
def outbox() -> ResponseReturnValue:
    """Every email with its delivery status, newest first, filterable by status."""
    counts = inbox.outbox_counts()
    shown = status_page(request.args, OUTBOX_STATUSES, counts)
    paged = shown.paging
    return render_template(
        "notifications/outbox.html",
        messages=inbox.outbox_page(shown.status, offset=paged.offset, limit=paged.per_page),
        paging=paged,
        page_args=kept_args(request.args, ("status",)),
        status=shown.status,
        statuses=OUTBOX_STATUSES,
        counts=counts,
        mail_configured=mail_configured(),
        kind_label=label,
    )


def _message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/admin/outbox/<int:message_id>")
@requires("outbox.view")
def show_message(message_id: int) -> ResponseReturnValue:
    """One email as it was (or will be) sent: subject, both parts, attachments, delivery."""
    return render_template(
        "notifications/message.html",
        message=_message_or_404(message_id),
        mail_configured=mail_configured(),
        kind_label=label,
    )


# The stored HTML part on its own: no script, no form, nothing fetched from elsewhere.
EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@bp.route("/admin/outbox/<int:message_id>/html")
@requires("outbox.view")
def show_message_html(message_id: int) -> ResponseReturnValue:
    """The HTML part of one email, as its recipient sees it."""
    message = _message_or_404(message_id)
    response = Response(message.html_body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = EMAIL_CSP
    return response


@bp.route("/admin/outbox/<int:message_id>/retry", methods=["POST"])
@requires("outbox.retry")
def retry_message(message_id: int) -> ResponseReturnValue:
    """Send a failed (or kept) email again."""
    message = _message_or_404(message_id)
    try:
        with transaction():
            inbox.retry(message)
    except inbox.CannotRetry as exc:
        flash(exc.message, "error")
    else:
        flash(f"Email #{message.id} to {message.to_address} is queued to be sent again.", "success")
    return redirect(url_for("notifications.show_message", message_id=message_id))
