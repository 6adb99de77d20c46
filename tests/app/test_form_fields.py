"""The shared fields: GOV.UK day/month/year date inputs, and lists edited one row at a time
(with "Add another" and "Remove" working without JavaScript)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from app import localtime
from app.extensions import db
from app.form_fields import DateInputField, ItemListField, rows_changed
from app.forms_common import BaseForm
from app.models import User
from tests.app.coaching.test_reviews import _issued_exec, _review_data
from tests.app.roles.helpers import BASE, hidden_version, role_fields, stored
from tests.fixtures.builders import publish_role, selected_exec
from tests.fixtures.client import Browser, parse
from tests.fixtures.dates import date_parts

# --- dates ------------------------------------------------------------------------------------


class _DateForm(BaseForm):
    class Meta:
        csrf = False

    when = DateInputField("Date of the review", required="Enter the date the review was held")


@pytest.mark.parametrize(
    ("typed", "expected", "message", "marked"),
    [
        ("21 11 2026", date(2026, 11, 21), None, ()),
        ("21 Nov 2026", date(2026, 11, 21), None, ()),
        ("21 november 2026", date(2026, 11, 21), None, ()),
        ("1  2026", None, "Date of the review must include a month", ("month",)),
        (" 11 ", None, "Date of the review must include a day and year", ("day", "year")),
        ("31 2 2026", None, "Date of the review must be a real date", ("day",)),
        (
            "21 13 2026",
            None,
            "Date of the review must be a real date: the month is 1 to 12",
            ("month",),
        ),
        (
            "21 11 26",
            None,
            "Date of the review must include a year with 4 numbers, like 2026",
            ("year",),
        ),
        ("  ", None, "Enter the date the review was held", ("day", "month", "year")),
        ("² 1 2026", None, "Date of the review must be a real date", ("day",)),
        (
            "1 ² 2026",
            None,
            "Date of the review must be a real date: the month is 1 to 12",
            ("month",),
        ),
        (
            "1 1 ²²²²",
            None,
            "Date of the review must include a year with 4 numbers, like 2026",
            ("year",),
        ),
    ],
)
def test_a_date_is_read_from_three_boxes_with_gov_uk_messages(
    app: Flask, typed: str, expected: date | None, message: str | None, marked: tuple[str, ...]
) -> None:
    with app.test_request_context():
        form = _DateForm(MultiDict(date_parts("when", typed)))
        assert form.validate() is (message is None)
        assert form.when.data == expected
        assert form.when.errors == ([message] if message else [])
        assert tuple(form.when.error_parts) == marked


def test_the_review_date_is_three_labelled_boxes_in_a_fieldset(
    app: Flask, browser_as, make_user
) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    exec_user = make_user("exec", name="David Mensah")
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=40)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/reviews/new")
    group = page.select_one("#held_on")
    fieldset = group.find_parent("fieldset")
    assert fieldset["role"] == "group"
    assert fieldset.legend.get_text(strip=True) == "Date of the review"
    labels = [fieldset.find("label", attrs={"for": b["id"]}).get_text() for b in group("input")]
    assert labels == ["Day", "Month", "Year"]
    today = localtime.today()
    assert [b["value"] for b in group("input")] == [
        str(today.day),
        str(today.month),
        str(today.year),
    ]
    assert [b["name"] for b in group("input")] == ["held_on-day", "held_on-month", "held_on-year"]
    assert all(b["inputmode"] == "numeric" and b["type"] == "text" for b in group("input"))
    assert not page.select('input[type="date"]')
    assert "2026-11-21" not in page.get_text()  # the hint shows the order people type in


def test_a_review_date_without_a_month_is_explained_and_what_was_typed_kept(
    app: Flask, browser_as, make_user
) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    exec_user = make_user("exec", name="David Mensah")
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=40)
    data = {**_review_data(30, held_days_ago=1), **date_parts("held_on", "12  2026")}
    response = browser_as(cpo).post(f"/assessments/{assessment_id}/reviews/new", data, status=200)
    page = parse(response)
    assert page.title.get_text().startswith("Error:")
    link = page.select_one(".govuk-error-summary a")
    assert link.get_text() == "Date of the review must include a month"
    assert link["href"] == "#held_on-month"  # the box to fix
    inline = page.select_one("#held_on-error").get_text(" ", strip=True)
    assert inline == "Error: Date of the review must include a month"
    boxes = {b["name"]: b for b in page.select("#held_on input")}
    assert boxes["held_on-day"]["value"] == "12" and boxes["held_on-year"]["value"] == "2026"
    assert "govuk-input--error" in boxes["held_on-month"]["class"]
    assert "govuk-input--error" not in boxes["held_on-day"]["class"]


def test_a_review_date_in_the_future_marks_the_whole_date(
    app: Flask, browser_as, make_user
) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    exec_user = make_user("exec", name="David Mensah")
    assessment_id = _issued_exec(app, exec_user, cpo, days_ago=40)
    tomorrow = localtime.today() + timedelta(days=1)
    data = {**_review_data(30, held_days_ago=1), **date_parts("held_on", tomorrow)}
    page = parse(
        browser_as(cpo).post(f"/assessments/{assessment_id}/reviews/new", data, status=200)
    )
    link = page.select_one(".govuk-error-summary a")
    assert link.get_text() == "The date of the review cannot be in the future"
    assert link["href"] == "#held_on-day"
    assert all("govuk-input--error" in b["class"] for b in page.select("#held_on input"))


def test_every_date_field_in_the_app_is_a_date_input(app: Flask) -> None:
    """No form asks for a date as text or with the browser's mm/dd/yyyy picker."""
    from pathlib import Path

    templates = "\n".join(p.read_text() for p in Path("templates").rglob("*.html"))
    assert 'type="date"' not in templates
    source = "\n".join(p.read_text() for p in Path("app").rglob("*.py"))
    assert "DateField(" not in source.replace("DateInputField(", "")
    assert '"type": "date"' not in source


# --- lists ------------------------------------------------------------------------------------


class _ListForm(BaseForm):
    class Meta:
        csrf = False

    items = ItemListField("Functions", item="function")


def test_a_list_keeps_its_items_drops_blank_rows_and_splits_pasted_lines(app: Flask) -> None:
    with app.test_request_context():
        posted = MultiDict(
            [("items", " Engineering "), ("items", ""), ("items", "- Data\n\n* Design\n")]
        )
        form = _ListForm(posted)
        assert form.items.data == ["Engineering", "Data", "Design"]
        assert not rows_changed(form)


def test_add_another_and_remove_are_row_changes_not_saves(app: Flask) -> None:
    with app.test_request_context():
        form = _ListForm(MultiDict([("items", "A"), ("items", "B"), ("add_row", "items")]))
        assert rows_changed(form)
        assert form.items.rows() == ["A", "B", ""]
        assert _ListForm(MultiDict([("items", "A")])).items.rows() == ["A"]
        assert _ListForm(MultiDict([("items", "")])).items.rows() == [""]
        form = _ListForm(MultiDict([("items", "A"), ("items", "B"), ("remove_row", "items:0")]))
        assert rows_changed(form)
        assert form.items.data == ["B"]
        form = _ListForm(MultiDict([("items", "A"), ("remove_row", "items:9")]))
        assert form.items.data == ["A"]
        form = _ListForm(MultiDict([("items", "A"), ("remove_row", "items:²")]))
        assert form.items.data == ["A"]


@pytest.fixture
def cpo(app: Flask, browser_as) -> Browser:
    publish_role(app)
    return browser_as("cpo")


def test_role_lists_are_rows_not_one_per_line_boxes(app: Flask, cpo: Browser) -> None:
    cpo.post(f"{BASE}/v1/draft", {})
    page = cpo.get(f"{BASE}/v2/edit")
    assert "one per line" not in page.get_text().lower()
    legend = page.select_one("#functions").find_parent("fieldset").legend.get_text(strip=True)
    assert legend == "Functions"
    buttons = [b.get_text(" ", strip=True) for b in page.select("button")]
    assert "Add another function" in buttons
    assert "Remove function 1" in buttons
    # Enter in any box saves: the form's first button is the save button, not a row's Remove.
    first = page.select_one("form[novalidate] button")
    assert first.get_text(strip=True) == "Save role details" and not first.has_attr("name")


def test_add_another_works_without_javascript_and_keeps_what_was_typed(
    app: Flask, cpo: Browser
) -> None:
    cpo.post(f"{BASE}/v1/draft", {})
    page = cpo.get(f"{BASE}/v2/edit")
    content = stored(app, 2)["content"]
    before = stored(app, 2)["version"]
    functions = list(content["functions"])
    data = role_fields(
        content,
        purpose="Typed but not yet saved.",
        functions=[*functions, "Legal"],
        version=hidden_version(page),
    )
    response = cpo.post(f"{BASE}/v2/edit", {**data, "add_row": "functions"}, status=200)
    page = parse(response)
    # The same page, nothing saved, the typed text kept and one more empty row, focused.
    assert not page.select(".govuk-error-summary")
    assert stored(app, 2)["version"] == before
    assert page.find("textarea", attrs={"name": "purpose"}).get_text().strip() == (
        "Typed but not yet saved."
    )
    boxes = page.find_all("textarea", attrs={"name": "functions"})
    assert [b.get_text().strip() for b in boxes] == [*functions, "Legal", ""]
    assert boxes[-1].has_attr("autofocus")
    # Remove the first function, then save: the list is stored in the same format as before.
    data = {
        **data,
        "functions": [b.get_text().strip() for b in boxes[:-1]] + ["Procurement"],  # typed
        "remove_row": "functions:0",
    }
    page = parse(cpo.post(f"{BASE}/v2/edit", data, status=200))
    boxes = page.find_all("textarea", attrs={"name": "functions"})
    assert [b.get_text().strip() for b in boxes] == [*functions[1:], "Legal", "Procurement"]
    data = {k: v for k, v in data.items() if k != "remove_row"}
    data["functions"] = [b.get_text() for b in boxes] + [""]  # an empty row left is dropped
    cpo.post(f"{BASE}/v2/edit", data)
    assert stored(app, 2)["content"]["functions"] == [*functions[1:], "Legal", "Procurement"]


def test_plan_actions_are_three_rows_and_criteria_rows_can_be_added(
    app: Flask, browser_as, make_user
) -> None:
    cpo_user = make_user("cpo", name="Priya Raman")
    exec_user = make_user("exec", name="Sarah Whitfield")
    with app.app_context():
        assessment_id = selected_exec(
            db.session.get(User, exec_user.id), cpo=db.session.get(User, cpo_user.id)
        ).id
        db.session.commit()
    cpo = browser_as(cpo_user)
    page = cpo.get(f"/assessments/{assessment_id}/plan/v1/edit")
    # Each action is a row of its own: what is done, who, by when, and the evidence.
    rows = page.select("fieldset.sl-plan-form__action")[:3]
    legends = [row.legend.get_text(strip=True) for row in rows]
    assert legends[:2] == ["Action 1", "Action 2"]
    assert legends[2].startswith("Action 3")
    for number, row in enumerate(rows):
        names = {f["name"] for f in row.select("textarea, select, input")}
        assert names == {
            f"goals-0-actions-{number}-{part}"
            for part in ("do", "owner", "within_weeks", "evidence")
        }
    assert "Add another action" not in page.get_text()  # three is the most a goal has
    assert "Add another criterion" in page.get_text()
    assert "one per line" not in page.get_text().lower()
