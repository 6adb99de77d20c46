"""Demo data: the shipped Product Director induction template."""

from __future__ import annotations

from app.demo import DemoContext, demo_loader
from app.induction import services


@demo_loader(40)
def load_induction_template(context: DemoContext) -> None:
    """Store the Product Director induction template once (HR and the CPO can then edit it)."""
    services.ensure_default_template(context.people["hr@example.org"])
