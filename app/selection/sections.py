"""What the selection area adds to the candidates area's assessment page."""

from __future__ import annotations

from app import policy
from app.models import DECISIONS, Assessment, User
from app.scores import evidence_for, score_for
from app.sections import AssessmentSection, assessment_section
from app.stakeholder_feedback import shown

# Decisions after which the exec reads what their stakeholders said; "on hold" is not one.
FINAL_DECISIONS = frozenset({"selected", "not-selected"})


@assessment_section(40)
def score_section(assessment: Assessment, viewer: User) -> AssessmentSection | None:
    """Band and readiness for staff, with a link to the full results; independence holds."""
    if not policy.may(viewer, "score.view"):
        return None
    visible = policy.may(viewer, "panel.view_input", assessment)
    return AssessmentSection(
        "Score",
        "selection/_score_on_assessment.html",
        {
            "result": score_for(assessment) if visible else None,
            "evidence": evidence_for(assessment),
        },
    )


@assessment_section(50)
def decision_section(assessment: Assessment, viewer: User) -> AssessmentSection | None:
    """The decision with its rationale, who and when, for staff; for the exec it is about, the
    outcome and what follows once there is one (the rationale is written for the panel)."""
    if policy.may(viewer, "score.view"):
        return AssessmentSection(
            "Decision",
            "selection/_decision_on_assessment.html",
            {"decisions": DECISIONS, "may_decide": policy.may(viewer, "decision.record")},
            anchor="decision",
        )
    if assessment.decision is None or not policy.may(viewer, "assessment.view", assessment):
        return None
    return AssessmentSection(
        "Decision",
        "selection/_decision_for_exec.html",
        {
            "decisions": DECISIONS,
            "induction": assessment.checklist is not None
            and policy.may(viewer, "induction.view", assessment),
            "plan": any(policy.may(viewer, "plan.view", p) for p in assessment.plans),
        },
        anchor="decision",
    )


@assessment_section(55)
def stakeholder_section(assessment: Assessment, viewer: User) -> AssessmentSection | None:
    """For the exec it is about, once the decision is made: their stakeholders' aggregated view
    beside their own, under the same anonymity rules as the staff pages (no panel figures)."""
    if (
        viewer.role != "exec"
        or assessment.candidate_id != viewer.id
        or assessment.decision not in FINAL_DECISIONS
        or not policy.may(viewer, "assessment.view", assessment)
    ):
        return None
    result, view = shown(assessment, score_for(assessment))
    if view is None:
        return None
    return AssessmentSection(
        "What your stakeholders said",
        "selection/_stakeholders_for_exec.html",
        {"result": result, "view": view},
        anchor="stakeholder-feedback",
    )
