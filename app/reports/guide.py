"""The blank interview guide of a role version."""

from __future__ import annotations

from typing import Any

from app.models import RoleVersion
from app.policy import may
from app.reports.documents import Document, HeldBack, _document, slug

# --- interview guide -------------------------------------------------------------------------


def interview_guide_document(version: RoleVersion, viewer: Any) -> Document:
    """A blank interview guide for one role version, for notes on paper; raises HeldBack
    when the viewer may not see the version (a draft, for most roles)."""
    if not may(viewer, "guide.download", version):
        raise HeldBack(f"guide:{version.id}")
    role = version.role
    title = f"Interview guide: {version.label}"
    return _document(
        "interview-guide",
        "pdf/interview_guide.html",
        {"version": version, "role": role},
        title=title,
        description=f"Questions, rubric and note space for {version.label}",
        document_name=f"Interview guide · {version.label}",
        as_of=version.updated_at,
        ref=f"guide:{version.id}",
        draft=version.status == "draft",
        filename=f"interview-guide-{slug(version.definition.key)}-v{version.number}.pdf",
        audience="panel",
    )
