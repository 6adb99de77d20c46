"""URL arguments for the foundation's routes (see tests/app/test_route_policy.py)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import User


def _someone_else(user: User | None) -> dict[str, object]:
    other = db.session.scalar(select(User).where(User.email == "exec4@example.org"))
    assert other is not None
    return {"user_id": other.id}


SAMPLES = {
    "static": lambda user: {"filename": "css/streamlead.css"},
    "admin.show_user": _someone_else,
    "admin.change_role": _someone_else,
    "admin.toggle_active": _someone_else,
    "admin.reset_link": _someone_else,
    "admin.end_sessions": _someone_else,
    "auth.set_password": lambda user: {"token": "no-such-token"},
    "admin.export_person": _someone_else,
    "admin.remove_person": lambda user: {**_someone_else(user), "action": "anonymise"},
}
