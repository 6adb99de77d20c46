"""Induction checklists, coaching plans and progress reviews."""

from __future__ import annotations

from datetime import date

from app.models import Assessment, User


def start_after_selection(assessment: Assessment, start_date: date, actor: User | None) -> None:
    """Create the exec's induction checklist and a draft coaching plan once they are selected.

    Interface agreed between areas; the coaching area implements it.
    """
