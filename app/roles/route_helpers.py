"""What the roles area's route modules share: loading a version, the page context, redirects."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app import saved_input
from app.models import RoleVersion, User
from app.policy import authorize
from app.roles import lookups
from assessments.model import LENS_LABELS, LEVELS, RATING_SCALE

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


def _to_version(version: RoleVersion, anchor: str | None = None) -> ResponseReturnValue:
    url = url_for("roles.show_version", key=version.definition.key, number=version.number)
    return redirect(f"{url}#{anchor}" if anchor else url)
