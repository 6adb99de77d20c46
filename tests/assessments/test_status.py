"""Assessment status rules, worked by hand."""

from __future__ import annotations

from assessments.status import ASSESSMENT_STATUSES, FIRST_STATUS, STATUS_RULES, Fact, status_of


def _status(*facts: Fact) -> str:
    return status_of(lambda fact: fact in facts)


def test_nothing_recorded_means_invited() -> None:
    assert _status() == FIRST_STATUS == "invited"


def test_the_furthest_fact_wins() -> None:
    assert _status(Fact.SELF_STARTED) == "self-in-progress"
    assert _status(Fact.SELF_STARTED, Fact.SELF_SUBMITTED) == "self-submitted"
    assert _status(Fact.SELF_SUBMITTED, Fact.INTERVIEW_ASSIGNED) == "interviewing"
    assert _status(Fact.INTERVIEW_ASSIGNED, Fact.INTERVIEW_SUBMITTED) == "scored"
    # A decision can be recorded before anything else (e.g. put on hold at once).
    assert _status(Fact.DECISION_RECORDED) == "decided"
    assert _status(*Fact) == "decided"


def test_facts_are_asked_only_until_one_holds() -> None:
    asked: list[Fact] = []

    def holds(fact: Fact) -> bool:
        asked.append(fact)
        return fact is Fact.INTERVIEW_ASSIGNED

    assert status_of(holds) == "interviewing"
    assert asked == [Fact.DECISION_RECORDED, Fact.INTERVIEW_SUBMITTED, Fact.INTERVIEW_ASSIGNED]


def test_every_fact_has_one_rule_and_every_state_is_named() -> None:
    assert sorted(fact for _, fact in STATUS_RULES) == sorted(Fact)
    states = [FIRST_STATUS, *reversed([status for status, _ in STATUS_RULES])]
    assert states == list(ASSESSMENT_STATUSES)


def test_a_decided_assessment_reads_its_decision_never_decided() -> None:
    from assessments.status import status_label

    assert status_label("decided", "selected") == "Selected"
    assert status_label("decided", "not-selected") == "Not selected"
    assert status_label("decided", "on-hold") == "On hold"
    assert status_label("scored", None) == "Scored"
    assert "Decided" not in ASSESSMENT_STATUSES.values()
