"""The rating scale in words: the one source for the kit, the guide, the self-assessment, the
PDFs and the docs, so two raters who see the same thing read the same rule.

Scoring does not change with the words: a 0 counts in the panel level like any rating, and
*Not assessed* is left out of it (assessments/scoring.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.model import RATING_SCALE

NOT_ASSESSED = "Not assessed"
ZERO_MEANING = "counter-evidence seen: the candidate showed the opposite of level 1"
NOT_ASSESSED_MEANING = "not covered in this interview"
# The self-assessment has no "Not assessed": every competency gets a level.
ZERO_MEANING_SELF = "counter-evidence: you have acted in the opposite way to level 1"
WHY_IT_MATTERS = (
    "A 0 counts in the panel level like any other rating; Not assessed is left out of it. "
    "Choose 0 only for evidence against the competency, never for a topic the interview did "
    "not reach."
)

# What each level means in general; each competency describes levels 1 to 4 in its own terms.
PANEL_MEANINGS: dict[int, str] = {
    0: ZERO_MEANING[0].upper() + ZERO_MEANING[1:] + ".",
    1: "Knows what it is and why it matters; little practice.",
    2: "Does it in their own area, sometimes with help.",
    3: "Does it well and unaided, and others rely on it.",
    4: "Shapes how others do it, beyond their own area.",
}
SELF_MEANINGS: dict[int, str] = {
    0: ZERO_MEANING_SELF[0].upper() + ZERO_MEANING_SELF[1:] + ".",
    1: "You understand it and can explain it, but have done little of it yourself.",
    2: "You do it in your own area, sometimes with support.",
    3: "You do it on your own and well, and can show what changed because of it.",
    4: "Others learn from you; you do it across teams or the whole organisation.",
}


@dataclass(frozen=True)
class ScaleWords:
    """The scale's names and meanings, as templates and documents use them."""

    names: dict[int, str]
    zero: str
    zero_self: str
    not_assessed: str
    not_assessed_meaning: str
    why_it_matters: str
    panel_meanings: dict[int, str]
    self_meanings: dict[int, str]

    def zero_line(self) -> str:
        """'0 Counter-evidence: counter-evidence seen: …' for a list of the scale."""
        return f"0 {self.names[0]}: {self.zero}"

    def not_assessed_line(self) -> str:
        """'Not assessed: not covered in this interview'."""
        return f"{self.not_assessed}: {self.not_assessed_meaning}"

    def names_line(self) -> str:
        """'0 Counter-evidence, 1 Awareness, …, 4 Expert' for one line of prose."""
        return ", ".join(f"{level} {name}" for level, name in self.names.items())


SCALE_WORDS = ScaleWords(
    names=dict(RATING_SCALE),
    zero=ZERO_MEANING,
    zero_self=ZERO_MEANING_SELF,
    not_assessed=NOT_ASSESSED,
    not_assessed_meaning=NOT_ASSESSED_MEANING,
    why_it_matters=WHY_IT_MATTERS,
    panel_meanings=PANEL_MEANINGS,
    self_meanings=SELF_MEANINGS,
)
