"""Focus areas: every must-have covered twice, nobody over six when possible, balanced, the
same answer every time."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.focus import (
    MAX_FOCUS,
    FocusItem,
    coverage_counts,
    focus_items,
    focus_places,
    members_needed,
    outside_focus,
    split_focus,
    thin_must_haves,
)
from assessments.role_files import load_default_role, load_shipped_role

ITEMS = st.lists(
    st.builds(
        FocusItem,
        key=st.just(""),
        must_have=st.booleans(),
        weight=st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]),
    ),
    min_size=1,
    max_size=20,
).map(lambda items: [FocusItem(f"c{n}", i.must_have, i.weight) for n, i in enumerate(items)])
PANELS = st.integers(min_value=1, max_value=8).map(lambda n: [f"m{k}" for k in range(n)])


@settings(max_examples=300, deadline=None)
@given(items=ITEMS, members=PANELS)
def test_every_must_have_is_covered_by_two_members_when_the_panel_has_two(
    items: list[FocusItem], members: list[str]
) -> None:
    focus = split_focus(items, members)
    counts = coverage_counts(items, focus)
    for item in items:
        if item.must_have:
            assert counts[item.key] >= min(2, len(members))
    assert thin_must_haves(items, focus, len(members)) == []


@settings(max_examples=300, deadline=None)
@given(items=ITEMS, members=PANELS)
def test_nobody_has_more_than_six_when_the_must_haves_allow_it(
    items: list[FocusItem], members: list[str]
) -> None:
    focus = split_focus(items, members)
    must = sum(1 for i in items if i.must_have)
    copies = must * min(2, len(members))
    if copies <= MAX_FOCUS * len(members):
        assert max(len(keys) for keys in focus.values()) <= MAX_FOCUS
    else:
        # The must-haves need more room than six each: spread as evenly as they can be.
        assert max(len(keys) for keys in focus.values()) == math.ceil(copies / len(members))


@settings(max_examples=300, deadline=None)
@given(items=ITEMS, members=PANELS)
def test_the_split_is_balanced_and_every_competency_is_covered_while_there_is_room(
    items: list[FocusItem], members: list[str]
) -> None:
    focus = split_focus(items, members)
    loads = [len(keys) for keys in focus.values()]
    assert max(loads) - min(loads) <= 1
    for keys in focus.values():
        assert len(set(keys)) == len(keys)  # nobody gets a competency twice
        assert list(keys) == sorted(keys, key=lambda k: int(k[1:]))  # the role's order
    must = sum(1 for i in items if i.must_have)
    demand = must * min(2, len(members)) + (len(items) - must)
    if demand <= MAX_FOCUS * len(members):
        assert all(count >= 1 for count in coverage_counts(items, focus).values())


@settings(max_examples=100, deadline=None)
@given(items=ITEMS, members=PANELS)
def test_the_same_input_gives_the_same_split(items: list[FocusItem], members: list[str]) -> None:
    assert split_focus(items, members) == split_focus(list(items), list(members))


def test_the_shipped_role_with_a_panel_of_three() -> None:
    items = focus_items(load_default_role().competencies)
    focus = split_focus(items, ["cpo", "tom", "ana"])
    assert sorted(len(keys) for keys in focus.values()) in ([5, 6, 6], [6, 6, 6], [5, 5, 6])
    counts = coverage_counts(items, focus)
    assert all(counts[i.key] >= 2 for i in items if i.must_have)
    assert all(counts[i.key] >= 1 for i in items)


def test_one_member_gets_the_must_haves_first_and_an_empty_panel_nothing() -> None:
    items = [FocusItem("a", False, 3), FocusItem("b", True, 1), FocusItem("c", False, 1)]
    assert split_focus(items, ["solo"]) == {"solo": ("a", "b", "c")}
    assert split_focus(items, []) == {}


def test_product_director_v2_needs_four_members_and_three_leave_four_outside_focus() -> None:
    items = focus_items(load_shipped_role("product-director-v2.yaml").competencies)
    assert focus_places(items) == 22 and members_needed(items) == 4
    three = split_focus(items, ["a", "b", "c"])
    assert all(len(keys) <= MAX_FOCUS for keys in three.values())
    assert thin_must_haves(items, three, 3) == []
    assert len(outside_focus(items, three)) == 4
    assert outside_focus(items, split_focus(items, ["a", "b", "c", "d"])) == []


@settings(max_examples=200, deadline=None)
@given(items=ITEMS, members=PANELS)
def test_a_panel_as_large_as_needed_leaves_nothing_outside_focus(
    items: list[FocusItem], members: list[str]
) -> None:
    focus = split_focus(items, members)
    if len(members) >= members_needed(items):
        assert outside_focus(items, focus) == []
        assert all(len(keys) <= MAX_FOCUS for keys in focus.values())
