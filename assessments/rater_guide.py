"""The rater and calibration guide: evidence notes, traps to check for, calibration rules.

One text for the page in the app, the printed interview guide and the hints beside calibration
notes, so raters read the same advice wherever they meet it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GuideItem:
    """One piece of advice: a short title and what to do."""

    title: str
    text: str


@dataclass(frozen=True)
class GuideSection:
    """A part of the guide: a heading, why it matters, and its items."""

    key: str
    heading: str
    intro: str
    items: tuple[GuideItem, ...]


@dataclass(frozen=True)
class NoteExample:
    """A weak evidence note beside a useful one about the same answer."""

    weak: str
    useful: str


EVIDENCE_NOTES = GuideSection(
    key="evidence-notes",
    heading="Taking evidence notes",
    intro=(
        "Write down what happened, not what you made of it. A good note lets someone who was "
        "not in the room place the answer on the level descriptions without asking you."
    ),
    items=(
        GuideItem(
            "Situation",
            "Where the candidate was, what was at stake, and what they were accountable for.",
        ),
        GuideItem(
            "Behaviour",
            "What they did or said themselves. Listen for who acted: when every sentence says "
            "'we', use a probe to find out what part was theirs.",
        ),
        GuideItem(
            "Result",
            "What changed because of it, with any figure, date or consequence they gave, and "
            "what they would do differently now.",
        ),
        GuideItem(
            "No adjectives or verdicts",
            "Words such as 'impressive', 'strong' or 'good answer' cannot be checked against a "
            "level and hide how you reached your rating. Replace each with the fact that made "
            "you think it.",
        ),
        GuideItem(
            "What was missing",
            "Note a probe they could not answer, a story in which someone else made the "
            "decision, or a counter-indicator you saw, in the same plain terms.",
        ),
    ),
)

NOTE_EXAMPLES = (
    NoteExample(
        weak="Excellent with stakeholders.",
        useful=(
            "Sales director wanted the new tariff on a fixed date. She showed him a plan in "
            "three releases; the first went live in four weeks and he backed the rest at the "
            "next board."
        ),
    ),
    NoteExample(
        weak="Good answer on data.",
        useful=(
            "Named the one measure her team watched weekly (failed sign-ups) and a feature she "
            "dropped when it did not move after two releases. Could not say what it had cost."
        ),
    ),
)

TRAPS = GuideSection(
    key="traps",
    heading="Traps to check for before you rate",
    intro=("Everyone is prone to these. Read them before you rate, and again before calibration."),
    items=(
        GuideItem(
            "Halo (or horns)",
            "One impressive or poor answer colours the rest. Rate each competency only from "
            "the evidence you noted under it.",
        ),
        GuideItem(
            "Similar to me",
            "A candidate with your background or way of talking seems stronger than the "
            "evidence. Ask yourself whether the same story from someone unlike you would get "
            "the same rating.",
        ),
        GuideItem(
            "Rating by title or scope",
            "A larger budget, team or job title is not a higher level. A level is earned by "
            "what the person did and how, so a 4 needs the behaviour the level-4 description "
            "names, whatever the size of the remit.",
        ),
        GuideItem(
            "The most senior voice first",
            "When the most senior person gives a view first, the others drift towards it. In "
            "calibration everyone else speaks before the CPO.",
        ),
        GuideItem(
            "Memory instead of notes",
            "The last answer of the day is the one you remember best. Rate from the notes you "
            "took at the time.",
        ),
    ),
)

CALIBRATION_RULES = GuideSection(
    key="calibration",
    heading="Calibration rules",
    intro=(
        "Calibration is where the panel checks its ratings against the level descriptions "
        "together. It settles what the evidence shows, not a number everyone can live with."
    ),
    items=(
        GuideItem(
            "Rate alone first",
            "Submit your own ratings and evidence before you see anyone else's. Streamlead keeps "
            "the other ratings and the self-assessment hidden from you until you do.",
        ),
        GuideItem(
            "Start with the flags",
            "Take first the competencies flagged 'calibrate' (raters two or more levels apart), "
            "then blind spots and hidden strengths.",
        ),
        GuideItem(
            "Evidence, not numbers",
            "Each panel member reads out what they noted. The panel then reads the level "
            "descriptions again and asks which one the evidence matches.",
        ),
        GuideItem(
            "Re-check, do not average",
            "If the evidence matches level 2, the competency is at level 2, even if one "
            "rating says 4. Splitting the difference rewards the most generous rater.",
        ),
        GuideItem(
            "The CPO speaks last",
            "The CPO gives a view only after every other panel member has given their "
            "evidence and their reading of the levels.",
        ),
        GuideItem(
            "Write it down",
            "Add a calibration note: which level the evidence matches and why, and what is "
            "still unknown. Submitted ratings do not change; the note is what the decision "
            "reads beside them.",
        ),
    ),
)

SECTIONS = (EVIDENCE_NOTES, TRAPS, CALIBRATION_RULES)

# Beside every calibration note box: the rules a note should follow, in one line.
CALIBRATION_NOTE_HINT = (
    "Which level does the evidence match, and why? Re-read the level descriptions rather than "
    "taking the average. Check for halo, similar-to-me and rating by title or scope. The CPO "
    "gives a view last."
)
# Beside every evidence box in the interview kit.
EVIDENCE_NOTE_HINT = (
    "Situation, what the candidate did, and the result: facts someone else could match to a "
    "level, not adjectives."
)
