"""The one access policy: which role may do what, and to which object.

Every view is wrapped by `requires(permission)` or marked `public`; a test walks
`app.url_map` so a route without an entry fails the suite. Object-level rules
(an exec sees only their own assessment) are answered by `may(user, permission, obj)`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from app.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

EVERYONE = frozenset({"admin", "cpo", "interviewer", "exec", "hr"})
PUBLIC = "public"

STAFF = frozenset({"admin", "cpo", "hr"})
CPO = frozenset({"cpo"})

# permission -> roles that hold it. Object rules below narrow some of them further.
PERMISSIONS: dict[str, frozenset[str]] = {
    "home.view": EVERYONE,
    "account.change_password": EVERYONE,
    "account.sessions": EVERYONE,
    # Notifications: everyone reads their own (object rule) and chooses how they get email.
    "notifications.view": EVERYONE,
    "notifications.read": EVERYONE,
    "notifications.preferences": EVERYONE,
    # Administration
    "users.manage": frozenset({"admin"}),
    "audit.view": frozenset({"admin"}),
    # The background worker's task runs and queue depth.
    "tasks.view": frozenset({"admin"}),
    # The email outbox: every message with its delivery status; sending a failed one again.
    "outbox.view": frozenset({"admin"}),
    "outbox.retry": frozenset({"admin"}),
    # Role definitions: everyone reads published versions; the CPO and admin edit drafts.
    "roles.list": frozenset({"admin", "cpo", "hr", "interviewer"}),
    "roles.view": EVERYONE,
    "roles.edit": frozenset({"admin", "cpo"}),
    # Weights and interview questions; candidates read the role without them.
    "roles.view_scoring": frozenset({"admin", "cpo", "hr", "interviewer"}),
    # Value streams and candidates
    "streams.view": STAFF,
    "streams.edit": frozenset({"admin", "cpo"}),
    "assessments.list": STAFF,
    "assessments.nominate": CPO,
    "assessment.view": frozenset({"admin", "cpo", "hr", "exec"}),
    "profile.edit": frozenset({"admin", "cpo", "exec"}),
    "self.fill": frozenset({"exec"}),
    "self.reopen": CPO,
    # Interviews and selection
    "interviews.mine": frozenset({"cpo", "interviewer"}),
    "panel.assign": CPO,
    "interview.conduct": frozenset({"cpo", "interviewer"}),
    # Independence: the other members' ratings, notes and the panel's result (object rule).
    "panel.view_input": frozenset({"admin", "cpo", "hr", "interviewer"}),
    "calibration.view": CPO,
    "calibration.note": CPO,
    "score.view": STAFF,
    "shortlist.view": STAFF,
    "decision.record": CPO,
    # Stakeholder feedback (issue 18): the CPO invites and sees who answered, never what; the
    # answer pages are public, opened by the link's token alone. The admin exports a
    # stakeholder's personal data (they have no account).
    "stakeholders.view": CPO,
    "stakeholders.invite": CPO,
    "stakeholders.personal_data": frozenset({"admin"}),
    # Induction and coaching
    "induction.templates": frozenset({"cpo", "hr"}),
    "induction.view": frozenset({"admin", "cpo", "hr", "exec"}),
    "induction.tick": frozenset({"cpo", "hr", "exec"}),
    "progress.overview": STAFF,
    "plan.view": frozenset({"admin", "cpo", "hr", "exec"}),
    "plan.edit": CPO,
    "review.record": CPO,
    "review.view": STAFF,
    # Reports
    "reports.download": STAFF,
    "plan.download": frozenset({"admin", "cpo", "hr", "exec"}),
    # A blank interview guide holds no personnel data; panel members print it for notes.
    "guide.download": frozenset({"admin", "cpo", "hr", "interviewer"}),
    # A bulk export's progress page and ZIP: only the person who started it.
    "export.view": STAFF,
    # Calling off a bulk export: the person who started it, or an admin (from the task page).
    "export.cancel": STAFF,
}


def _own_assessment(user: Any, assessment: Any) -> bool:
    """Execs reach only assessments about themselves; other roles holding the permission, all."""
    return bool(user.role != "exec" or assessment.candidate_id == user.id)


def _role_version_visible(user: Any, version: Any) -> bool:
    """Drafts are for the people who edit roles; published and retired versions are for all."""
    return version.status != "draft" or user.role in PERMISSIONS["roles.edit"]


def _own_interview(user: Any, interview: Any) -> bool:
    """A panel member conducts only their own interview."""
    return bool(interview.interviewer_id == user.id)


def _panel_input_visible(user: Any, assessment: Any) -> bool:
    """Independence: a panel member sees the others' input (and anything built on it, such as
    scores, readiness reports and shortlist rows) only once their own interview is submitted;
    staff who are not on the panel see it all. Interviewers off the panel see nothing."""
    own = next((i for i in assessment.interviews if i.interviewer_id == user.id), None)
    if own is not None:
        return bool(own.status == "submitted")
    return user.role in STAFF


def _plan_visible(user: Any, plan: Any) -> bool:
    """Execs see only their own plans, and only once issued."""
    if user.role != "exec":
        return True
    return bool(plan.assessment.candidate_id == user.id and plan.status != "draft")


def _own_export(user: Any, job: Any) -> bool:
    """A bulk export belongs to the person who started it."""
    return bool(job.user_id == user.id)


def _own_export_or_admin(user: Any, job: Any) -> bool:
    """An admin may stop anyone's export (it takes the worker's time); others only their own."""
    return bool(user.role == "admin" or job.user_id == user.id)


def _own_notification(user: Any, notification: Any) -> bool:
    """A notification is for one person only."""
    return bool(notification.user_id == user.id)


# permission -> rule(user, obj) applied when a view passes an object.
OBJECT_RULES: dict[str, Callable[[Any, Any], bool]] = {
    "assessment.view": _own_assessment,
    "self.fill": _own_assessment,
    "profile.edit": lambda user, profile_user: user.role != "exec" or profile_user.id == user.id,
    "induction.view": _own_assessment,
    "induction.tick": _own_assessment,
    "roles.view": _role_version_visible,
    "interview.conduct": _own_interview,
    "panel.view_input": _panel_input_visible,
    "plan.view": _plan_visible,
    "plan.download": _plan_visible,
    "guide.download": _role_version_visible,
    "export.view": _own_export,
    "export.cancel": _own_export_or_admin,
    "notifications.read": _own_notification,
}


# Permissions that only make sense about one object: asked without it, the answer is no.
OBJECT_REQUIRED: frozenset[str] = frozenset({"panel.view_input"})


def may(user: Any, permission: str, obj: object | None = None) -> bool:
    """Answer whether this user may do this (to this object)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}: add it to app/policy.py")
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role not in PERMISSIONS[permission]:
        return False
    rule = OBJECT_RULES.get(permission)
    if obj is None and permission in OBJECT_REQUIRED:
        return False
    if obj is not None and rule is not None:
        return rule(user, obj)
    return True


def authorize(permission: str, obj: object | None = None) -> None:
    """Abort with 403 unless the current user may do this (to this object)."""
    if not may(current_user, permission, obj):
        abort(403)


def requires(permission: str) -> Callable[[F], F]:
    """Decorate a view: anonymous visitors go to sign in, other roles get 403."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}: add it to app/policy.py")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            authorize(permission)
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a view as open to anyone, signed in or not."""
    view.permission = PUBLIC  # type: ignore[attr-defined]
    return view


def permission_of(view: Callable[..., Any]) -> str | None:
    """The permission a view was registered with, or None when it has none."""
    return getattr(view, "permission", None)
