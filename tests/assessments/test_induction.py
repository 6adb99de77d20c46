"""The induction template: the shipped programme, validation messages and checklist sums."""

from __future__ import annotations

from datetime import date

import pytest

from assessments.induction import (
    CATEGORIES,
    CATEGORY_LABELS,
    OWNER_LABELS,
    OWNERS,
    InductionItem,
    InductionTemplate,
    InductionTemplateError,
    checklist_progress,
    due_date,
    dump_induction_yaml,
    is_overdue,
    load_default_induction,
    parse_induction_yaml,
)

VALID_ITEM = """
  - title: Meet each discipline lead
    description: One hour with each lead.
    category: multidisciplinary-roles
    owner: exec
    due_offset_days: 14
"""


def test_shipped_induction_covers_every_category_within_ninety_days() -> None:
    template = load_default_induction()

    assert template.key == "product-director-induction"
    assert template.name == "Product Director induction"
    assert len(template.items) >= 18
    assert {item.category for item in template.items} == set(CATEGORIES)
    assert {item.owner for item in template.items} == set(OWNERS)
    offsets = [item.due_offset_days for item in template.items]
    assert min(offsets) == 0
    assert max(offsets) == 90
    titles = [item.title for item in template.items]
    assert len(set(titles)) == len(titles)
    assert "Walk through the journeys' P&L with finance" in titles
    assert "Spend a day observing a Product Director, with the observation guide" in titles


def test_external_time_is_a_kit_from_finding_a_host_to_a_quarterly_peer_group() -> None:
    external = [i for i in load_default_induction().items if i.category == "external-time"]
    by_title = {item.title: item for item in external}

    # In the order the work happens: find, write, agree terms, observe, then keep meeting.
    kit = [
        "Find a non-competing organisation to learn from",
        "Send the outreach note to the host",
        "Agree confidentiality terms with the host",
        "Spend a day observing a Product Director, with the observation guide",
        "Set up or join a quarterly peer group of Product Directors",
    ]
    assert [by_title[t].due_offset_days for t in kit] == sorted(
        by_title[t].due_offset_days for t in kit
    )
    assert "do not compete" in by_title[kit[0]].description
    assert "what they get back" in by_title[kit[1]].description
    assert "customer data" in by_title[kit[2]].description
    assert "what was said no to" in by_title[kit[3]].description
    assert "once a quarter" in by_title[kit[4]].description
    # Each step is owned by whoever can actually do it, not all by the exec.
    assert {by_title[t].owner for t in kit} == {"cpo", "exec", "hr", "mentor"}


def test_every_category_and_owner_has_a_label() -> None:
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert set(OWNER_LABELS) == set(OWNERS)
    assert OWNER_LABELS["cpo"] == "Chief Product Officer"


def test_dump_then_parse_gives_the_same_template() -> None:
    template = InductionTemplate(
        key="custom",
        name="Custom induction: P&L first",
        items=(
            InductionItem(
                title="Read the role — all of it",
                description="Line one.\nLine two with a colon: here.",
                category="pnl-and-commercial",
                owner="hr",
                due_offset_days=0,
            ),
        ),
    )

    assert parse_induction_yaml(dump_induction_yaml(template)) == template
    shipped = load_default_induction()
    assert parse_induction_yaml(dump_induction_yaml(shipped)) == shipped


def test_parse_strips_surrounding_whitespace() -> None:
    template = parse_induction_yaml(
        "key: ' k '\nname: Induction\nitems:\n"
        "  - {title: '  Read  ', description: d, category: shadowing, owner: mentor,"
        " due_offset_days: 3}\n"
    )

    assert template.key == "k"
    assert template.items[0] == InductionItem("Read", "d", "shadowing", "mentor", 3)


def test_every_problem_is_reported_at_once_with_its_place() -> None:
    text = (
        "key: product-director-induction\nname: ''\nextra: 1\nitems:\n"
        + VALID_ITEM
        + """
  - title: Shadow a review
    category: shadowing
    owner: boss
    due_offset_days: -1
  - title: '   '
    description: Fine
    category: marketing
    owner: cpo
    due_offset_days: true
    colour: blue
  - just a string
"""
    )

    with pytest.raises(InductionTemplateError) as caught:
        parse_induction_yaml(text)

    assert caught.value.errors == [
        "extra: unknown field",
        "name: must be non-empty text",
        "items[1].description: is required",
        "items[1].owner: must be one of exec, cpo, hr, mentor",
        "items[1].due_offset_days: must be a whole number of days, 0 or more",
        "items[2].colour: unknown field",
        "items[2].title: must be non-empty text",
        "items[2].category: must be one of role-and-ways-of-working, multidisciplinary-roles,"
        " pnl-and-commercial, customers-research-data, external-time, shadowing",
        "items[2].due_offset_days: must be a whole number of days, 0 or more",
        "items[3]: must be a mapping of title, description, category, owner, due_offset_days",
    ]
    assert str(caught.value).startswith(
        "Induction template is not valid: extra: unknown field; name: must be non-empty text; "
    )
    assert isinstance(caught.value, ValueError)


def test_missing_top_level_fields_are_each_reported() -> None:
    with pytest.raises(InductionTemplateError) as caught:
        parse_induction_yaml("items: []\n")

    assert caught.value.errors == [
        "key: is required",
        "name: is required",
        "items: must be a non-empty list",
    ]


def test_item_missing_every_field_lists_each_one() -> None:
    with pytest.raises(InductionTemplateError) as caught:
        parse_induction_yaml("key: k\nname: n\nitems:\n  - {}\n")

    assert caught.value.errors == [
        "items[0].title: is required",
        "items[0].description: is required",
        "items[0].category: is required",
        "items[0].owner: is required",
        "items[0].due_offset_days: is required",
    ]


def test_text_that_is_not_a_mapping_is_rejected() -> None:
    with pytest.raises(InductionTemplateError) as caught:
        parse_induction_yaml("- a\n- b\n")

    assert caught.value.errors == ["template: must be a mapping with key, name and items"]


def test_broken_yaml_is_reported_not_crashed() -> None:
    with pytest.raises(InductionTemplateError) as caught:
        parse_induction_yaml("key: [unclosed\n")

    assert len(caught.value.errors) == 1
    assert caught.value.errors[0].startswith("not valid YAML: ")


@pytest.mark.parametrize(
    ("done", "total", "percent"),
    [(0, 0, 0), (0, 20, 0), (1, 8, 13), (1, 3, 33), (2, 3, 67), (1, 200, 1), (20, 20, 100)],
)
def test_checklist_progress_rounds_half_up(done: int, total: int, percent: int) -> None:
    assert checklist_progress(done, total) == percent


def test_checklist_progress_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match=r"^done \(5\) cannot be more than total \(4\)$"):
        checklist_progress(5, 4)
    with pytest.raises(ValueError, match=r"^done and total must be 0 or more$"):
        checklist_progress(-1, 4)


def test_an_item_is_overdue_only_after_its_due_day_and_while_not_done() -> None:
    due = date(2025, 3, 31)

    assert is_overdue(due, done=False, today=date(2025, 3, 31)) is False
    assert is_overdue(due, done=False, today=date(2025, 4, 1)) is True
    assert is_overdue(due, done=True, today=date(2025, 4, 1)) is False
    assert is_overdue(due, done=False, today=date(2025, 3, 30)) is False


def test_due_date_counts_calendar_days_from_the_start() -> None:
    assert due_date(date(2025, 1, 31), 30) == date(2025, 3, 2)
    assert due_date(date(2025, 1, 31), 0) == date(2025, 1, 31)
