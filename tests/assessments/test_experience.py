"""Experience coverage, worked by hand."""

from __future__ import annotations

from assessments.experience import coverage, needed_functions


def test_coverage_reads_each_function_and_summarises() -> None:
    result = coverage(
        ["product", "design", "engineering", "data"],
        {"product": "deep", "design": "some", "engineering": "none", "finance": "deep"},
    )
    assert [(r.function, r.level, r.label) for r in result.rows] == [
        ("product", "deep", "Deep"),
        ("design", "some", "Some"),
        ("engineering", "none", "None"),
        ("data", "none", "None"),  # not in the profile
    ]
    assert result.covered == 2
    assert result.gaps == ["engineering", "data"]
    assert result.summary == "2 of 4 functions (1 deep, 1 some)"


def test_unknown_levels_and_no_profile_count_as_no_experience() -> None:
    assert coverage(["product"], {"product": "expert"}).gaps == ["product"]
    assert coverage(["product", "data"], None).summary == "0 of 2 functions (0 deep, 0 some)"
    assert coverage([], {"product": "deep"}).summary == "0 of 0 functions (0 deep, 0 some)"


def test_the_stream_names_the_functions_else_the_role_does() -> None:
    assert needed_functions(["data"], ["product", "design"]) == ["data"]
    assert needed_functions([], ["product", "design"]) == ["product", "design"]
    assert needed_functions(None, ["product"]) == ["product"]
