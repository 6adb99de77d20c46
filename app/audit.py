"""Recording audit events (append-only; the request commits)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, User


def record(
    action: str,
    summary: str,
    *,
    obj: Any = None,
    actor: User | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event for the current (or given) user; flushes, never commits."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    event = AuditEvent(
        action=action,
        summary=summary,
        actor_id=actor.id if actor is not None else None,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        old_value=old,
        new_value=new,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    db.session.flush()
    return event


# What each stored code means, in words for the audit page (the codes themselves never change,
# so old events read the same). A code missing here still reads sensibly: see `describe`.
EVENT_WORDS: dict[str, str] = {
    "auth.login": "Signed in",
    "auth.login_failed": "Failed to sign in",
    "user.create": "Created an account",
    "user.password_set": "Set a password",
    "user.sessions_ended": "Ended sessions",
    "user.invite_issued": "Issued an invitation link",
    "outbox.retry": "Sent an email again",
    "user.reset_issued": "Issued a password reset link",
    "user.activate": "Reactivated an account",
    "user.deactivate": "Deactivated an account",
    "user.role_change": "Changed someone's role",
    "person.anonymise": "Anonymised a candidate",
    "person.delete": "Deleted a candidate's records",
    "person.export": "Exported someone's personal data",
    "stakeholder.invite": "Invited stakeholders to give feedback",
    "stakeholder.withdraw": "Withdrew a stakeholder's invitation",
    "stakeholder.resend": "Sent a stakeholder a new link",
    "stakeholder.extend": "Gave a stakeholder more time",
    "stakeholder.close": "Closed a stakeholder feedback round",
    "profile.update": "Updated an exec's profile",
    "stream.create": "Created a value stream",
    "stream.update": "Updated a value stream",
    "assessment.nominate": "Nominated a candidate",
    "assessment.stream": "Moved an assessment to another value stream",
    "assessment.import": "Imported an assessment",
    "assessment.self_due": "Changed when a self-assessment is due",
    "self.save": "Saved self-assessment answers",
    "self.submit": "Submitted a self-assessment",
    "self.reopen": "Reopened a self-assessment",
    "self.import": "Imported a self-assessment",
    "panel.assign": "Changed an interview panel",
    "panel.focus": "Changed a panel member's focus areas",
    "panel.schedule": "Changed when or where an interview is due or held",
    "interview.save": "Saved an interview draft",
    "interview.submit": "Submitted an interview",
    "interview.import": "Imported an interview",
    "calibration.note": "Added a calibration note",
    "decision.record": "Recorded a selection decision",
    "role.create": "Created a role",
    "role.version_create": "Started a new role version",
    "role.draft_replace": "Replaced a role draft",
    "role.edit": "Edited a role's details",
    "role.competency_add": "Added a competency",
    "role.competency_edit": "Changed a competency",
    "role.competency_remove": "Removed a competency",
    "role.competency_move": "Moved a competency",
    "role.publish": "Published a role version",
    "role.retire": "Retired a role version",
    "role.draft_discard": "Discarded a role draft",
    "induction.template_create": "Created an induction template",
    "induction.template_item_add": "Added an induction template item",
    "induction.template_item_edit": "Changed an induction template item",
    "induction.template_item_remove": "Removed an induction template item",
    "induction.template_item_move": "Moved an induction template item",
    "induction.checklist_create": "Started an induction checklist",
    "induction.tick": "Marked an induction item done",
    "induction.untick": "Marked an induction item not done",
    "plan.create": "Drafted a coaching plan",
    "plan.edit": "Edited a coaching plan",
    "plan.issue": "Issued a coaching plan",
    "plan.supersede": "Superseded a coaching plan",
    "review.record": "Recorded a progress review",
    "review.decide": "Decided what follows a progress review",
    "reports.export": "Downloaded documents as one ZIP",
    "reports.export_cancel": "Cancelled a bulk download",
}


def describe(action: str) -> str:
    """An event code in words: "auth.login" -> "Signed in"; an unknown "grant.extend_term"
    reads "Grant: extend term"."""
    if action in EVENT_WORDS:
        return EVENT_WORDS[action]
    area, _, verb = action.partition(".")
    words = " ".join(part for part in verb.replace("_", " ").split() if part)
    area_words = area.replace("_", " ").strip().capitalize() or "Event"
    return f"{area_words}: {words}" if words else area_words
