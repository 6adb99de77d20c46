"""What happens tells people: the messages sent when an exec submits, a panel completes, the CPO
decides, a coaching plan is issued or a checkpoint review raises a fail-fast warning.

The areas call these from their services, inside the change's transaction, so a message exists
exactly when the change is committed. Each asks the policy about its recipient (`permission`,
`obj`), never names a score, a note or a rationale, and links to the page instead. Nobody is told
about what they did themselves. Keys (see docs/decisions.md, issue 17):
- `dedupe_key` names one occurrence of the event, so it is never told twice;
- `done_key` names the thing to do, so the notification leaves "unread" once it is done.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import Assessment, CoachingPlan, ProgressReview, User
from app.notifications import mark_done, notify
from app.notifications.emails import app_path

# Every use starts a sentence.
CPO_TITLE = "The Chief Product Officer"


# --- Recipients and links -------------------------------------------------------------------


def _people(role: str) -> list[User]:
    """Active people with this role, oldest account first."""
    return list(
        db.session.scalars(select(User).where(User.role == role, User.active).order_by(User.id))
    )


def _others(people: Iterable[User], actor: User | None) -> list[User]:
    """Everyone but the person who made the change: they know, and the page told them."""
    return [p for p in people if actor is None or p.id != actor.id]


def _where(assessment: Assessment) -> str:
    """The value stream, or the role when the assessment has no stream yet."""
    if assessment.value_stream is not None:
        return str(assessment.value_stream.name)
    return str(assessment.role_version.label)


def _name(user: User | None) -> str:
    """A person's name, or the CPO's title when the change came from no one (CLI, import)."""
    return user.name if user is not None else CPO_TITLE


# --- Self-assessment submitted --------------------------------------------------------------


def _panel_key(assessment: Assessment) -> str:
    return f"assessment:{assessment.id}:arrange-panel"


def self_submitted(assessment: Assessment, actor: User | None) -> None:
    """To the CPO(s): the exec's self-assessment is in; read it, then arrange the panel."""
    sa = assessment.self_assessment
    if sa is None or sa.status != "submitted" or sa.submitted_at is None:
        return
    again = sa.reopened_at is not None
    candidate = assessment.candidate
    has_panel = bool(assessment.interviews)
    title = (
        f"{candidate.name} resubmitted their self-assessment"
        if again
        else f"{candidate.name} submitted their self-assessment"
    )
    for cpo in _others(_people("cpo"), actor):
        notify(
            cpo,
            "self.submitted",
            title=title,
            link=app_path("candidates.show_assessment", assessment_id=assessment.id),
            template="self_submitted",
            context={
                "candidate_name": candidate.name,
                "where": _where(assessment),
                "again": again,
                "has_panel": has_panel,
            },
            permission="assessment.view",
            obj=assessment,
            # Arranging the panel is the next thing to do, unless it is already arranged.
            done_key=None if has_panel else _panel_key(assessment),
            # One message per submission: a reopened and resubmitted one is news again.
            dedupe_key=f"self.submitted:{assessment.id}:{sa.submitted_at.isoformat()}",
        )


def panel_assigned(assessment: Assessment) -> None:
    """The panel is arranged: "self-assessment submitted" has nothing left to ask."""
    if assessment.interviews:
        mark_done(_panel_key(assessment))


# --- All interviews submitted ---------------------------------------------------------------


def _calibrate_key(assessment: Assessment) -> str:
    return f"assessment:{assessment.id}:calibrate"


def panel_check(assessment: Assessment, actor: User | None) -> None:
    """To the CPO(s), once every interview on the panel is submitted: ready for calibration.

    Called when an interview is submitted and when drafts leave the panel. One message per
    completion: the key is the set of submitted interviews, so a reopened and resubmitted
    interview completes the same panel again (nothing sent), while a member added later and
    submitted makes a new completion (sent: there is new input to calibrate).
    """
    interviews = list(assessment.interviews)
    if not interviews or any(i.status != "submitted" for i in interviews):
        return
    ids = "-".join(str(i.id) for i in sorted(interviews, key=lambda i: i.id))
    candidate = assessment.candidate
    count = len(interviews)
    for cpo in _others(_people("cpo"), actor):
        notify(
            cpo,
            "panel.complete",
            title=f"All interviews of {candidate.name} submitted: ready for calibration",
            link=app_path("interviews.calibrate", assessment_id=assessment.id),
            template="panel_complete",
            context={
                "candidate_name": candidate.name,
                "where": _where(assessment),
                "count": count,
            },
            # The calibration page shows the panel's input: ask the independence rule too.
            permission="panel.view_input",
            obj=assessment,
            done_key=_calibrate_key(assessment),
            dedupe_key=f"panel.complete:{assessment.id}:{ids}"[:200],
        )


# --- The CPO's decision ---------------------------------------------------------------------


DECISION_TITLES = {
    "selected": "Congratulations: you have been selected for {where}",
    "not-selected": "An update on your assessment for {where}",
    "on-hold": "An update on your assessment for {where}",
}


def decision_made(
    assessment: Assessment, previous: str | None, start_date: date | None, actor: User | None
) -> None:
    """To the exec, when the decision is recorded or changed: kind words, never the rationale.

    Saving the same decision again (a corrected rationale) tells nobody anything new.
    """
    decision = assessment.decision
    # Deciding ends the CPO's calibration and panel steps, whatever else happens.
    mark_done(_calibrate_key(assessment))
    mark_done(_panel_key(assessment))
    if decision is None or decision == previous or assessment.decided_at is None:
        return
    candidate = assessment.candidate
    where = _where(assessment)
    notify(
        candidate,
        "decision.made",
        title=DECISION_TITLES[decision].format(where=where),
        link=app_path("candidates.show_assessment", assessment_id=assessment.id),
        template="decision_made",
        context={
            "decision": decision,
            "where": where,
            "role": assessment.role_version.role.name,
            "decider": _name(actor or assessment.decided_by),
            "start_date": localtime.format_date(start_date, long=True) if start_date else "",
            "changed": previous is not None,
        },
        permission="assessment.view",
        obj=assessment,
        dedupe_key=(
            f"decision.made:{assessment.id}:{decision}:{assessment.decided_at.isoformat()}"
        ),
    )


# --- Coaching plan issued -------------------------------------------------------------------


def plan_issued(plan: CoachingPlan, actor: User | None) -> None:
    """To the exec (their own plan view) and HR (the version issued)."""
    assessment = plan.assessment
    candidate = assessment.candidate
    where = _where(assessment)
    days = [str(d) for d in sorted(int(c["day"]) for c in plan.content.get("checkpoints", []))]
    # "30, 90 and 180"
    checkpoints = " and ".join([", ".join(days[:-1]), days[-1]] if len(days) > 1 else days)
    context = {
        "candidate_name": candidate.name,
        "where": where,
        "number": plan.number,
        "issuer": _name(actor or plan.issued_by),
        "checkpoints": checkpoints,
    }
    updated = plan.number > 1
    own_title = "Your coaching plan has been updated" if updated else "Your coaching plan is ready"
    hr_title = f"Coaching plan v{plan.number} issued for {candidate.name}"
    # The exec reads their own plan view (the version in force); HR the version issued.
    own_link = app_path("coaching.show_plan", assessment_id=assessment.id)
    hr_link = app_path(
        "coaching.show_plan_version", assessment_id=assessment.id, number=plan.number
    )
    recipients = [(candidate, own_title, own_link)]
    recipients += [(hr, hr_title, hr_link) for hr in _people("hr")]
    for user, title, link in recipients:
        if actor is not None and user.id == actor.id:
            continue
        notify(
            user,
            "plan.issued",
            title=title,
            link=link,
            template="plan_issued",
            context={**context, "own": user.id == candidate.id, "updated": updated},
            permission="plan.view",
            obj=plan,
            dedupe_key=f"plan.issued:{plan.id}",
        )


# --- Fail-fast warning ----------------------------------------------------------------------


def _decide_key(review: ProgressReview) -> str:
    return f"review:{review.id}:decide"


def review_recorded(review: ProgressReview, actor: User | None) -> None:
    """To the CPO(s) and HR when a checkpoint review raises a fail-fast warning (never the exec,
    whom the decision-maker tells in person)."""
    if not review.fail_fast:
        return
    assessment = review.plan.assessment
    candidate = assessment.candidate
    decider = (review.plan.content.get("decider") or {}).get("name") or CPO_TITLE
    for user in _others([*_people("cpo"), *_people("hr")], actor):
        notify(
            user,
            "review.failfast",
            title=f"Fail-fast warning: day {review.checkpoint_day} review of {candidate.name}",
            link=app_path("coaching.show_review", assessment_id=assessment.id, review_id=review.id),
            template="review_failfast",
            context={
                "candidate_name": candidate.name,
                "where": _where(assessment),
                "day": review.checkpoint_day,
                "held_on": localtime.format_date(review.held_on, long=True),
                "decider": decider,
                "decides": user.name.strip().casefold() == decider.strip().casefold(),
                "hr": user.role == "hr",
            },
            permission="review.view",
            obj=review,
            done_key=_decide_key(review),
            dedupe_key=f"review.failfast:{review.id}",
        )


def review_decided(review: ProgressReview) -> None:
    """The decision on a review is recorded: its fail-fast warning asks nothing more of anyone."""
    mark_done(_decide_key(review))
