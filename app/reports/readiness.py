"""The readiness report of a scored assessment, built for its viewer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.candidates.profiles import coverage, needed_functions
from app.extensions import db
from app.models import HATS, Assessment, ExecProfile
from app.models.interviews import RECOMMENDATIONS
from app.models.people import DECISIONS
from app.reports.documents import (
    DASH,
    Document,
    HeldBack,
    _document,
    chart_for_pdf,
    data_as_of,
    may_read_readiness,
    slug,
)
from app.scores import evidence_for, score_for
from app.stakeholder_feedback import shown, submitted_as_of
from assessments.experience import FunctionCoverage
from assessments.model import group_by_lens

# --- readiness report ------------------------------------------------------------------------


def experience_rows(assessment: Assessment, profile: ExecProfile | None) -> list[FunctionCoverage]:
    """The stream's functions (the role's when the stream names none) against the profile."""
    return coverage(needed_functions(assessment), profile).rows


def _panel_rows(assessment: Assessment) -> list[dict[str, Any]]:
    rows = []
    for interview in sorted(assessment.interviews, key=lambda i: (i.submitted_at is None, i.id)):
        rows.append(
            {
                "interviewer": interview.interviewer.name,
                "status": "Submitted" if interview.status == "submitted" else "Not submitted",
                "submitted": interview.submitted_at.date() if interview.submitted_at else None,
                "recommendation": RECOMMENDATIONS.get(interview.recommendation or "", DASH),
                "strengths": interview.strengths if interview.status == "submitted" else "",
                "weaknesses": interview.weaknesses if interview.status == "submitted" else "",
            }
        )
    return rows


def evidence_as_of(assessment: Assessment, profile: ExecProfile | None) -> datetime | None:
    """The last change to an assessment's evidence and setting: the assessment (decision,
    stream), its panel (a seat assigned, an interview submitted), the submitted or reopened
    self-assessment, the profile, the stream and the role version. A draft's edits show
    nowhere, so they do not count. (The shortlist shows no more than this.)"""
    own = assessment.self_assessment
    panel = assessment.interviews
    return data_as_of(
        assessment.updated_at,
        (i.submitted_at if i.status == "submitted" else i.assigned_at for i in panel),
        (own.submitted_at if own.status == "submitted" else own.reopened_at) if own else None,
        profile.updated_at if profile else None,
        assessment.value_stream.updated_at if assessment.value_stream else None,
        assessment.role_version.updated_at,
    )


def readiness_as_of(assessment: Assessment, profile: ExecProfile | None) -> datetime | None:
    """The last change to what the readiness report shows: the evidence, and the latest
    stakeholder response."""
    return data_as_of(evidence_as_of(assessment, profile), submitted_as_of(assessment))


def readiness_context(assessment: Assessment, profile: ExecProfile | None) -> dict[str, Any]:
    """What the readiness report shows, from one loaded assessment."""
    result, stakeholders = shown(assessment, score_for(assessment))
    version = assessment.role_version
    # The score carries every competency's name; parsing the role again would cost as much.
    competencies = {c.key: c for c in result.competencies}
    must_haves = [c for c in result.competencies if c.must_have]
    stream = assessment.value_stream
    candidate = assessment.candidate
    return {
        "assessment": assessment,
        "candidate": candidate,
        "profile": profile,
        "stream": stream,
        "version": version,
        "result": result,
        "competencies": competencies,
        "by_lens": dict(group_by_lens(result.competencies, lambda score: score.lens)),
        "must_haves": must_haves,
        "strengths": result.strengths(),
        "weaknesses": result.weaknesses(),
        "stakeholders": stakeholders,
        "chart": chart_for_pdf(
            result,
            f"{candidate.name}: self, panel, stakeholders and required levels"
            if stakeholders is not None and not stakeholders.open
            else f"{candidate.name}: self, panel and required levels",
            stakeholders.series if stakeholders is not None and not stakeholders.open else None,
        ),
        "experience": experience_rows(assessment, profile),
        "missing_hats": [HATS[h] for h in stream.missing_hats] if stream else [],
        "hats": HATS,
        "panel": _panel_rows(assessment),
        "decision": DECISIONS.get(assessment.decision or ""),
        "status_label": assessment.status_label,
        "evidence": evidence_for(assessment),
    }


def readiness_document(
    assessment: Assessment,
    viewer: Any,
    profile: ExecProfile | None = None,
) -> Document:
    """The readiness report of one assessment; raises HeldBack for a viewer who may not read
    the panel's input (it is all about that input, so there is no version without it)."""
    if not may_read_readiness(viewer, assessment):
        raise HeldBack(f"readiness:{assessment.id}")
    if profile is None:
        profile = db.session.get(ExecProfile, assessment.candidate_id)
    context = readiness_context(assessment, profile)
    name = assessment.candidate.name
    version = assessment.role_version
    title = f"Readiness report: {name}, {version.label}"
    return _document(
        "readiness",
        "pdf/readiness.html",
        context,
        title=title,
        description=f"Readiness of {name} for {version.label}",
        document_name=f"Readiness report · {name}",
        as_of=readiness_as_of(assessment, profile),
        ref=f"readiness:{assessment.id}",
        filename=f"readiness-report-{slug(name)}-{slug(version.definition.key)}-v{version.number}.pdf",
    )
