"""Properties of the scoring engine that must hold for any role and any evidence."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import assume, given
from hypothesis import strategies as st

from assessments.model import LENSES, Competency
from assessments.scoring import score_assessment


@dataclass(frozen=True)
class Case:
    competencies: tuple[Competency, ...]
    self_ratings: dict[str, int | None]
    panel: dict[str, list[int]]


ratings = st.integers(min_value=0, max_value=4)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    count = draw(st.integers(min_value=1, max_value=8))
    competencies = tuple(
        Competency(
            key=f"c{i}",
            name=f"Competency {i}",
            description="",
            lens=draw(st.sampled_from(LENSES)),
            # Weights as authors write them: up to two decimals.
            weight=draw(st.integers(min_value=1, max_value=500)) / 100,
            required_level=draw(st.integers(min_value=1, max_value=4)),
            must_have=draw(st.booleans()),
            levels={1: "a", 2: "b", 3: "c", 4: "d"},
            interview_questions=(),
            self_prompts=(),
        )
        for i in range(count)
    )
    self_ratings = {c.key: draw(st.none() | ratings) for c in competencies}
    panel = {c.key: draw(st.lists(ratings, max_size=5)) for c in competencies}
    return Case(competencies, self_ratings, panel)


@given(cases())
def test_readiness_and_lenses_stay_within_0_and_100(case: Case) -> None:
    result = score_assessment(case.competencies, case.self_ratings, case.panel)
    assert 0.0 <= result.readiness <= 100.0
    assert 0.0 <= result.coverage <= 1.0
    for lens, value in result.lenses.items():
        assessed = [c for c in result.competencies if c.lens == lens and c.assessed]
        if assessed:
            assert value is not None
            assert 0.0 <= value <= 100.0
        else:
            assert value is None


@given(cases(), st.data())
def test_more_panel_evidence_never_lowers_coverage(case: Case, data: st.DataObject) -> None:
    before = score_assessment(case.competencies, case.self_ratings, case.panel)
    unassessed = [key for key, given_ratings in case.panel.items() if not given_ratings]
    assume(unassessed)
    key = data.draw(st.sampled_from(unassessed))
    panel = {**case.panel, key: [data.draw(ratings)]}
    after = score_assessment(case.competencies, case.self_ratings, panel)
    assert after.coverage >= before.coverage


@given(cases(), st.data())
def test_raising_a_panel_rating_never_lowers_readiness(case: Case, data: st.DataObject) -> None:
    raisable = [
        (key, i)
        for key, given_ratings in case.panel.items()
        for i, rating in enumerate(given_ratings)
        if rating < 4
    ]
    assume(raisable)
    key, index = data.draw(st.sampled_from(raisable))
    raised = list(case.panel[key])
    raised[index] = data.draw(st.integers(min_value=raised[index] + 1, max_value=4))
    before = score_assessment(case.competencies, case.self_ratings, case.panel)
    after = score_assessment(case.competencies, case.self_ratings, {**case.panel, key: raised})
    assert after.readiness >= before.readiness
    lens = next(c.lens for c in case.competencies if c.key == key)
    before_lens, after_lens = before.lenses[lens], after.lenses[lens]
    assert before_lens is not None and after_lens is not None
    assert after_lens >= before_lens


@given(cases())
def test_low_coverage_is_always_insufficient_evidence(case: Case) -> None:
    result = score_assessment(case.competencies, case.self_ratings, case.panel)
    if result.coverage < 0.8:
        assert result.band == "insufficient-evidence"
    if any(c.must_have and not c.assessed for c in result.competencies):
        assert result.band == "insufficient-evidence"


@given(cases())
def test_band_agrees_with_the_figures_shown(case: Case) -> None:
    result = score_assessment(case.competencies, case.self_ratings, case.panel)
    if result.band == "ready-now":
        assert result.readiness >= 85.0
        assert result.must_have_unmet == ()
    if result.band == "ready-with-support":
        assert result.readiness >= 65.0
        assert all(c.gap is not None and c.gap <= 1 for c in result.competencies if c.must_have)
    for c in result.competencies:
        if c.assessed:
            assert c.gap is not None and c.panel is not None
            assert c.gap == max(round(c.required - c.panel, 2), 0.0)


@given(cases(), st.data())
def test_stakeholder_ratings_never_change_the_score(case: Case, data: st.DataObject) -> None:
    keys = [c.key for c in case.competencies]
    stakeholders = data.draw(
        st.dictionaries(st.sampled_from(keys), st.lists(ratings, max_size=12), max_size=len(keys))
    )
    responses = data.draw(st.integers(min_value=0, max_value=12))
    threshold = data.draw(st.integers(min_value=1, max_value=5))
    before = score_assessment(case.competencies, case.self_ratings, case.panel)
    after = score_assessment(
        case.competencies,
        case.self_ratings,
        case.panel,
        stakeholders,
        stakeholder_responses=responses,
        stakeholder_min=threshold,
    )
    assert (after.readiness, after.coverage, after.band) == (
        before.readiness,
        before.coverage,
        before.band,
    )
    assert after.lenses == before.lenses
    assert after.must_have_unmet == before.must_have_unmet
    assert after.must_have_gap_sum == before.must_have_gap_sum
    for b, a in zip(before.competencies, after.competencies, strict=True):
        assert (a.panel, a.gap, a.attainment) == (b.panel, b.gap, b.attainment)
        assert tuple(f for f in a.flags if f != "stakeholder-concern") == b.flags
        given_levels = stakeholders.get(a.key, [])
        assert a.stakeholder_count == len(given_levels)
        assert (a.stakeholder is None) == (len(given_levels) < threshold)
        concern = a.stakeholder is not None and a.panel is not None
        concern = concern and round(a.panel - a.stakeholder, 2) >= 1.5  # type: ignore[operator]
        assert ("stakeholder-concern" in a.flags) == concern
