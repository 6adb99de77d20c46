"""The admin's next steps for the home page."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.steps import NextStep, provides_steps


@provides_steps("admin")
def _admin_steps(user: User) -> list[NextStep]:
    from flask import url_for

    pending = db.session.scalar(
        select(func.count()).select_from(User).where(User.password_hash.is_(None), User.active)
    )
    steps = []
    if pending:
        people = "person has" if pending == 1 else "people have"
        steps.append(
            NextStep(
                f"{pending} invited {people} not set a password",
                "Check they received their invite link, or issue a new one from their account.",
                url_for("admin.list_users", status="invited"),
                permission="users.manage",
            )
        )
    steps.append(
        NextStep(
            "Manage accounts",
            "Invite people, change roles, reset passwords and deactivate leavers.",
            url_for("admin.list_users"),
            permission="users.manage",
        )
    )
    return steps
