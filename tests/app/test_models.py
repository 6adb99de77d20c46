"""The models declare their relationships on both sides."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Parent attribute -> the child's attribute that points back.
BOTH_SIDES = [
    ("Assessment", "interviews", "assessment"),
    ("Assessment", "checklist", "assessment"),
    ("Assessment", "plans", "assessment"),
    ("CoachingPlan", "reviews", "plan"),
]


@pytest.mark.parametrize(("model", "attribute", "back"), BOTH_SIDES)
def test_parent_declares_the_relationship_before_mappers_are_configured(
    model: str, attribute: str, back: str
) -> None:
    """A fresh interpreter sees the attribute at import, so no caller needs configure_mappers()."""
    code = (
        "import app.models as m\n"
        f"attr = getattr(m.{model}, {attribute!r})\n"
        f"assert attr.property.back_populates == {back!r}, attr.property.back_populates\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
