"""What a score rests on and the sentence that explains its band (assessments.evidence)."""

from __future__ import annotations

import pytest

from assessments.evidence import (
    Evidence,
    band_sentence,
    level,
    mean_level,
    must_have_count,
    ratings_to_mean,
)
from assessments.scoring import score_assessment
from tests.fixtures.builders import mini_role_competencies

# Mini role: a (w3, req 3, must), b (w2, req 2), c (w1.5, req 3), d (w1, req 2, must); total 7.5.
ROLE = mini_role_competencies()


def scored(panel: dict[str, list[int]]):  # type: ignore[no-untyped-def]
    return score_assessment(ROLE, {}, panel)


def test_evidence_says_how_many_interviews_and_whether_the_self_assessment_is_in() -> None:
    full = Evidence(3, 3, 39, True)
    assert full.summary() == "3 of 3 interviews · self-assessment submitted"
    assert full.panel_complete and full.scored and not full.one_rater
    one = Evidence(3, 1, 13, False)
    assert one.summary() == "1 of 3 interviews · no self-assessment yet · rests on one rater"
    assert not one.panel_complete


def test_no_panel_rating_is_not_scored() -> None:
    assert not Evidence(2, 0, 0, True).scored
    # A submitted interview that rated nothing ("not assessed" throughout) is no evidence either.
    assert not Evidence(2, 1, 0, True).scored
    assert Evidence(0, 0, 0, False).summary() == "No interview yet · no self-assessment yet"


def test_a_must_have_short_of_the_bar_explains_ready_with_support_at_91_percent() -> None:
    # a: (2 + 2 + 3) / 3 = 2.33, gap 0.67, attainment 7/9; readiness 100 x 6.8333 / 7.5 = 91.1
    result = scored({"a": [2, 2, 3], "b": [2], "c": [3], "d": [2]})
    assert (result.readiness, result.band) == (91.1, "ready-with-support")
    assert band_sentence(result) == (
        "91.1% would be Ready now, but Competency A, a must-have, is 0.67 below the bar."
    )


def test_each_band_has_its_sentence() -> None:
    assert band_sentence(scored({"a": [3], "b": [2], "c": [3], "d": [2]})) == (
        "100.0% is at or above the 85% for Ready now, and every must-have meets the bar."
    )
    # 100 x (2 + 2 + 1 + 1) / 7.5 = 80.0; a is one level short
    assert band_sentence(scored({"a": [2], "b": [2], "c": [2], "d": [2]})) == (
        "80.0% clears the 65% for Ready with support but not the 85% for Ready now;"
        " Competency A, a must-have, is 1 below the bar."
    )
    # 100 x (3 + 2 + 1.5 + 0) / 7.5 = 86.7 but d is two levels short
    assert band_sentence(scored({"a": [3], "b": [2], "c": [3], "d": [0]})) == (
        "86.7% would be Ready now, but Competency D, a must-have, is 2 below the bar: more than"
        " the 1 level support can close."
    )
    # 100 x (1 + 1 + 0.5 + 0.5) / 7.5 = 40.0
    assert band_sentence(scored({"a": [1], "b": [1], "c": [1], "d": [1]})) == (
        "40.0% is below the 65% needed for Ready with support."
    )
    # Only a is rated: 3 / 7.5 = 40% of the weight, and must-have d has no rating.
    assert band_sentence(scored({"a": [4]})) == (
        "No band yet: the panel has rated 40% of the role's weight, and a band needs 80%;"
        " nobody on the panel has rated Competency D, a must-have, yet."
    )


def test_a_list_summary_counts_the_must_haves_it_cannot_name() -> None:
    result = scored({"a": [2, 2, 3], "b": [2], "c": [3], "d": [2]})

    class Summary:
        band = result.band
        readiness = result.readiness
        coverage = result.coverage
        must_have_unmet = result.must_have_unmet
        must_have_unassessed = result.must_have_unassessed

    assert band_sentence(Summary()) == "91.1% would be Ready now, but 1 must-have is below the bar."


@pytest.mark.parametrize(
    ("ratings", "panel", "text"),
    [
        ((2, 3, 2), 2.33, "2, 3, 2 → 2.3"),
        ((3,), 3.0, "3"),
        ((2, 3), 2.5, "2, 3 → 2.5"),
        ((), None, "Not assessed"),
    ],
)
def test_ratings_beside_their_mean(ratings, panel, text) -> None:  # type: ignore[no-untyped-def]
    assert ratings_to_mean(ratings, panel) == text


def test_levels_for_reading() -> None:
    assert [level(2.0), level(2.5), level(0.67), level(None)] == ["2", "2.5", "0.67", "–"]
    assert [mean_level(2.33), mean_level(3.0), mean_level(2.67)] == ["2.3", "3", "2.7"]
    assert must_have_count(2, 3) == "2 of 3 must-haves met"
    assert must_have_count(1, 1) == "1 of 1 must-have met"
