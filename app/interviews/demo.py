"""Demo data: panels, interviews and calibration notes for the demo candidates.

Runs after the candidates area (order 20) has created the assessments; a candidate whose
assessment is missing is skipped. Each step runs only when its records are not there yet.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.demo import DemoContext, demo_loader, story_time
from app.extensions import db
from app.interviews import calibration, kit, panels
from app.interviews.demo_ratings import DAVID, SARAH
from app.models import Assessment, CalibrationNote, User
from app.models.loaders import results_options

CPO = "cpo@example.org"
TOM = "interviewer1@example.org"
MEI = "interviewer2@example.org"
PANEL = (CPO, TOM, MEI)

OVERALL = {
    "exec1@example.org": (
        (
            "Customer evidence, prioritisation in the open, and leading specialists.",
            "P&L on the revenue side; delivery measures are new to her.",
            "yes",
        ),
        (
            "Discovery habits already in her team; calm under stakeholder pressure.",
            "Has shaped process changes rather than software releases.",
            "yes",
        ),
        (
            "Tests changes with customers before launch and shows trade-offs to the executives.",
            "Needs to learn engineering delivery measures and write the strategy down.",
            "strong-yes",
        ),
    ),
    "exec2@example.org": (
        (
            "Command of the P&L and of data; credible with the executive team.",
            "Has never led a multi-disciplinary team; plans as fixed-scope projects.",
            "yes",
        ),
        (
            "Financial rigour and strong analysis.",
            "Pushes work down to teams; little customer contact; big-bang delivery.",
            "no",
        ),
        (
            "Explains the P&L without notes and holds releases until controls pass.",
            "Leading specialists and discovery would both start from scratch.",
            "no",
        ),
    ),
}

CALIBRATION = {
    "exec1@example.org": [
        (
            "iterative-delivery",
            "Flagged: 3, 1 and 3. Tom and Mei read out their evidence first and I gave mine"
            " last. We re-read levels 1 to 3 against the notes rather than averaging. The"
            " complaints-form release (she chose one region and changed the second release from"
            " what the first showed) matches level 3 in full. Tom's notes show what his"
            " questions did not reach, not evidence against it; he agreed. The evidence matches"
            " level 3; the submitted ratings stay as recorded. Induction pairs her with an"
            " engineer early so she shapes a software slice herself.",
        ),
    ],
    "exec2@example.org": [
        (
            "multidisciplinary-leadership",
            "All three ratings are 1. Re-read against the levels: he can say what each"
            " discipline does (level 1), but none of us heard an example of including"
            " designers, engineers or researchers in a decision (level 2). The evidence matches"
            " level 1. This is the main risk in selecting David: coaching starts here, and the"
            " 90-day review tests it first.",
        ),
    ],
}

# exec3's draft, started by Tom: two competencies rated so far.
LAURA_DRAFT = {
    "customer-evidence": (
        "3",
        "Commissioned a diary study of 20 new customers and rebuilt the welcome emails around"
        " it; early drop-out fell by a fifth.",
    ),
    "continuous-prioritisation": ("", "Ask about the Q3 roadmap clash with marketing."),
}


def latest_assessment(email: str) -> Assessment | None:
    """The exec's newest assessment with its panel, or None when the demo has none."""
    return db.session.scalar(
        select(Assessment)
        .join(User, Assessment.candidate_id == User.id)
        .where(User.email == email)
        .options(*results_options())
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def _interviewed(
    context: DemoContext,
    email: str,
    ratings: dict[str, tuple[tuple[int | None, str], ...]],
    days_ago: int,
) -> Assessment | None:
    assessment = latest_assessment(email)
    if assessment is None or assessment.interviews:
        return assessment
    cpo = context.people[CPO]
    members = [context.people[m] for m in PANEL]
    panels.assign_panel(assessment, [m.id for m in members], cpo)
    keys = {c.key for c in assessment.role_version.role.competencies}
    for position, member in enumerate(members):
        interview = next(i for i in assessment.interviews if i.interviewer_id == member.id)
        strengths, weaknesses, recommendation = OVERALL[email][position]
        sent = {}
        for key in keys:
            level, notes = ratings[key][position] if key in ratings else (None, "")
            sent[key] = ("na" if level is None else str(level), notes)
        kit.save_interview(
            interview,
            sent,
            strengths=strengths,
            weaknesses=weaknesses,
            recommendation=recommendation,
            submit=True,
            actor=member,
        )
        interview.assigned_at = story_time(days_ago + 14, 9, 15)
        interview.submitted_at = story_time(days_ago - position, 16, 10 + 5 * position)
        interview.updated_at = interview.submitted_at
    return assessment


def _calibrate(context: DemoContext, email: str, assessment: Assessment) -> None:
    exists = db.session.scalar(
        select(CalibrationNote.id).where(CalibrationNote.assessment_id == assessment.id).limit(1)
    )
    if exists is not None:
        return
    for key, text in CALIBRATION[email]:
        note = calibration.add_calibration_note(assessment, key, text, context.people[CPO])
        submitted = [i.submitted_at for i in assessment.interviews if i.submitted_at is not None]
        note.created_at = max(submitted) + timedelta(days=1)


@demo_loader(30)
def load_interviews(context: DemoContext) -> None:
    """Panels for exec1 and exec2, and a draft interview of exec3 for Tom."""
    for email, ratings, days_ago in (
        ("exec1@example.org", SARAH, 112),
        ("exec2@example.org", DAVID, 106),
    ):
        assessment = _interviewed(context, email, ratings, days_ago)
        if assessment is None or len(panels.submitted_panel(assessment)) < len(PANEL):
            continue
        _calibrate(context, email, assessment)

    laura = latest_assessment("exec3@example.org")
    if laura is not None and not laura.interviews:
        tom = context.people[TOM]
        panels.assign_panel(laura, [tom.id], context.people[CPO])
        interview = laura.interviews[0]
        kit.save_interview(
            interview,
            LAURA_DRAFT,
            strengths="",
            weaknesses="",
            recommendation=None,
            submit=False,
            actor=tom,
        )
        interview.assigned_at = story_time(16, 9, 15)
        interview.updated_at = story_time(1, 17, 40)  # Tom's notes so far, saved yesterday
    db.session.flush()
