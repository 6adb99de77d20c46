"""Demo data: the shipped Product Director role, published as version 1."""

from __future__ import annotations

from app.demo import DemoContext, demo_loader
from app.roles import lifecycle, lookups
from assessments.role_files import load_default_role


@demo_loader(10)
def load_roles(context: DemoContext) -> None:
    """Publish the shipped Product Director definition once."""
    role = load_default_role()
    if lookups.definition_by_key(role.key) is None:
        lifecycle.add_version(role, publish=True, actor=context.people["cpo@example.org"])
