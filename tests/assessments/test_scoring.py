"""Hand-worked scoring examples: every figure below is worked out in the comment beside it."""

from __future__ import annotations

import json

import pytest

from assessments.model import Competency
from assessments.scoring import (
    BAND_LABELS,
    BANDS,
    FLAG_LABELS,
    RankEntry,
    ScoreResult,
    rank_candidates,
    score_assessment,
    score_to_json,
)


def comp(
    key: str,
    *,
    lens: str = "value",
    weight: float = 1.0,
    required: int = 3,
    must_have: bool = False,
    name: str | None = None,
) -> Competency:
    return Competency(
        key=key,
        name=name or key.title(),
        description="",
        lens=lens,
        weight=weight,
        required_level=required,
        must_have=must_have,
        levels={1: "one", 2: "two", 3: "three", 4: "four"},
        interview_questions=(),
        self_prompts=(),
    )


# A three-competency role used by several tests.
ROLE = (
    comp("outcomes", lens="value", weight=0.4, required=3, must_have=True, name="Outcomes"),
    comp("flow", lens="workflow", weight=0.35, required=3, name="Flow"),
    comp("quality", lens="quality", weight=0.25, required=2, name="Quality"),
)


def ready_now_result() -> ScoreResult:
    # outcomes: P = (3 + 4) / 2 = 3.5, attainment min(3.5 / 3, 1) = 1, gap 0
    # flow:     P = (2 + 3 + 3) / 3 = 2.666.. -> 2.67, attainment 2.666../3 = 0.888.. -> 0.889,
    #           gap 3 - 2.67 = 0.33
    # quality:  P = 2, attainment 1, gap 0
    # readiness = 100 x (0.4 x 1 + 0.35 x 8/9 + 0.25 x 1) / 1.0 = 96.111.. -> 96.1
    return score_assessment(
        ROLE,
        {"outcomes": 2, "flow": 3, "quality": 4},
        {"outcomes": [3, 4], "flow": [2, 3, 3], "quality": [2]},
    )


class TestWorkedExample:
    def test_headline_figures(self) -> None:
        result = ready_now_result()
        assert result.readiness == 96.1
        assert result.coverage == 1.0
        assert result.band == "ready-now"
        assert result.band_label == "Ready now"
        assert result.must_have_unmet == ()
        assert result.must_have_unassessed == ()

    def test_each_competency(self) -> None:
        outcomes, flow, quality = ready_now_result().competencies
        assert (outcomes.panel, outcomes.gap, outcomes.attainment) == (3.5, 0.0, 1.0)
        assert (flow.panel, flow.gap, flow.attainment) == (2.67, 0.33, 0.889)
        assert (quality.panel, quality.gap, quality.attainment) == (2.0, 0.0, 1.0)
        assert flow.ratings == (2, 3, 3)
        assert [c.key for c in ready_now_result().competencies] == ["outcomes", "flow", "quality"]
        assert (outcomes.met, flow.met, quality.met) == (True, False, True)

    def test_flags(self) -> None:
        outcomes, flow, quality = ready_now_result().competencies
        # outcomes: P - S = 3.5 - 2 = 1.5 -> hidden strength; spread 4 - 3 = 1, no calibrate
        assert outcomes.flags == ("hidden-strength",)
        # flow: S - P = 3 - 2.67 = 0.33, spread 1
        assert flow.flags == ()
        # quality: S - P = 4 - 2 = 2 -> blind spot
        assert quality.flags == ("blind-spot",)
        result = ready_now_result()
        assert [c.key for c in result.blind_spots] == ["quality"]
        assert [c.key for c in result.hidden_strengths] == ["outcomes"]

    def test_lens_readiness(self) -> None:
        # value: outcomes only -> 100.0; workflow: flow only -> 88.888.. -> 88.9;
        # quality: 100.0; leadership has no competency -> None. Keys in LENSES order.
        assert ready_now_result().lenses == {
            "value": 100.0,
            "workflow": 88.9,
            "quality": 100.0,
            "leadership": None,
        }
        assert list(ready_now_result().lenses) == ["value", "workflow", "quality", "leadership"]


class TestBands:
    def test_ready_with_support_with_must_have_gap_exactly_one(self) -> None:
        role = (comp("must", must_have=True), comp("other", weight=3))
        # must: P = 2, gap 3 - 2 = 1, attainment 2/3; other: P = 3, attainment 1
        # readiness = 100 x (1 x 2/3 + 3 x 1) / 4 = 91.666.. -> 91.7
        # >= 85 but a must-have is unmet, so not ready-now; its gap 1 <= 1 -> ready-with-support
        result = score_assessment(role, {}, {"must": [2], "other": [3, 3]})
        assert result.readiness == 91.7
        assert result.must_have_unmet == ("must",)
        assert result.competencies[0].gap == 1.0
        assert result.band == "ready-with-support"

    def test_must_have_gap_over_one_is_not_yet_ready(self) -> None:
        role = (comp("must", must_have=True), comp("other", weight=3))
        # must: P = (2 + 2 + 1) / 3 = 1.666.. -> 1.67, gap 3 - 1.67 = 1.33 > 1
        # readiness = 100 x (5/9 + 3) / 4 = 88.888.. -> 88.9, high but the gap is too wide
        result = score_assessment(role, {}, {"must": [2, 2, 1], "other": [3]})
        assert result.readiness == 88.9
        assert result.competencies[0].gap == 1.33
        assert result.band == "not-yet-ready"
        assert result.band_label == "Not yet ready"

    def test_low_readiness_is_not_yet_ready(self) -> None:
        # P = 2 against required 4: attainment 0.5, readiness 50.0 < 65
        result = score_assessment((comp("a", required=4),), {}, {"a": [2]})
        assert (result.readiness, result.band) == (50.0, "not-yet-ready")

    @pytest.mark.parametrize(
        ("met_weight", "unmet_weight", "readiness", "band"),
        [
            # 100 x 17 / (17 + 3) = 85.0 exactly
            (17, 3, 85.0, "ready-now"),
            # 100 x 1699 / 2000 = 84.95 -> shown as 85.0 (half-up), so ready-now
            (1699, 301, 85.0, "ready-now"),
            # 100 x 1698.8 / 2000 = 84.94 -> 84.9
            (1698.8, 301.2, 84.9, "ready-with-support"),
            # 100 x 13 / 20 = 65.0 exactly
            (13, 7, 65.0, "ready-with-support"),
            # 100 x 1299 / 2000 = 64.95 -> 65.0
            (1299, 701, 65.0, "ready-with-support"),
            # 100 x 1298.8 / 2000 = 64.94 -> 64.9
            (1298.8, 701.2, 64.9, "not-yet-ready"),
        ],
    )
    def test_readiness_thresholds_on_the_shown_figure(
        self, met_weight: float, unmet_weight: float, readiness: float, band: str
    ) -> None:
        role = (comp("met", weight=met_weight, required=2), comp("zero", weight=unmet_weight))
        # met: P = 2 = required, attainment 1; zero: P = 0, attainment 0
        result = score_assessment(role, {}, {"met": [2], "zero": [0]})
        assert (result.readiness, result.band) == (readiness, band)

    @pytest.mark.parametrize(
        ("assessed_weight", "missing_weight", "coverage", "band"),
        [
            (4, 1, 0.8, "ready-now"),  # 4 / 5 = 0.8 exactly: enough evidence
            (7995, 2005, 0.8, "ready-now"),  # 0.7995 -> shown 0.8 (half-up): enough
            (7994, 2006, 0.799, "insufficient-evidence"),  # 0.7994 -> 0.799
        ],
    )
    def test_coverage_threshold_on_the_shown_figure(
        self, assessed_weight: float, missing_weight: float, coverage: float, band: str
    ) -> None:
        role = (comp("seen", weight=assessed_weight), comp("unseen", weight=missing_weight))
        # only "seen" is assessed, at its required level: readiness 100.0
        result = score_assessment(role, {}, {"seen": [3]})
        assert (result.coverage, result.readiness, result.band) == (coverage, 100.0, band)

    def test_unassessed_must_have_is_insufficient_whatever_the_coverage(self) -> None:
        role = (comp("big", weight=9), comp("must", must_have=True))
        # coverage 9 / 10 = 0.9 and readiness 100.0, but the must-have has no panel rating
        result = score_assessment(role, {"must": 4}, {"big": [4]})
        assert (result.coverage, result.readiness) == (0.9, 100.0)
        assert result.must_have_unassessed == ("must",)
        assert result.must_have_unmet == ()
        assert result.band == "insufficient-evidence"
        assert result.band_label == "Insufficient evidence"

    def test_nothing_assessed(self) -> None:
        result = score_assessment(ROLE, {"flow": 3}, {})
        assert result.readiness == 0.0
        assert result.coverage == 0.0
        assert result.band == "insufficient-evidence"
        assert result.lenses == {
            "value": None,
            "workflow": None,
            "quality": None,
            "leadership": None,
        }
        assert result.must_have_unassessed == ("outcomes",)
        flow = result.competencies[1]
        assert (flow.panel, flow.gap, flow.attainment, flow.assessed) == (None, None, None, False)
        assert flow.self_rating == 3
        assert flow.flags == ()

    def test_empty_panel_list_counts_as_not_assessed(self) -> None:
        result = score_assessment((comp("a"),), {}, {"a": []})
        assert (result.coverage, result.band) == (0.0, "insufficient-evidence")

    def test_band_constants(self) -> None:
        assert BANDS == (
            "ready-now",
            "ready-with-support",
            "not-yet-ready",
            "insufficient-evidence",
        )
        assert [BAND_LABELS[b] for b in BANDS] == [
            "Ready now",
            "Ready with support",
            "Not yet ready",
            "Insufficient evidence",
        ]
        assert list(FLAG_LABELS.values()) == [
            "Blind spot",
            "Hidden strength",
            "Calibrate",
            "Stakeholder concern",
        ]


class TestRounding:
    def test_readiness_rounds_half_up(self) -> None:
        role = tuple(comp(k, required=4) for k in "abcd")
        # attainments 3/4, 2/4, 2/4, 2/4: readiness = 100 x 2.25 / 4 = 56.25 -> 56.3
        # (Python's round(56.25, 1) gives 56.2)
        result = score_assessment(role, {}, {"a": [3], "b": [2], "c": [2], "d": [2]})
        assert result.readiness == 56.3
        assert result.lenses["value"] == 56.3

    def test_panel_gap_and_attainment_round_half_up(self) -> None:
        role = (comp("a", required=3), comp("b", required=4))
        # a: P = 17 / 8 = 2.125 -> 2.13 (not 2.12); gap 3 - 2.13 = 0.87;
        #    attainment 2.125 / 3 = 0.70833.. -> 0.708
        # b: P = 13 / 4 = 3.25; attainment 3.25 / 4 = 0.8125 -> 0.813 (not 0.812); gap 0.75
        result = score_assessment(role, {}, {"a": [2, 2, 2, 2, 2, 2, 2, 3], "b": [3, 3, 3, 4]})
        a, b = result.competencies
        assert (a.panel, a.gap, a.attainment) == (2.13, 0.87, 0.708)
        assert (b.panel, b.gap, b.attainment) == (3.25, 0.75, 0.813)

    def test_decimal_weights_are_taken_as_written(self) -> None:
        # readiness = 100 x 0.35 / (0.35 + 0.77) = 35 / 1.12 = 31.25 exactly -> 31.3
        # (with binary floats 0.35 and 0.77 this comes out as 31.2499.. -> 31.2)
        role = (comp("met", weight=0.35, required=2), comp("zero", weight=0.77))
        result = score_assessment(role, {}, {"met": [2], "zero": [0]})
        assert result.readiness == 31.3
        # coverage = 0.09 / (0.09 + 1.35) = 0.0625 exactly -> 0.063 (floats give 0.062)
        role = (comp("seen", weight=0.09), comp("unseen", weight=1.35))
        result = score_assessment(role, {}, {"seen": [3]})
        assert result.coverage == 0.063


class TestFlags:
    @pytest.mark.parametrize(
        ("self_rating", "ratings", "flags"),
        [
            (4, [2, 3], ("blind-spot",)),  # 4 - 2.5 = 1.5
            (4, [3, 2, 3], ()),  # 4 - 2.67 = 1.33
            (1, [2, 3], ("hidden-strength",)),  # 2.5 - 1 = 1.5
            (1, [2, 3, 2], ()),  # 2.33 - 1 = 1.33
            (2, [1, 3], ("calibrate",)),  # spread 3 - 1 = 2, P = 2 = S
            (2, [2, 3], ()),  # spread 1
            # P = 3, S = 0: P - S = 3 -> hidden strength; spread 4 - 2 = 2 -> calibrate
            (0, [2, 4], ("hidden-strength", "calibrate")),
        ],
    )
    def test_flag_boundaries(
        self, self_rating: int, ratings: list[int], flags: tuple[str, ...]
    ) -> None:
        result = score_assessment((comp("a"),), {"a": self_rating}, {"a": ratings})
        assert result.competencies[0].flags == flags

    def test_no_self_rating_means_no_self_flags(self) -> None:
        result = score_assessment((comp("a"),), {"a": None}, {"a": [0, 4]})
        assert result.competencies[0].flags == ("calibrate",)
        assert result.competencies[0].self_rating is None


class TestStrengthsAndWeaknesses:
    ROLE = (
        comp("a", weight=1, required=2),  # P 4: 2 above
        comp("b", weight=3, required=3),  # P 4: 1 above, heavy
        comp("c", weight=1, required=3),  # P 4: 1 above, light
        comp("d", weight=2, required=3),  # P 3: met exactly
        comp("e", weight=1, required=4),  # P 1: gap 3, weight x gap 3
        comp("f", weight=4, required=4),  # P 3: gap 1, weight x gap 4
        comp("g", weight=3, required=4),  # P 3: gap 1, weight x gap 3 (ties e; e first)
        comp("h", weight=1, required=3),  # not assessed
    )

    def result(self) -> ScoreResult:
        return score_assessment(
            self.ROLE,
            {},
            {"a": [4], "b": [4], "c": [4], "d": [3], "e": [1], "f": [3], "g": [3]},
        )

    def test_strengths_strongest_first(self) -> None:
        assert [c.key for c in self.result().strengths()] == ["a", "b", "c"]
        assert [c.key for c in self.result().strengths(limit=10)] == ["a", "b", "c", "d"]

    def test_weaknesses_largest_weighted_gap_first(self) -> None:
        assert [c.key for c in self.result().weaknesses()] == ["f", "e", "g"]
        assert [c.key for c in self.result().weaknesses(limit=1)] == ["f"]


class TestValidation:
    def test_self_rating_out_of_range(self) -> None:
        with pytest.raises(
            ValueError, match=r"^Self rating for 'a' must be a whole number from 0 to 4, got 5$"
        ):
            score_assessment((comp("a"),), {"a": 5}, {})

    def test_panel_rating_out_of_range(self) -> None:
        with pytest.raises(
            ValueError, match=r"^Panel rating for 'a' must be a whole number from 0 to 4, got -1$"
        ):
            score_assessment((comp("a"),), {}, {"a": [3, -1]})

    def test_boolean_is_not_a_rating(self) -> None:
        with pytest.raises(ValueError, match=r"^Panel rating for 'a' .* got True$"):
            score_assessment((comp("a"),), {}, {"a": [True]})

    def test_unknown_keys(self) -> None:
        with pytest.raises(ValueError, match=r"^Self rating given for unknown competency 'zz'$"):
            score_assessment((comp("a"),), {"zz": 2}, {})
        with pytest.raises(ValueError, match=r"^Panel ratings given for unknown competency 'zz'$"):
            score_assessment((comp("a"),), {}, {"zz": [2]})

    def test_bad_role_data(self) -> None:
        with pytest.raises(ValueError, match=r"^Competency 'a' appears more than once$"):
            score_assessment((comp("a"), comp("a")), {}, {})
        with pytest.raises(ValueError, match=r"^Competency 'a' has unknown lens 'money'$"):
            score_assessment((comp("a", lens="money"),), {}, {})
        with pytest.raises(ValueError, match=r"^Competency 'a' has required level 0; it must be"):
            score_assessment((comp("a", required=0),), {}, {})


def _result(ratings: dict[str, list[int]]) -> ScoreResult:
    role = (comp("must", must_have=True), comp("other"))
    return score_assessment(role, {}, ratings)


class TestRanking:
    def test_band_then_readiness_then_must_have_gaps_then_name(self) -> None:
        # ready-now: both met, readiness 100.0
        top = _result({"must": [3], "other": [3]})
        # ready-with-support, 83.3 = 100 x (2/3 + 1) / 2, must-have gap sum 1
        support_gap = _result({"must": [2], "other": [3]})
        # ready-with-support, 83.3 = 100 x (1 + 2/3) / 2, must-have gap sum 0
        support_clean = _result({"must": [3], "other": [2]})
        # ready-with-support, 66.7 = 100 x (2/3 + 2/3) / 2
        support_low = _result({"must": [2], "other": [2]})
        # not-yet-ready: 100 x (1/3 + 1) / 2 = 66.7 but must-have gap 2
        not_yet = _result({"must": [1], "other": [3]})
        # insufficient evidence: must-have not assessed (readiness 100.0 over what was seen)
        unknown = _result({"other": [4]})
        assert [support_gap.readiness, support_clean.readiness] == [83.3, 83.3]
        assert [support_gap.must_have_gap_sum, support_clean.must_have_gap_sum] == [1.0, 0.0]
        assert [top.band, support_low.band, not_yet.band, unknown.band] == [
            "ready-now",
            "ready-with-support",
            "not-yet-ready",
            "insufficient-evidence",
        ]
        entries = [
            RankEntry("Unknown", unknown, ref=6),
            RankEntry("Bob", support_low, ref=4),
            RankEntry("Nat", not_yet, ref=5),
            RankEntry("alice", support_low, ref=3),
            RankEntry("Adams", support_gap, ref=2),
            RankEntry("Young", support_clean, ref=1),
            RankEntry("Zed", top, ref=0),
        ]
        ranked = rank_candidates(entries)
        # Young before Adams: same band and readiness, smaller must-have gap sum.
        # "alice" before "Bob" although "B" < "a" in a case-sensitive sort
        assert [e.name for e in ranked] == [
            "Zed",
            "Young",
            "Adams",
            "alice",
            "Bob",
            "Nat",
            "Unknown",
        ]
        assert [e.ref for e in ranked] == [0, 1, 2, 3, 4, 5, 6]

    def test_insufficient_evidence_ranks_last_even_with_high_readiness(self) -> None:
        unknown = _result({"other": [4]})  # readiness 100.0, insufficient
        weak = _result({"must": [1], "other": [1]})  # 33.3, not-yet-ready
        ranked = rank_candidates([RankEntry("A", unknown), RankEntry("B", weak)])
        assert [e.name for e in ranked] == ["B", "A"]


class TestJson:
    def test_exact_shape(self) -> None:
        data = score_to_json(ready_now_result(), candidate="Ada Lovelace", role="pd", version=2)
        assert data == {
            "candidate": "Ada Lovelace",
            "role": "pd",
            "version": 2,
            "readiness": 96.1,
            "band": "ready-now",
            "coverage": 1.0,
            "lenses": {"value": 100.0, "workflow": 88.9, "quality": 100.0, "leadership": None},
            "must_have_unmet": [],
            "competencies": [
                {
                    "key": "outcomes",
                    "required": 3,
                    "weight": 0.4,
                    "self": 2,
                    "panel": 3.5,
                    "ratings": [3, 4],
                    "gap": 0.0,
                    "attainment": 1.0,
                    "flags": ["hidden-strength"],
                    "stakeholder": None,
                    "stakeholder_count": 0,
                },
                {
                    "key": "flow",
                    "required": 3,
                    "weight": 0.35,
                    "self": 3,
                    "panel": 2.67,
                    "ratings": [2, 3, 3],
                    "gap": 0.33,
                    "attainment": 0.889,
                    "flags": [],
                    "stakeholder": None,
                    "stakeholder_count": 0,
                },
                {
                    "key": "quality",
                    "required": 2,
                    "weight": 0.25,
                    "self": 4,
                    "panel": 2.0,
                    "ratings": [2],
                    "gap": 0.0,
                    "attainment": 1.0,
                    "flags": ["blind-spot"],
                    "stakeholder": None,
                    "stakeholder_count": 0,
                },
            ],
            "stakeholder_responses": 0,
        }
        assert list(data) == [
            "candidate",
            "role",
            "version",
            "readiness",
            "band",
            "coverage",
            "lenses",
            "must_have_unmet",
            "competencies",
            "stakeholder_responses",
        ]
        first = data["competencies"][0]  # type: ignore[index]
        assert list(first) == [
            "key",
            "required",
            "weight",
            "self",
            "panel",
            "ratings",
            "gap",
            "attainment",
            "flags",
            "stakeholder",
            "stakeholder_count",
        ]

    def test_nulls_and_serialisable(self) -> None:
        result = score_assessment(ROLE, {}, {"flow": [1]})
        data = score_to_json(result, candidate="B", role="pd", version=1)
        text = json.dumps(data)
        assert '"must_have_unmet": []' in text
        assert data["lenses"] == {
            "value": None,
            "workflow": 33.3,
            "quality": None,
            "leadership": None,
        }
        outcomes = data["competencies"][0]  # type: ignore[index]
        assert outcomes == {
            "key": "outcomes",
            "required": 3,
            "weight": 0.4,
            "self": None,
            "panel": None,
            "ratings": [],
            "gap": None,
            "attainment": None,
            "flags": [],
            "stakeholder": None,
            "stakeholder_count": 0,
        }


class TestStakeholders:
    """A third view beside self and panel, never part of the score."""

    # outcomes: 3 stakeholders, S = (1 + 2 + 2) / 3 = 1.666.. -> 1.67; P = 3.5;
    #           P - S = 1.83 >= 1.5 -> stakeholder concern
    # flow:     2 stakeholders only -> S None (below the threshold), count 2
    # quality:  4 stakeholders, S = (1 + 0 + 1 + 0) / 4 = 0.5; P = 2, P - S = 1.5 -> concern
    STAKEHOLDERS = {"outcomes": [1, 2, 2], "flow": [0, 0], "quality": [1, 0, 1, 0]}

    def result(self) -> ScoreResult:
        return score_assessment(
            ROLE,
            {"outcomes": 2, "flow": 3, "quality": 4},
            {"outcomes": [3, 4], "flow": [2, 3, 3], "quality": [2]},
            self.STAKEHOLDERS,
            stakeholder_responses=4,
        )

    def test_means_only_from_the_threshold(self) -> None:
        outcomes, flow, quality = self.result().competencies
        assert (outcomes.stakeholder, outcomes.stakeholder_count) == (1.67, 3)
        assert (flow.stakeholder, flow.stakeholder_count) == (None, 2)
        assert (quality.stakeholder, quality.stakeholder_count) == (0.5, 4)
        assert self.result().stakeholder_responses == 4

    def test_concern_at_one_and_a_half_below_the_panel(self) -> None:
        outcomes, flow, quality = self.result().competencies
        assert outcomes.flags == ("hidden-strength", "stakeholder-concern")
        assert flow.flags == ()
        assert quality.flags == ("blind-spot", "stakeholder-concern")
        assert [c.key for c in self.result().stakeholder_concerns] == ["outcomes", "quality"]
        assert FLAG_LABELS["stakeholder-concern"] == "Stakeholder concern"

    def test_no_concern_just_under_the_difference_nor_without_a_panel_level(self) -> None:
        # P = 3, S = (2 + 2 + 1) / 3 = 1.666.. -> 1.67: P - S = 1.33, no concern.
        # b: no panel level, so nothing to compare however low the stakeholders are.
        role = (comp("a"), comp("b"))
        result = score_assessment(role, {}, {"a": [3]}, {"a": [2, 2, 1], "b": [0, 0, 0]})
        a, b = result.competencies
        assert (a.stakeholder, a.flags) == (1.67, ())
        assert (b.stakeholder, b.panel, b.flags) == (0.0, None, ())

    def test_stakeholders_above_the_panel_raise_no_flag(self) -> None:
        result = score_assessment((comp("a"),), {}, {"a": [1]}, {"a": [4, 4, 4]})
        assert result.competencies[0].stakeholder == 4.0
        assert result.competencies[0].flags == ()

    def test_mean_rounds_half_up(self) -> None:
        # (2 + 2 + 2 + 3 + 3 + 3 + 3 + 3) / 8 = 2.625 -> 2.63 (not the float's 2.62)
        result = score_assessment((comp("a"),), {}, {}, {"a": [2, 2, 2, 3, 3, 3, 3, 3]})
        assert result.competencies[0].stakeholder == 2.63

    def test_threshold_is_a_parameter(self) -> None:
        result = score_assessment((comp("a"),), {}, {}, {"a": [1, 2]}, stakeholder_min=2)
        assert result.competencies[0].stakeholder == 1.5
        with pytest.raises(ValueError, match="stakeholder_min"):
            score_assessment((comp("a"),), {}, {}, {"a": [1]}, stakeholder_min=0)

    def test_score_unchanged_by_stakeholders(self) -> None:
        without = ready_now_result()
        with_them = self.result()
        assert (with_them.readiness, with_them.coverage, with_them.band) == (96.1, 1.0, "ready-now")
        assert with_them.lenses == without.lenses
        assert [(c.panel, c.gap, c.attainment) for c in with_them.competencies] == [
            (c.panel, c.gap, c.attainment) for c in without.competencies
        ]

    def test_stakeholders_alone_assess_nothing(self) -> None:
        result = score_assessment(ROLE, {}, {}, {c.key: [4, 4, 4] for c in ROLE})
        assert (result.readiness, result.coverage, result.band) == (
            0.0,
            0.0,
            "insufficient-evidence",
        )

    def test_bad_stakeholder_ratings_are_refused(self) -> None:
        with pytest.raises(ValueError, match="Stakeholder ratings given for unknown"):
            score_assessment(ROLE, {}, {}, {"nope": [1, 2, 3]})
        with pytest.raises(ValueError, match="Stakeholder rating for 'flow'"):
            score_assessment(ROLE, {}, {}, {"flow": [5]})

    def test_json(self) -> None:
        data = score_to_json(self.result(), candidate="A", role="pd", version=1)
        competencies = data["competencies"]
        assert [(c["stakeholder"], c["stakeholder_count"]) for c in competencies] == [  # type: ignore[attr-defined,index]
            (1.67, 3),
            (None, 2),
            (0.5, 4),
        ]
        assert data["stakeholder_responses"] == 4
        assert '"stakeholder": null' in json.dumps(data)
