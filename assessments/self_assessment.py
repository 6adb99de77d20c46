"""The self-assessment's rules: what an answer needs, and what blocks submission."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessments.model import Competency, RoleDefinition

__all__ = [
    "EVIDENCE_REQUIRED_FROM",
    "Answer",
    "Problem",
    "answer_problem",
    "evidence_message",
    "needs_evidence",
    "submission_problems",
]

# A claim of Practitioner or Expert must be backed by an example; lower levels need none.
EVIDENCE_REQUIRED_FROM = 3


@dataclass(frozen=True)
class Answer:
    """A self-rating: level (None while unanswered) and evidence."""

    level: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Problem:
    """Something stopping submission, with where to fix it."""

    competency: Competency
    message: str


def needs_evidence(level: int | None, evidence: str) -> bool:
    """True when the level needs an example and the evidence is blank."""
    return level is not None and level >= EVIDENCE_REQUIRED_FROM and not evidence.strip()


def evidence_message(competency: Competency) -> str:
    """What to say when a level 3 or 4 has no evidence."""
    return f"Give evidence for {competency.name}: levels 3 and 4 need an example"


def answer_problem(competency: Competency, answer: Answer) -> str | None:
    """Why this answer blocks submission, or None when it is complete."""
    if answer.level is None:
        return f"Choose your level for {competency.name}"
    if needs_evidence(answer.level, answer.evidence):
        return evidence_message(competency)
    return None


def submission_problems(role: RoleDefinition, answers: Mapping[str, Answer]) -> list[Problem]:
    """Unanswered competencies and levels 3-4 without evidence, in page (lens) order."""
    problems = []
    for _lens, competencies in role.by_lens():
        for competency in competencies:
            message = answer_problem(competency, answers.get(competency.key, Answer()))
            if message is not None:
                problems.append(Problem(competency, message))
    return problems
