"""The roles area's next steps on the home page (registered on import)."""

from __future__ import annotations

from sqlalchemy import Executable, exists, select
from sqlalchemy.orm import aliased

from app import statements
from app.models import RoleDefinition, RoleVersion, User
from app.roles.content import missing_parts
from app.statements import prebuilt
from app.steps import NextStep, provides_steps

# ---------------------------------------------------------------------------
# Home page


@prebuilt
def _roles_with_drafts() -> Executable:
    """Plain rows, one per role with its draft if any (there is at most one) and whether it has
    a published version."""
    published = aliased(RoleVersion)
    draft = aliased(RoleVersion)
    return (
        select(
            RoleDefinition.key,
            RoleDefinition.name,
            draft.number,
            draft.content,
            exists().where(
                published.definition_id == RoleDefinition.id, published.status == "published"
            ),
        )
        .outerjoin(draft, (draft.definition_id == RoleDefinition.id) & (draft.status == "draft"))
        .order_by(RoleDefinition.name)
    )


@provides_steps("cpo", "admin")
def _role_steps(user: User) -> list[NextStep]:
    from flask import url_for

    rows = statements.rows(_roles_with_drafts())
    if not rows:
        return [
            NextStep(
                "Define the Product Director role",
                "Every interview, self-assessment and coaching plan is measured against it. "
                "Start one here, or ask an administrator to import the shipped definition.",
                url_for("roles.new_role"),
                urgent=True,
                permission="roles.edit",
            )
        ]
    steps = []
    for key, name, draft_number, draft_content, has_published in rows:
        if draft_number is not None:
            todo = missing_parts(draft_content)
            detail = (
                f"Still to do: {'; '.join(todo).lower()}."
                if todo
                else "Check it, preview it as candidates will see it, then publish it."
            )
            steps.append(
                NextStep(
                    f"Role draft v{draft_number} of {name} awaiting publication",
                    detail,
                    url_for("roles.show_version", key=key, number=draft_number),
                    permission="roles.edit",
                )
            )
        elif not has_published:
            steps.append(
                NextStep(
                    f"{name} has no published version",
                    "New assessments cannot start on this role until a version is published.",
                    url_for("roles.list_roles"),
                    urgent=True,
                    permission="roles.edit",
                )
            )
    return steps
