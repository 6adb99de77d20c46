"""Demo data: what each panel member rated and noted for the demo candidates.

Notes are evidence (situation, behaviour, result), and ratings follow the level descriptions:
the demo is where many people first see what a good rating looks like.
"""

from __future__ import annotations

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
            " would not pay back. All three examples were about cost, none about revenue.",
        ),
        (
            2,
            "Walked me through last quarter's variances line by line, but every case she chose"
            " was judged by cost saved; asked about revenue, she named no lever in a journey.",
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
            "Asked to turn the 10% growth target into a plan, she wrote two onboarding outcomes"
            " with a measure each and named the first two bets she would test.",
        ),
        (
            2,
            "Described the outcome she wants, but the roadmap she showed lists twelve features"
            " and no outcome; her team could not set priorities from it without her.",
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
            "In the regulatory-change versus board-feature scenario she kept the regulatory"
            " work first, offered the board a small test of the feature and said who she would"
            " tell, and how.",
        ),
    ),
    "customer-evidence": (
        (
            3,
            "Listens to recorded calls every week and sits with agents monthly; tested the new"
            " address-change letters with twelve customers before launch. All within her own"
            " area: no example of discovery spreading to other teams (level 4).",
        ),
        (
            3,
            "The letter tests showed the wording caused half the follow-up calls, and she had"
            " it rewritten before launch: an assumption tested and a plan changed (level 3).",
        ),
        (
            3,
            "Dropped a planned self-service page after six agents' call notes showed customers"
            " wanted a call back instead; has not yet run a prototype or a controlled test.",
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
            "In the contact-centre scenario she set the measure and a control region before"
            " the change was built, and said she would stop it if calls did not fall.",
        ),
        (
            2,
            "Asked for the baseline before answering the scenario, and said she would need an"
            " analyst to tell whether a 3% fall was real.",
        ),
    ),
    "iterative-delivery": (
        (
            3,
            "Chose the one-region release of the online complaints form against her peers'"
            " wishes and changed the second release from what its first weeks showed. Matches"
            " level 3; nothing yet at the scale of changing how work is funded (level 4).",
        ),
        (
            1,
            "Explained clearly why a first release should be small, but both her examples were"
            " plans others shaped and defended; asked for one she argued for, she had none.",
        ),
        (
            3,
            "In the scenario she would take the 5% release to the executives as a learning"
            " milestone, naming the measure and the date of the next decision.",
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
            "Reviews queue time and work in progress with her team leads every week; once lead"
            " time was explained she mapped it to the complaints-form release herself.",
        ),
        (
            1,
            "Named deployment frequency and time to restore when asked, but has never reviewed"
            " an engineering team's delivery measures.",
        ),
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
        (
            3,
            "Gave her back-office team the problem of late refunds rather than a fix; they"
            " chose the approach and refunds now arrive in two days instead of nine.",
        ),
    ),
    "product-quality": (
        (
            3,
            "Led the review of the billing-letter error and has twice delayed a change since"
            " when the quality checks were not complete.",
        ),
        (
            2,
            "Every quality example was about the customer's experience of a letter or call;"
            " asked about technical quality or accessibility, she had no example.",
        ),
        (
            3,
            "Had the onboarding flow tested with screen-reader users before anyone asked, and"
            " held the release a week to fix the two problems found.",
        ),
    ),
    "technical-and-design-fluency": (
        (
            2,
            "Comfortable with design trade-offs; relies on engineers for technical constraints,"
            " which is fine at the required level.",
        ),
        (None, "Not covered: this competency was outside my focus and time ran out."),
        (
            2,
            "Explained the trade-off between building the complaints form into the case system"
            " and a separate form, and chose with the engineers' estimate in front of her.",
        ),
    ),
    "multidisciplinary-leadership": (
        (
            3,
            "Set up one team of agents, analysts and a designer for the complaints work and"
            " settled their dispute over the form by testing both versions. The 320 people she"
            " leads are scope, not level 4: no example of designing teams across streams.",
        ),
        (
            3,
            "Brought designers and operations agents together on the digital projects from"
            " first research to live running; has not led engineers directly.",
        ),
        (
            3,
            "When her analyst and her designer disagreed on the survey, she had each present"
            " their case to the team and let the evidence decide; the analyst now leads it.",
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
            3,
            "Presented the slipped launch to the executive team as a shared decision, with"
            " scope, date and cost side by side, and spoke of the team as 'we' throughout.",
        ),
    ),
    "growing-product-people": (
        (
            3,
            "Grew two team leads into managers; would need support to coach product managers"
            " specifically.",
        ),
        (
            2,
            "Coaches her leads through questions in fortnightly one-to-ones; has never developed"
            " a product manager.",
        ),
        (
            2,
            "Showed the written development plan she agreed with one team lead, with two"
            " courses and a shadowing month; nothing yet for product roles.",
        ),
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
        (
            3,
            "Cut the card-reader upgrade when its margin case failed and put the money into"
            " failed-payment recovery; measures value as cost and margin only.",
        ),
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
            "In the contact-centre scenario he defined the measure and the control before the"
            " change, and asked how wide the confidence interval would be.",
        ),
        (
            3,
            "Set the success measure for the new invoicing run before it was built and"
            " reversed it when late payments rose.",
        ),
        (
            2,
            "Read the payments dashboard critically and asked for the baseline; all his"
            " examples used financial data, none how customers behave.",
        ),
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
        (
            1,
            "Asked how he would know delivery was healthy, he described weekly status reports"
            " and a red-amber-green rating.",
        ),
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
        (
            2,
            "Held the billing release until the reconciliation checks passed; asked about"
            " usability, he had no example.",
        ),
        (
            2,
            "Runs a monthly review of payment failures and audit findings with the platform"
            " team and tracks each fix to closure.",
        ),
        (
            2,
            "Described rejecting a supplier's release that failed the accuracy tests; quality"
            " for him means accuracy and compliance.",
        ),
    ),
    "technical-and-design-fluency": (
        (1, "Little exposure to design; described designers as 'making the screens look right'."),
        (2, "Understands the payments platform's architecture at a high level."),
        (
            1,
            "Asked how he would weigh a simpler screen against a new payment option, he"
            " deferred to the supplier without naming a trade-off.",
        ),
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
        (
            3,
            "Renegotiated the payments budget with the COO in the open at the executive"
            " meeting and kept his team out of the argument.",
        ),
        (
            2,
            "Agreed a cut in budget with the COO, then gave his team a date two weeks earlier"
            " without telling them why: pressure passed on.",
        ),
        (
            2,
            "Meets the business heads monthly and explains his priorities; the trade-offs he"
            " described were agreed in private, not shown to the business.",
        ),
    ),
    "growing-product-people": (
        (
            2,
            "Gives his finance analysts monthly feedback and sent two on a data course; no"
            " experience with product roles.",
        ),
        (
            1,
            "Asked how he would coach a product manager, he described a finance appraisal and"
            " could not say what good product work looks like.",
        ),
        (
            1,
            "Said developing product people would be part of the job but gave no example of"
            " feedback or training he has arranged.",
        ),
    ),
}
