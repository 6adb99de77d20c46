"""URL arguments for the roles area: the demo's published Product Director v1.

Everyone may read a published version, so the same sample serves every role; pages that
change a draft answer 409 on a published version, which the route walk accepts.
"""

from __future__ import annotations

from typing import Any

from app.models import User

ROLE = {"key": "product-director", "number": 1}
COMPETENCY = {**ROLE, "ckey": "value-and-pnl"}


def _role(user: User | None) -> dict[str, Any]:
    return dict(ROLE)


def _competency(user: User | None) -> dict[str, Any]:
    return dict(COMPETENCY)


SAMPLES = {
    "roles.show_version": _role,
    "roles.preview_version": _role,
    "roles.download_version": _role,
    "roles.start_draft": _role,
    "roles.edit_role_fields": _role,
    "roles.add_competency": _role,
    "roles.edit_competency": _competency,
    "roles.remove_competency": _competency,
    "roles.move_competency": _competency,
    "roles.edit_question": lambda user: {**COMPETENCY, "qnum": 1},
    "roles.publish_version": _role,
    "roles.retire_version": _role,
    "roles.discard_draft": _role,
    "roles.compare_versions": lambda user: {"key": "product-director", "from": 1, "to": 1},
}
