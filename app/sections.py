"""The section registry: blocks areas add to the assessment page, without importing each other.

A low floor: it knows the models, never an area. Each area registers its providers here and
the candidates area asks for them when it renders the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.models import Assessment, User


@dataclass(frozen=True)
class AssessmentSection:
    """A block another area shows on the assessment page: a template and its context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # The section's id on the page, for links to it (e.g. "decision").
    anchor: str | None = None


SectionProvider = Callable[[Assessment, User], "AssessmentSection | None"]
_SECTIONS: list[tuple[int, SectionProvider]] = []


def assessment_section(order: int) -> Callable[[SectionProvider], SectionProvider]:
    """Register a function (assessment, viewer) -> AssessmentSection | None for the page.

    Interviews use 30, scores 40, the decision 50, induction and coaching 60. The provider
    does its own permission check (return None to show nothing) and loads what it needs.
    """

    def decorator(fn: SectionProvider) -> SectionProvider:
        _SECTIONS.append((order, fn))
        return fn

    return decorator


def assessment_sections(assessment: Assessment, viewer: User) -> list[AssessmentSection]:
    """The sections other areas add for this viewer, in order."""
    sections = []
    for _order, provider in sorted(_SECTIONS, key=lambda item: item[0]):
        section = provider(assessment, viewer)
        if section is not None:
            sections.append(section)
    return sections
