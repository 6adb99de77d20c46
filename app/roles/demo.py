"""Demo data: the shipped roles (Product Director v1 then v2, Value Stream Product Manager)."""

from __future__ import annotations

from app.demo import ROLE_PUBLISHED_DAYS_AGO, DemoContext, demo_loader, story_time
from app.models import RoleVersion
from app.roles import lifecycle, lookups
from assessments.role_files import load_default_role, load_shipped_role

# The content update came late in the story: after every demo nomination (the latest is five days
# ago), so the story's assessments stay on v1 and the role page shows what v2 changed.
ROLE_V2_DRAFTED_DAYS_AGO = 9
ROLE_V2_PUBLISHED_DAYS_AGO = 3


def _date(version: RoleVersion, created_days_ago: int, published_days_ago: int) -> None:
    version.created_at = story_time(created_days_ago, 11)
    version.published_at = story_time(published_days_ago, 16)


@demo_loader(10)
def load_roles(context: DemoContext) -> None:
    """Publish the shipped Product Director definition once, before anyone was assessed."""
    role = load_default_role()
    if lookups.definition_by_key(role.key) is None:
        version = lifecycle.add_version(role, publish=True, actor=context.people["cpo@example.org"])
        version.definition.created_at = story_time(ROLE_PUBLISHED_DAYS_AGO + 3, 11)
        _date(version, ROLE_PUBLISHED_DAYS_AGO + 3, ROLE_PUBLISHED_DAYS_AGO)


@demo_loader(50)
def load_role_updates(context: DemoContext) -> None:
    """After the story's assessments: Product Director v2 and the Value Stream Product Manager."""
    cpo = context.people["cpo@example.org"]
    director = load_shipped_role("product-director-v2.yaml")
    if lookups.version_by_number(director.key, 2) is None:
        version = lifecycle.add_version(director, publish=True, actor=cpo)
        _date(version, ROLE_V2_DRAFTED_DAYS_AGO, ROLE_V2_PUBLISHED_DAYS_AGO)
    manager = load_shipped_role("value-stream-product-manager.yaml")
    if lookups.definition_by_key(manager.key) is None:
        version = lifecycle.add_version(manager, publish=True, actor=cpo)
        version.definition.created_at = story_time(ROLE_V2_DRAFTED_DAYS_AGO, 11)
        _date(version, ROLE_V2_DRAFTED_DAYS_AGO, ROLE_V2_PUBLISHED_DAYS_AGO)
