"""HR and the CPO edit induction templates: items, order, validation and stale edits."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.induction import services as induction
from app.models import AuditEvent, InductionTemplateRecord
from tests.fixtures.client import Browser, parse


@pytest.fixture
def template_id(app: Flask) -> int:
    with app.app_context():
        record = induction.ensure_default_template(None)
        db.session.commit()
        return record.id


def _record(app: Flask) -> InductionTemplateRecord:
    with app.app_context():
        record = db.session.scalar(select(InductionTemplateRecord))
        db.session.expunge(record)
        return record


def _item(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Shadow the finance business partner",
        "description": "Sit in on the monthly close and ask how the stream's numbers are built.",
        "category": "pnl-and-commercial",
        "owner": "exec",
        "due_offset_days": "21",
    }
    data.update(changes)
    return data


def test_hr_lists_and_opens_the_shipped_template(browser_as, template_id: int) -> None:
    hr: Browser = browser_as("hr")
    page = hr.get("/induction/templates")
    link = page.select_one("table a")
    assert link.get_text() == "Product Director induction"
    page = hr.get(link["href"])
    rows = page.select("tbody tr")
    assert len(rows) == 23
    first = rows[0].get_text(" ", strip=True)
    assert "Read the role definition and agree expectations with the CPO" in first
    assert "Chief Product Officer" in first and "Day 0" in first


def test_change_an_item_saves_it_and_audits_old_and_new(
    app: Flask, browser_as, template_id: int
) -> None:
    before = _record(app)
    cpo: Browser = browser_as("cpo")
    url = f"/induction/templates/{template_id}/items/2"
    form = cpo.get(url)
    assert form.select_one("input[name=version]")["value"] == str(before.version)
    cpo.post(url, _item(version=str(before.version)))

    after = _record(app)
    assert after.items[1]["title"] == "Shadow the finance business partner"
    assert after.items[1]["due_offset_days"] == 21
    assert after.version == before.version + 1
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "induction.template_item_edit")
        )
        assert event.old_value["title"] == before.items[1]["title"]
        assert event.new_value["title"] == "Shadow the finance business partner"


def test_invalid_item_is_refused_with_messages_and_the_input_kept(
    app: Flask, browser_as, template_id: int
) -> None:
    version = _record(app).version
    response = browser_as("hr").post(
        f"/induction/templates/{template_id}/items/new",
        _item(title="  ", due_offset_days="-3", owner="", version=str(version)),
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "<title>Error: Add an item" in html
    assert "Enter a title for the item" in html
    assert "Enter a whole number of days from 0 to 730" in html
    assert "Select who makes the item happen" in html
    assert "Sit in on the monthly close" in html
    assert len(_record(app).items) == 23


def test_domain_validation_names_the_item(app_ctx: Flask) -> None:
    record = induction.ensure_default_template(None)
    items = [dict(i) for i in record.items]
    items[3] = {**items[3], "category": "golf"}
    with pytest.raises(induction.TemplateItemError) as caught:
        induction.validate_items(record, items)
    assert caught.value.messages == [
        f"Item 4 (“{items[3]['title']}”): category must be one of role-and-ways-of-working,"
        " multidisciplinary-roles, pnl-and-commercial, customers-research-data,"
        " external-time, shadowing"
    ]


def test_stale_edit_is_refused_showing_both_versions(
    app: Flask, browser_as, template_id: int
) -> None:
    opened = _record(app).version
    hr: Browser = browser_as("hr")
    hr.post(
        f"/induction/templates/{template_id}/items/1",
        _item(title="Someone else's title", version=str(opened)),
    )
    response = hr.post(
        f"/induction/templates/{template_id}/items/1",
        _item(title="My late title", version=str(opened)),
        status=409,
    )
    page = parse(response)
    assert (
        "Someone else changed this template after you opened it"
        in page.select_one(".govuk-error-summary").get_text()
    )
    assert page.select_one("input[name=title]")["value"] == "My late title"  # input kept
    assert "Someone else's title" in page.select_one(".sl-saved").get_text()  # beside saved
    assert _record(app).items[0]["title"] == "Someone else's title"


def test_move_and_remove_items(app: Flask, browser_as, template_id: int) -> None:
    before = _record(app)
    first, second = before.items[0]["title"], before.items[1]["title"]
    cpo: Browser = browser_as("cpo")
    cpo.post(
        f"/induction/templates/{template_id}/items/1/move",
        {"direction": "down", "version": str(before.version)},
    )
    moved = _record(app)
    assert [moved.items[0]["title"], moved.items[1]["title"]] == [second, first]

    cpo.post(f"/induction/templates/{template_id}/items/2/remove", {"version": str(moved.version)})
    removed = _record(app)
    assert len(removed.items) == 22
    assert first not in [i["title"] for i in removed.items]

    # A stale version moves nothing.
    cpo.post(
        f"/induction/templates/{template_id}/items/1/move",
        {"direction": "down", "version": str(moved.version)},
    )
    assert _record(app).items == removed.items


def test_last_item_cannot_be_removed(app_ctx: Flask) -> None:
    record = induction.ensure_default_template(None)
    record.items = record.items[:1]
    db.session.flush()
    with pytest.raises(induction.TemplateItemError, match="at least one item"):
        induction.remove_item(record, 0, expected_version=record.version, actor=None)


def test_execs_and_interviewers_cannot_edit_templates(browser_as, template_id: int) -> None:
    browser_as("exec").get("/induction/templates", status=403)
    browser_as("interviewer").get(f"/induction/templates/{template_id}", status=403)
    browser_as("admin").get(f"/induction/templates/{template_id}/items/1", status=403)
