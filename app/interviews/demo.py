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
from app.models import Assessment, CalibrationNote, User
from app.models.loaders import results_options

CPO = "cpo@example.org"
TOM = "interviewer1@example.org"
MEI = "interviewer2@example.org"
PANEL = (CPO, TOM, MEI)

# competency key -> one (rating or None for "not assessed", evidence) per panel member, in PANEL
# order. Sarah Whitfield is Director of Customer Operations; David Mensah is Finance Director.
SARAH: dict[str, tuple[tuple[int | None, str], ...]] = {
    "value-and-pnl": (
        (
            2,
            "Runs a £14m operating budget with real discipline on cost, but leaned on finance"
            " for the revenue side: could not say what onboarding drop-off costs in first-year"
            " revenue.",
        ),
        (
            3,
            "Moved £600k from outsourced call handling into fixing the top call drivers,"
            " reported against the savings target monthly and stopped the fourth fix when it"
            " would not pay back. Practitioner on cost.",
        ),
        (
            2,
            "Explains variances well. Judges work by cost saved rather than customer value"
            " created; the revenue levers of a journey are new to her.",
        ),
    ),
    "outcome-strategy": (
        (
            3,
            "Framed the goal as 'customers active in their first week' rather than features;"
            " her current plan already carries three measurable outcomes.",
        ),
        (
            3,
            "Turned the 10% growth target into two onboarding outcomes and first bets,"
            " concrete and sensible.",
        ),
        (
            2,
            "Good instincts, but her team's roadmap is still mostly a feature list: the"
            " strategy lives in her head more than on paper.",
        ),
    ),
    "continuous-prioritisation": (
        (
            3,
            "Runs a monthly change board that ranks every request on customer impact and cost"
            " of delay, with the reasons written down.",
        ),
        (
            3,
            "Turned down the sales director's campaign script to clear the complaints backlog"
            " and explained the trade-off to him and the COO in writing.",
        ),
        (
            3,
            "Handled the regulatory-change versus board-feature scenario well: protected the"
            " regulatory work and offered a small test of the feature.",
        ),
    ),
    "customer-evidence": (
        (
            4,
            "Exceptional. Listens to recorded calls every week and sits with agents monthly;"
            " tested the new address-change letters with twelve customers before launch.",
        ),
        (
            4,
            "The letter tests showed the wording caused half the follow-up calls, and she had"
            " it rewritten before launch: evidence changing a plan, not decorating it.",
        ),
        (
            3,
            "Strong direct contact with customers; less practice with structured experiments,"
            " but clearly acts on what she hears.",
        ),
    ),
    "data-informed-decisions": (
        (
            2,
            "Uses the onboarding dashboard and asks for before-and-after numbers; would need"
            " an analyst to tell an effect from noise.",
        ),
        (
            3,
            "Would measure the contact-centre change against a control region. A practitioner"
            " answer.",
        ),
        (2, "Reads data critically and asked for the baseline before answering."),
    ),
    "iterative-delivery": (
        (
            4,
            "Backed the one-region release of the online complaints form against her peers'"
            " wishes and used its first weeks to change the second release.",
        ),
        (
            2,
            "Her examples were decisions about other people's release plans, not slices she"
            " shaped herself. Accepts thin slices; has not yet led them.",
        ),
        (
            3,
            "Would present the 5% release to the executives as a learning milestone with a date"
            " for the next decision. Good answer.",
        ),
    ),
    "delivery-health": (
        (
            1,
            "Had not met lead time or change failure rate as measures; tracks service levels"
            " in operations instead.",
        ),
        (
            2,
            "Understands flow from operations (queue time, work in progress) and mapped it to"
            " software delivery once it was explained.",
        ),
        (1, "No experience of engineering delivery measures. Keen, but starting from awareness."),
    ),
    "ownership-and-pull": (
        (
            3,
            "Her teams set their own weekly goals from the outcomes; she described stepping back"
            " from handing out tasks.",
        ),
        (
            3,
            "Set a target and let the team choose how to reach it, resisting the urge to step"
            " in when it went slowly.",
        ),
        (3, "Talks about teams owning problems, not tickets, with examples to match."),
    ),
    "product-quality": (
        (
            3,
            "Led the review of the billing-letter error and has twice delayed a change since"
            " when the quality checks were not complete.",
        ),
        (
            2,
            "Sees quality as customer experience; less aware of technical quality and"
            " accessibility.",
        ),
        (3, "Raised the accessibility of the onboarding flow without being asked."),
    ),
    "technical-and-design-fluency": (
        (
            2,
            "Comfortable with design trade-offs; relies on engineers for technical constraints,"
            " which is fine at the required level.",
        ),
        (None, "We ran out of time before this part of the kit."),
        (2, "Held her own discussing the complaints form's integration with the case system."),
    ),
    "multidisciplinary-leadership": (
        (
            4,
            "Leads 320 people across contact centres, back office and an analytics team; her"
            " analysts say she makes specialists feel heard.",
        ),
        (
            3,
            "Brought designers and operations agents together on the digital projects. Has not"
            " led engineers directly, but her approach to specialists is sound.",
        ),
        (
            4,
            "Rates herself lower than she should: the way she leads people whose craft she"
            " does not practise is exactly what the role needs.",
        ),
    ),
    "stakeholder-tension": (
        (
            3,
            "When the online account launch slipped she set up a joint weekly review with"
            " the sales director instead of passing the blame on.",
        ),
        (
            3,
            "Agreed a reduced first scope in the open and took the board request conversation"
            " herself, keeping the team out of it.",
        ),
        (
            4,
            "Presented the slipped launch to the executive team as a shared decision, with"
            " every trade-off on the table. Outstanding.",
        ),
    ),
    "growing-product-people": (
        (
            3,
            "Grew two team leads into managers; would need support to coach product managers"
            " specifically.",
        ),
        (2, "Coaches through questions; has not developed product managers."),
        (2, "Regular one-to-ones and clear development plans for her leads."),
    ),
}

DAVID: dict[str, tuple[tuple[int | None, str], ...]] = {
    "value-and-pnl": (
        (
            3,
            "Deep command of the numbers: explained the margin per payment method without"
            " notes and how he would stop an unprofitable instalment option.",
        ),
        (3, "Stopped a project when its revenue case fell apart and moved the money elsewhere."),
        (3, "Ties work to value, though mostly cost and margin rather than customer value."),
    ),
    "outcome-strategy": (
        (2, "Plans are projects with delivery dates; outcomes appear only as financial targets."),
        (2, "Asked to turn the growth target into outcomes, he listed features to build."),
        (
            1,
            "Talked about the annual budget plan; no sign a team could decide on its own from"
            " his strategy.",
        ),
    ),
    "continuous-prioritisation": (
        (
            2,
            "Keeps a ranked list but says yes to most senior requests and lets work in"
            " progress grow to cope.",
        ),
        (2, "Prioritises by who asks loudest, and recognised it as a problem when challenged."),
        (2, "Ranks his own area's work; struggles to say no upwards."),
    ),
    "customer-evidence": (
        (1, "Relies on complaint reports; could not recall when he last spoke to a customer."),
        (1, "Sees research as something to do once the business case is approved."),
        (2, "Mentioned a survey his team ran, which confirmed a decision already made."),
    ),
    "data-informed-decisions": (
        (
            3,
            "Strong analytical instincts: asked about confidence intervals in the"
            " contact-centre scenario.",
        ),
        (3, "Defines measures before changes in his finance work."),
        (2, "Good with data, though financial rather than behavioural product data."),
    ),
    "iterative-delivery": (
        (
            1,
            "Prefers fixed scope and date; called the 5% release 'a soft launch we would not"
            " announce'.",
        ),
        (
            2,
            "Accepts incremental delivery in principle, but ran the billing migration as one"
            " big-bang release.",
        ),
        (1, "Would take the whole journey to the executives as one plan with one date."),
    ),
    "delivery-health": (
        (
            2,
            "Tracks milestones and incident counts; aware of deployment frequency from the"
            " payments platform team.",
        ),
        (1, "Talked about status reports rather than flow."),
        (2, "Knows the platform team's incident process and time to restore."),
    ),
    "ownership-and-pull": (
        (
            1,
            "Assigns work to teams and tracks it through weekly status; no example of a team"
            " owning a problem.",
        ),
        (1, "Describes teams as delivery resources and pushes requirements down."),
        (1, "Said he would want to sign off each sprint's scope himself."),
    ),
    "product-quality": (
        (2, "High bar for billing accuracy and controls; less aware of usability."),
        (2, "Good on reliability and audit controls."),
        (2, "Quality means accuracy and compliance for him, which covers the required level."),
    ),
    "technical-and-design-fluency": (
        (1, "Little exposure to design; described designers as 'making the screens look right'."),
        (2, "Understands the payments platform's architecture at a high level."),
        (1, "Little feel for design trade-offs."),
    ),
    "multidisciplinary-leadership": (
        (
            1,
            "Leads finance, procurement, audit and payroll: all finance specialisms. No example"
            " of leading designers, engineers or researchers.",
        ),
        (1, "Asked how he would lead engineers, he described managing a supplier contract."),
        (1, "No evidence yet of leading specialists whose work he does not know."),
    ),
    "stakeholder-tension": (
        (3, "Respected by the executive team and at ease in hard budget conversations."),
        (2, "Negotiates well on money, but passes pressure on to the team as deadlines."),
        (2, "Strong with finance stakeholders; less open about trade-offs with the business."),
    ),
    "growing-product-people": (
        (2, "Develops finance analysts well; no experience with product roles."),
        (1, "Could not describe how he would coach a product manager."),
        (1, "Awareness only."),
    ),
}

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
            "Outstanding with stakeholders and customers; specialists trust her.",
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
            "Respected, numerate, dependable on controls.",
            "Leading specialists and discovery would both start from scratch.",
            "no",
        ),
    ),
}

CALIBRATION = {
    "exec1@example.org": [
        (
            "iterative-delivery",
            "Tom rated 2 because her examples were operations changes, not software. We agreed"
            " the behaviour is the same one the role needs; the panel level of 3 stands, and the"
            " induction pairs her with an engineer early.",
        ),
    ],
    "exec2@example.org": [
        (
            "multidisciplinary-leadership",
            "All three of us saw no evidence of leading specialists. This is the main risk in"
            " selecting David: coaching starts here, and the 90-day review tests it first.",
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
