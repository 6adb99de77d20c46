"""What the interviews area adds to the candidates area's assessment page."""

from __future__ import annotations

from app import policy
from app.interviews.panels import own_interview, panel_of
from app.models import RECOMMENDATIONS, Assessment, User
from app.sections import AssessmentSection, assessment_section


@assessment_section(30)
def interviews_section(assessment: Assessment, viewer: User) -> AssessmentSection | None:
    """The panel and where each interview stands; execs see nothing of the interviews."""
    if viewer.role == "exec":
        return None
    return AssessmentSection(
        "Interviews",
        "interviews/_on_assessment.html",
        {
            "panel": panel_of(assessment),
            "own": own_interview(viewer, assessment),
            "may_assign": policy.may(viewer, "panel.assign"),
            "may_calibrate": policy.may(viewer, "calibration.view"),
            "recommendations": RECOMMENDATIONS,
        },
    )
