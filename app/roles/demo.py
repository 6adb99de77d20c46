"""Demo data: the shipped Product Director role, published as version 1."""

from __future__ import annotations

from app.demo import ROLE_PUBLISHED_DAYS_AGO, DemoContext, demo_loader, story_time
from app.roles import lifecycle, lookups
from assessments.role_files import load_default_role


@demo_loader(10)
def load_roles(context: DemoContext) -> None:
    """Publish the shipped Product Director definition once, before anyone was assessed."""
    role = load_default_role()
    if lookups.definition_by_key(role.key) is None:
        version = lifecycle.add_version(role, publish=True, actor=context.people["cpo@example.org"])
        version.definition.created_at = story_time(ROLE_PUBLISHED_DAYS_AGO + 3, 11)
        version.created_at = story_time(ROLE_PUBLISHED_DAYS_AGO + 3, 11)
        version.published_at = story_time(ROLE_PUBLISHED_DAYS_AGO, 16)
