"""The method's plain types: grouping competencies by lens."""

from __future__ import annotations

from assessments.model import Competency, RoleDefinition, group_by_lens


def _comp(key: str, lens: str) -> Competency:
    return Competency(key, key.title(), "", lens, 1.0, 2, False, {}, (), ())


def _role(*competencies: Competency) -> RoleDefinition:
    return RoleDefinition("r", "Role", "", (), (), (), (), tuple(competencies))


def test_by_lens_follows_the_method_order_not_the_file_order() -> None:
    role = _role(_comp("a", "leadership"), _comp("b", "value"), _comp("c", "leadership"))
    grouped = role.by_lens()
    assert [(lens, [c.key for c in comps]) for lens, comps in grouped] == [
        ("value", ["b"]),
        ("leadership", ["a", "c"]),
    ]


def test_by_lens_leaves_out_empty_lenses_and_an_empty_role_has_no_groups() -> None:
    assert _role().by_lens() == []
    assert [lens for lens, _ in _role(_comp("q", "quality")).by_lens()] == ["quality"]


def test_group_by_lens_works_on_any_item_and_drops_unknown_lenses() -> None:
    items = [("x", "workflow"), ("y", "astrology"), ("z", "value"), ("w", "workflow")]
    assert group_by_lens(items, lambda item: item[1]) == [
        ("value", (("z", "value"),)),
        ("workflow", (("x", "workflow"), ("w", "workflow"))),
    ]
