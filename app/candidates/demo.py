"""Demo data: value streams, exec profiles, and assessments in different states."""

from __future__ import annotations

from sqlalchemy import select

from app.candidates import nominations, self_assessment
from app.candidates import profiles as exec_profiles
from app.candidates import streams as value_streams
from app.demo import ROLE_PUBLISHED_DAYS_AGO, DemoContext, demo_loader, story_time
from app.extensions import db
from app.models import Assessment, ValueStream
from app.roles import versions as role_versions
from app.roles.lookups import version_by_number

ALL_FUNCTIONS = [
    "Product management",
    "User experience and design",
    "Engineering",
    "Data and analytics",
    "Delivery and agile coaching",
    "Commercial and P&L",
]

STREAMS: list[dict[str, object]] = [
    {
        "name": "Customer onboarding",
        "journey": "From a prospective customer's first visit to their first successful use of "
        "the service: sign-up, identity checks, account setup and the first transaction.",
        "business_owner": "Rachel Adeyemi, Chief Operating Officer",
        "functions": ALL_FUNCTIONS,
        "hats": {
            "product": "Nina Kowalski",
            "design": "Grace Liu",
            "engineering": "Omar Haddad",
            "data": "",
            "delivery": "",
        },
    },
    {
        "name": "Payments and billing",
        "journey": "From a customer choosing how to pay to the money reaching us: invoices, "
        "direct debits, card payments, refunds and chasing failed payments.",
        "business_owner": "Mark Ellison, Chief Financial Officer",
        "functions": [
            "Product management",
            "Engineering",
            "Data and analytics",
            "Delivery and agile coaching",
            "Commercial and P&L",
        ],
        "hats": {
            "product": "Aisha Rahman",
            "design": "Ben Foster",
            "engineering": "Katarzyna Nowak",
            "data": "Dev Sharma",
            "delivery": "",
        },
    },
    {
        "name": "Self-service support",
        "journey": "From a customer hitting a problem to solving it without calling us: help "
        "articles, account self-service and web chat.",
        "business_owner": "Joanne Firth, Director of Customer Service",
        "functions": [
            "Product management",
            "User experience and design",
            "Engineering",
            "Data and analytics",
        ],
        "hats": {
            "product": "",
            "design": "",
            "engineering": "Ravi Patel",
            "data": "",
            "delivery": "",
        },
    },
    {
        "name": "Business accounts",
        "journey": "From a small business's first enquiry to running its account online with "
        "several users and permissions.",
        "business_owner": "Simon Clarke, Director of Business Banking",
        "functions": [
            "Product management",
            "User experience and design",
            "Engineering",
            "Commercial and P&L",
        ],
        "hats": {
            "product": "",
            "design": "",
            "engineering": "Lena Weber",
            "data": "",
            "delivery": "Tom Bright",
        },
    },
]

PROFILES: dict[str, tuple[str, str, dict[str, str]]] = {
    "exec1@example.org": (
        "Director of Customer Operations",
        "Customer operations",
        {
            "Product management": "some",
            "User experience and design": "some",
            "Engineering": "none",
            "Data and analytics": "some",
            "Delivery and agile coaching": "some",
            "Commercial and P&L": "deep",
        },
    ),
    "exec2@example.org": (
        "Finance Director",
        "Finance",
        {
            "Product management": "none",
            "User experience and design": "none",
            "Engineering": "none",
            "Data and analytics": "some",
            "Delivery and agile coaching": "none",
            "Commercial and P&L": "deep",
        },
    ),
    "exec3@example.org": (
        "Head of Marketing",
        "Marketing and brand",
        {
            "Product management": "some",
            "User experience and design": "some",
            "Engineering": "none",
            "Data and analytics": "deep",
            "Delivery and agile coaching": "none",
            "Commercial and P&L": "some",
        },
    ),
    "exec4@example.org": (
        "Head of IT Operations",
        "Technology",
        {
            "Product management": "none",
            "User experience and design": "none",
            "Engineering": "deep",
            "Data and analytics": "some",
            "Delivery and agile coaching": "deep",
            "Commercial and P&L": "none",
        },
    ),
}

# exec1: a grounded self-view, strongest on value and stakeholders, honest about technology.
SARAH: dict[str, tuple[int, str]] = {
    "value-and-pnl": (
        3,
        "I own a £14m operating budget for customer operations. Last year I moved £600k from "
        "outsourced call handling into fixing the three reasons customers call most, agreed the "
        "savings target with finance, and reported monthly against it. We hit 80% of the target "
        "and I stopped the fourth fix when the numbers showed it would not pay back.",
    ),
    "outcome-strategy": (
        2,
        "My operations plan has three measurable outcomes (first-contact resolution, cost per "
        "contact, complaint volume), but most of the plan underneath is still a list of "
        "projects rather than bets linked to those outcomes.",
    ),
    "continuous-prioritisation": (
        3,
        "I run a monthly change board for operations where every request is ranked on customer "
        "impact and cost of delay. In March I turned down the sales director's request for a "
        "new campaign script so the team could finish the complaints backlog, and explained the "
        "trade-off to him and to the COO in writing.",
    ),
    "customer-evidence": (
        3,
        "I listen to recorded calls every week and sit with front-line agents once a month. When "
        "we redesigned the address-change process I insisted we test the new letters with "
        "twelve customers first; the tests showed our wording caused half the follow-up calls, "
        "so we rewrote it before launch.",
    ),
    "data-informed-decisions": (
        2,
        "I read the contact-centre dashboards daily and ask for before-and-after figures on any "
        "change. I rely on our analyst to tell me whether a change is real or just normal weekly "
        "variation.",
    ),
    "iterative-delivery": (
        2,
        "I accepted the digital team's plan to release the new online complaints form to one "
        "region first, and explained to my peers why it would not do everything at launch. I "
        "have not shaped a release plan like that myself.",
    ),
    "delivery-health": (
        1,
        "I know the four DORA measures from a course, but I have never reviewed them with an "
        "engineering team.",
    ),
    "ownership-and-pull": (
        2,
        "My team leads get problems and targets from me, not instructions, and they plan their "
        "own improvement work. With IT suppliers I still tend to hand over detailed requirements.",
    ),
    "product-quality": (
        3,
        "After a billing-letter error reached 40,000 customers I led the incident review, agreed "
        "a quality checklist with the print supplier and IT, and since then I have twice delayed "
        "a letter change when the checks were not complete. Accessibility of our letters is now "
        "part of that checklist.",
    ),
    "technical-and-design-fluency": (
        1,
        "I know the vocabulary but I struggle to weigh technical options myself; I rely heavily "
        "on the architects.",
    ),
    "multidisciplinary-leadership": (
        2,
        "I lead 320 people across contact centres, back office and a small analytics team. I "
        "work well with the designers and engineers on our digital projects, but I have never "
        "led engineers or designers directly.",
    ),
    "stakeholder-tension": (
        3,
        "When the online account launch slipped, the sales director blamed my team's training "
        "plan. I set up a weekly joint review with him, agreed a reduced first scope in the "
        "open, and presented the delay to the executive team as our shared decision rather than "
        "passing the blame to IT.",
    ),
    "growing-product-people": (
        2,
        "I mentor two team leaders and give monthly feedback to everyone who reports to me. I "
        "have not developed product managers specifically.",
    ),
}

# exec2: confident ratings across the board with thin, finance-centred evidence.
DAVID: dict[str, tuple[int, str]] = {
    "value-and-pnl": (
        4,
        "As Finance Director I set the budget for every directorate and I move funding between "
        "them at each quarterly review based on their results.",
    ),
    "outcome-strategy": (
        4,
        "I wrote the financial strategy the board approved, with clear targets for every "
        "business unit.",
    ),
    "continuous-prioritisation": (
        4,
        "I chair the investment committee, which decides which projects go ahead across the "
        "whole organisation.",
    ),
    "customer-evidence": (
        3,
        "I review the customer satisfaction results every quarter and challenge directors on "
        "their scores.",
    ),
    "data-informed-decisions": (
        4,
        "Every decision in finance is based on data. I introduced the monthly performance pack "
        "the executive team uses.",
    ),
    "iterative-delivery": (
        3,
        "I approved funding in stages for the finance system replacement, released in three "
        "phases.",
    ),
    "delivery-health": (
        3,
        "I track every major project's spend and milestones against plan each month.",
    ),
    "ownership-and-pull": (
        3,
        "My finance business partners are given full ownership of their directorates' budgets.",
    ),
    "product-quality": (
        3,
        "Our financial controls and audit results are the best in the sector; quality is "
        "central to how I work.",
    ),
    "technical-and-design-fluency": (
        3,
        "I sponsored the finance system replacement and sat on its technical design authority.",
    ),
    "multidisciplinary-leadership": (
        4,
        "I lead finance, procurement, internal audit and the payroll team, all very different "
        "disciplines.",
    ),
    "stakeholder-tension": (
        4,
        "I negotiate budgets with every director each year, which means saying no to senior "
        "people all the time.",
    ),
    "growing-product-people": (
        3,
        "I run the finance graduate scheme and several of its graduates are now managers.",
    ),
}

# exec3: the value lens and one workflow answer so far.
LAURA: dict[str, tuple[int, str]] = {
    "value-and-pnl": (
        2,
        "I manage a £3m marketing budget and track cost per acquisition monthly, but revenue "
        "sits with sales, so I have not owned a P&L.",
    ),
    "outcome-strategy": (
        3,
        "I replaced our campaign calendar with three acquisition outcomes and a quarterly set "
        "of bets against them. The team now drops campaigns that do not move those numbers "
        "without asking me first.",
    ),
    "continuous-prioritisation": (
        2,
        "I keep one ranked list of marketing requests and say not yet to some of them, with the "
        "reasons.",
    ),
    "customer-evidence": (
        3,
        "I commissioned a diary study of 20 new customers last year. It showed the sign-up "
        "emails confused people, and we rebuilt the welcome journey around what they told us; "
        "early drop-out fell by a fifth.",
    ),
    "data-informed-decisions": (
        3,
        "I set up A/B testing for all our landing pages with the analytics team, define the "
        "success measure before each test, and have stopped two campaigns I liked when the "
        "tests showed no effect.",
    ),
    "iterative-delivery": (
        2,
        "",
    ),
}


def _stream(spec: dict[str, object], context: DemoContext) -> ValueStream:
    stream: ValueStream | None = db.session.scalar(
        select(ValueStream).where(ValueStream.name == spec["name"])
    )
    if stream is not None:
        return stream
    stream = value_streams.save_stream(
        None,
        name=str(spec["name"]),
        journey=str(spec["journey"]),
        business_owner=str(spec["business_owner"]),
        functions=list(spec["functions"]),  # type: ignore[call-overload]
        hats=dict(spec["hats"]),  # type: ignore[call-overload]
    )
    stream.created_at = story_time(ROLE_PUBLISHED_DAYS_AGO - 1, 14)  # set up after the role
    return stream


def _assessment(
    context: DemoContext, email: str, stream: ValueStream, days_ago: int
) -> Assessment | None:
    """The exec's assessment for the stream, created if new; None if it already existed."""
    # The story's assessments are on v1: v2 is published later in the story (app/roles/demo.py).
    version = version_by_number(role_versions.DEFAULT_ROLE_KEY, 1)
    assert version is not None, "the roles demo publishes the Product Director role first"
    candidate = context.people[email]
    exists = db.session.scalar(
        select(Assessment.id).where(
            Assessment.candidate_id == candidate.id,
            Assessment.value_stream_id == stream.id,
            Assessment.role_version_id == version.id,
        )
    )
    if exists is not None:
        return None  # loaded before (later demo steps may have moved it on)
    assessment = nominations.nominate(
        candidate, stream, version, actor=context.people["cpo@example.org"]
    )
    assessment.created_at = story_time(days_ago, 11)
    return assessment


def _answer(
    assessment: Assessment,
    answers: dict[str, tuple[int, str]],
    context: DemoContext,
    *,
    submit: bool,
    days_ago: int,
) -> None:
    actor = context.people[assessment.candidate.email]
    sa = self_assessment.save_self_answers(
        assessment,
        {
            key: self_assessment.Answer(level, evidence)
            for key, (level, evidence) in answers.items()
        },
        expected_version=None,
        actor=actor,
    )
    assert sa is not None
    sa.started_at = story_time(days_ago + 5, 9, 30)
    sa.updated_at = story_time(days_ago, 17, 20)
    if submit:
        sa = self_assessment.submit_self(assessment, expected_version=sa.version, actor=actor)
        sa.submitted_at = sa.updated_at = story_time(days_ago, 17, 25)
    db.session.flush()


@demo_loader(20)
def load_candidates(context: DemoContext) -> None:
    """Four value streams, four exec profiles, and assessments from invited to submitted."""
    streams = {str(spec["name"]): _stream(spec, context) for spec in STREAMS}
    for email, (role, area, experience) in PROFILES.items():
        user = context.people[email]
        if exec_profiles.profile_of(user) is None:
            exec_profiles.save_profile(
                user, current_role=role, business_area=area, experience=experience
            )

    # Dates fit the later demo steps: exec1 and exec2 were interviewed about four months ago.
    sarah = _assessment(context, "exec1@example.org", streams["Customer onboarding"], 140)
    if sarah is not None:
        _answer(sarah, SARAH, context, submit=True, days_ago=130)
    david = _assessment(context, "exec2@example.org", streams["Payments and billing"], 135)
    if david is not None:
        _answer(david, DAVID, context, submit=True, days_ago=124)
    laura = _assessment(context, "exec3@example.org", streams["Customer onboarding"], 24)
    if laura is not None:
        _answer(laura, LAURA, context, submit=False, days_ago=2)
    _assessment(context, "exec4@example.org", streams["Self-service support"], 5)
    db.session.flush()
