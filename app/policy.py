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

# permission -> roles that hold it. Object rules below narrow some of them further.
PERMISSIONS: dict[str, frozenset[str]] = {
    "home.view": EVERYONE,
    "account.change_password": EVERYONE,
    "users.manage": frozenset({"admin"}),
}

# permission -> rule(user, obj) applied when a view passes an object.
OBJECT_RULES: dict[str, Callable[[Any, Any], bool]] = {}


def may(user: Any, permission: str, obj: object | None = None) -> bool:
    """Answer whether this user may do this (to this object)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}: add it to app/policy.py")
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role not in PERMISSIONS[permission]:
        return False
    rule = OBJECT_RULES.get(permission)
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
