"""What the stakeholders area adds to the candidates area's assessment page."""

from __future__ import annotations

from app import policy
from app.models import Assessment, User
from app.models.base import utcnow
from app.sections import AssessmentSection, assessment_section
from app.stakeholders import invitations


@assessment_section(35)
def stakeholders_section(assessment: Assessment, viewer: User) -> AssessmentSection | None:
    """Who has been asked and how many answered, for the CPO; nobody else sees invitations."""
    if not policy.may(viewer, "stakeholders.view"):
        return None
    now = utcnow()
    statuses = [invitations.status_of(i, now) for i in invitations.invitations_of(assessment)]
    return AssessmentSection(
        "Stakeholder feedback",
        "stakeholders/_on_assessment.html",
        {
            "invited": sum(1 for s in statuses if s != "withdrawn"),
            "answered": statuses.count("answered"),
            "expired": statuses.count("expired"),
            "may_invite": policy.may(viewer, "stakeholders.invite"),
        },
        anchor="stakeholders",
    )
