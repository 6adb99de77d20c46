"""The exec's journey on their home page: self-assessment, interviews, decision, induction,
coaching. Where they are, what comes next, and links to their answers, decision and plan.

The home area sits above the others (none imports it), so it reads their services directly and
keeps the whole journey's wording in one place, spoken to the exec.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from app.candidates import self_assessment
from app.candidates.listing import assessments_of
from app.coaching import standing
from app.induction import services as induction
from app.interviews.panels import panel_of
from app.localtime import format_date
from app.models import Assessment, User
from app.policy import may
from app.templating import short_role_name

# Stage states, in the words the page shows beside each stage.
STATE_LABELS = {
    "done": "Done",
    "current": "Now",
    "waiting": "Waiting for others",
    "upcoming": "Not started",
}


@dataclass(frozen=True)
class Stage:
    """One stage of the journey as the exec sees it."""

    title: str
    state: str  # a key of STATE_LABELS
    status: str  # where it stands, e.g. "Submitted on 12 Aug 2026"
    url: str | None = None
    link: str | None = None  # the link's words, e.g. "View your answers"


@dataclass(frozen=True)
class Journey:
    """One assessment's stages, and the stage the exec is at."""

    assessment: Assessment
    heading: str
    stages: tuple[Stage, ...]

    @property
    def current(self) -> Stage | None:
        """The first stage not done yet (None once every stage is done)."""
        return next((s for s in self.stages if s.state != "done"), None)

    @property
    def current_number(self) -> int:
        """The current stage's position, counting from 1 (one past the end when all done)."""
        current = self.current
        return self.stages.index(current) + 1 if current is not None else len(self.stages) + 1


def _self_stage(assessment: Assessment, user: User) -> Stage:
    state = self_assessment.self_state(assessment)
    if state == "submitted":
        sa = assessment.self_assessment
        when = format_date(sa.submitted_at) if sa is not None else ""
        return Stage(
            "Self-assessment",
            "done",
            f"Submitted on {when}." if when else "Submitted.",
            url_for("candidates.self_check", assessment_id=assessment.id),
            "View your answers",
        )
    if assessment.decision is not None:
        return Stage("Self-assessment", "done", "Not needed any more: a decision is made.")
    done = self_assessment.progress(assessment)
    fill = may(user, "self.fill", assessment)
    if state == "not-started":
        return Stage(
            "Self-assessment",
            "current",
            f"Rate yourself on {done.total} competencies, with an example for each strong one."
            " You can save and come back at any time.",
            url_for("candidates.self_intro", assessment_id=assessment.id) if fill else None,
            "Start your self-assessment",
        )
    blocking = f" {done.blocking_text}." if done.blocking_text else ""
    return Stage(
        "Self-assessment",
        "current",
        f"{done.text}.{blocking} Submit it when every competency is answered.",
        url_for("candidates.self_intro", assessment_id=assessment.id) if fill else None,
        "Continue your self-assessment",
    )


def _interviews_stage(assessment: Assessment) -> Stage:
    panel = panel_of(assessment)
    submitted = sum(1 for i in panel if i.status == "submitted")
    if panel and submitted == len(panel):
        return Stage("Interviews", "done", f"All {len(panel)} interviews are done.")
    if panel:
        return Stage(
            "Interviews",
            "waiting",
            f"{submitted} of {len(panel)} {'interview' if len(panel) == 1 else 'interviews'}"
            " done. Each interviewer rates you independently, before seeing anyone else's view,"
            " yours included.",
        )
    if self_assessment.self_state(assessment) == "submitted" or assessment.decision:
        return Stage(
            "Interviews",
            "waiting" if assessment.decision is None else "done",
            "The Chief Product Officer is arranging your interview panel."
            if assessment.decision is None
            else "No interviews were held.",
        )
    return Stage(
        "Interviews",
        "upcoming",
        "Once you submit your self-assessment, a panel interviews you on the same competencies.",
    )


def _decision_stage(assessment: Assessment) -> Stage:
    decided = format_date(assessment.decided_at)
    where = url_for("candidates.show_assessment", assessment_id=assessment.id) + "#decision"
    match assessment.decision:
        case "selected":
            return Stage("Decision", "done", f"Selected on {decided}.", where, "Read the decision")
        case "not-selected":
            return Stage(
                "Decision", "done", f"Not selected, on {decided}.", where, "Read the decision"
            )
        case "on-hold":
            return Stage(
                "Decision", "waiting", f"On hold since {decided}.", where, "Read the decision"
            )
    panel = panel_of(assessment)
    if panel and all(i.status == "submitted" for i in panel):
        return Stage(
            "Decision", "waiting", "The Chief Product Officer decides next, using every view."
        )
    return Stage(
        "Decision", "upcoming", "After your interviews, the Chief Product Officer decides."
    )


def _induction_stage(assessment: Assessment, user: User) -> Stage:
    checklist = assessment.checklist
    if checklist is None:
        return Stage("Induction", "upcoming", "Your induction checklist is being prepared.")
    summary = induction.summarise(checklist)
    url = (
        url_for("induction.show_checklist", assessment_id=assessment.id)
        if may(user, "induction.view", assessment)
        else None
    )
    if summary.total and summary.done == summary.total:
        return Stage("Induction", "done", f"All {summary.total} items done.", url, "Your checklist")
    return Stage(
        "Induction",
        "current",
        f"{summary.text}. Tick each item when it is done, with a note or evidence.",
        url,
        "Your induction checklist",
    )


def _coaching_stage(assessment: Assessment, user: User) -> Stage:
    state = standing.plan_state(assessment)
    issued = state.issued
    if issued is None or not may(user, "plan.view", issued):
        return Stage(
            "Coaching",
            "upcoming",
            "Your coaching plan is being prepared from the panel's view; you can read it once"
            " it is issued.",
        )
    url = url_for("coaching.show_plan", assessment_id=assessment.id)
    if state.exited:
        return Stage("Coaching", "done", "Your coaching plan has closed.", url, "Your plan")
    after = state.next_checkpoint
    review = ""
    if after is not None and after.overdue:
        review = (
            f" Your day {after.day} review was due on {format_date(after.due_on)}: the Chief"
            " Product Officer will arrange it with you."
        )
    elif after is not None:
        review = f" Next review: day {after.day}, on {format_date(after.due_on)}."
    return Stage(
        "Coaching", "current", f"Plan v{issued.number} in force.{review}", url, "Your coaching plan"
    )


def journey_of(assessment: Assessment, user: User) -> Journey:
    """The stages of one assessment; induction and coaching only once selected."""
    stages = [
        _self_stage(assessment, user),
        _interviews_stage(assessment),
        _decision_stage(assessment),
    ]
    if assessment.decision == "selected":
        stages += [_induction_stage(assessment, user), _coaching_stage(assessment, user)]
    elif assessment.decision is None:
        stages += [
            Stage("Induction", "upcoming", "If you are selected: your first weeks, item by item."),
            Stage("Coaching", "upcoming", "If you are selected: a plan to close the gaps."),
        ]
    where = assessment.value_stream.name if assessment.value_stream else None
    role = short_role_name(assessment.role_version.definition.name)
    heading = f"{role} for {where}" if where else role
    return Journey(assessment, heading, tuple(stages))


def journeys(user: User) -> list[Journey]:
    """The exec's journey for each of their assessments, newest first."""
    if user.role != "exec":
        return []
    return [journey_of(a, user) for a in assessments_of(user)]
