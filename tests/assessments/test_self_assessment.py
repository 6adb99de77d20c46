"""The self-assessment's submission rules, worked by hand."""

from __future__ import annotations

import pytest

from assessments.model import Competency, RoleDefinition
from assessments.self_assessment import (
    EVIDENCE_REQUIRED_FROM,
    Answer,
    answer_problem,
    needs_evidence,
    submission_problems,
)


def _comp(key: str, lens: str) -> Competency:
    return Competency(key, key.title(), "", lens, 1.0, 2, False, {}, (), ())


ROLE = RoleDefinition(
    "r",
    "Role",
    "",
    (),
    (),
    (),
    (),
    (_comp("lead", "leadership"), _comp("flow", "workflow"), _comp("pnl", "value")),
)


def test_evidence_is_required_from_practitioner_up() -> None:
    assert EVIDENCE_REQUIRED_FROM == 3
    assert [needs_evidence(level, "") for level in (None, 0, 1, 2, 3, 4)] == [
        False, False, False, False, True, True,
    ]  # fmt: skip
    assert not needs_evidence(4, "Ran the P&L for two years")


@pytest.mark.parametrize("evidence", ["", "   ", "\n\t"])
def test_blank_evidence_counts_as_none(evidence: str) -> None:
    assert answer_problem(ROLE.competencies[2], Answer(3, evidence)) == (
        "Give evidence for Pnl: levels 3 and 4 need an example"
    )


def test_a_complete_role_has_no_problems() -> None:
    answers = {"lead": Answer(2), "flow": Answer(0), "pnl": Answer(4, "Owned the budget")}
    assert submission_problems(ROLE, answers) == []


def test_problems_come_in_page_order_with_their_messages() -> None:
    # File order is lead, flow, pnl; pages are value, workflow, leadership.
    answers = {"lead": Answer(3, ""), "pnl": Answer(None, "draft")}
    problems = submission_problems(ROLE, answers)
    assert [(p.competency.key, p.message) for p in problems] == [
        ("pnl", "Choose your level for Pnl"),
        ("flow", "Choose your level for Flow"),
        ("lead", "Give evidence for Lead: levels 3 and 4 need an example"),
    ]


def test_answers_for_competencies_the_role_lacks_are_ignored() -> None:
    answers = {"lead": Answer(1), "flow": Answer(1), "pnl": Answer(1), "gone": Answer(None)}
    assert submission_problems(ROLE, answers) == []
