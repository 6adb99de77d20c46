"""The exec's own plan speaks to them: every shipped sentence about "the exec" turned round."""

from __future__ import annotations

import pytest

from assessments.actions import load_action_library
from assessments.plans import default_checkpoints, default_tradeoffs
from assessments.voice import second_person


@pytest.mark.parametrize(
    ("said", "spoken"),
    [
        (
            "The exec explains the stream's P&L without notes.",
            "You explain the stream's P&L without notes.",
        ),
        ("The exec has spent time with a peer.", "You have spent time with a peer."),
        (
            "The shortfall compounds if the exec is not adjusting.",
            "The shortfall compounds if you are not adjusting.",
        ),
        (
            "Discipline leads describe the exec as their leader.",
            "Discipline leads describe you as their leader.",
        ),
        (
            "The trade-offs register is shared with the exec's stakeholders.",
            "The trade-offs register is shared with your stakeholders.",
        ),
        ("The exec's former function", "Your former function"),
        ("The exec and the CPO have agreed the plan.", "You and the CPO have agreed the plan."),
        ("Decisions that used to sit with the exec.", "Decisions that used to sit with you."),
        ("People around the exec notice a change.", "People around you notice a change."),
        ("The exec watches the flow.", "You watch the flow."),
        (
            "The exec reads the flow measures, talks about forecasts, and blockers go.",
            "You read the flow measures, talk about forecasts, and blockers go.",
        ),
        (
            "The exec cites findings and has changed one priority; teams see it.",
            "You cite findings and have changed one priority; teams see it.",
        ),
        (
            "The exec asks questions, and engineers and designers say the exec understands.",
            "You ask questions, and engineers and designers say you understand.",
        ),
        ("Day 180: leading on their own", "Day 180: leading on your own"),
        ("The exec can say what the data can show.", "You can say what the data can show."),
        ("Nothing about anyone.", "Nothing about anyone."),
    ],
)
def test_sentences_about_the_exec_are_spoken_to_them(said: str, spoken: str) -> None:
    assert second_person(said) == spoken


def _shipped_texts() -> list[str]:
    texts = []
    for checkpoint in default_checkpoints():
        texts += [checkpoint.title, *checkpoint.success_criteria]
    for tradeoff in default_tradeoffs():
        texts += [tradeoff.area, tradeoff.expected_impact, tradeoff.risk, tradeoff.mitigation]
    library = load_action_library()
    for action_set in [*library.competencies.values(), *library.lens_defaults.values()]:
        texts.append(action_set.progress_evidence)
        for action in [*action_set.small_gap, *action_set.large_gap, *action_set.stretch]:
            texts += [action.do, action.evidence]
    return texts


def test_no_shipped_plan_text_still_speaks_of_the_exec() -> None:
    spoken = [second_person(text) for text in _shipped_texts()]
    assert [s for s in spoken if "exec" in s.lower().replace("executive", "")] == []
    # The verbs joined to the exec's are turned round too.
    assert "Take you through last month's P&L for the stream line by line, ready for you to" in (
        " ".join(spoken)
    )
    assert any("gets less of your attention" in s for s in spoken)
    assert any("decisions once held by you are recorded as handed over" in s for s in spoken)
