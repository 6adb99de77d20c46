"""A selected exec's induction checklist: created from the template, ticked, overdue items."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.coaching import plans
from app.extensions import db
from app.induction import services as induction
from app.models import AuditEvent, CoachingPlan, InductionChecklist, InductionTask, User
from assessments.induction import load_default_induction
from tests.fixtures.builders import person, selected_exec
from tests.fixtures.client import Browser


def _setup(app: Flask, exec_user: User, cpo_user: User, days_ago: int = 10) -> int:
    with app.app_context():
        assessment = selected_exec(
            db.session.get(User, exec_user.id),
            cpo=db.session.get(User, cpo_user.id),
            days_ago=days_ago,
        )
        db.session.commit()
        return assessment.id


def test_selection_creates_checklist_from_template_with_due_dates(app_ctx: Flask) -> None:
    cpo = person("cpo", "Priya Raman")
    exec_user = person("exec")
    start = date(2026, 9, 1)
    assessment = selected_exec(exec_user, cpo=cpo, start=start)
    db.session.commit()

    checklist = assessment.checklist
    template = load_default_induction()
    assert checklist.start_date == start
    assert checklist.template_name == "Product Director induction"
    assert [t.title for t in checklist.tasks] == [i.title for i in template.items]
    assert [t.due_date for t in checklist.tasks] == [
        start + timedelta(days=i.due_offset_days) for i in template.items
    ]
    assert [t.position for t in checklist.tasks] == list(range(1, len(template.items) + 1))
    assert not any(t.done for t in checklist.tasks)


def test_starting_twice_keeps_one_checklist_and_one_plan(app_ctx: Flask) -> None:
    cpo = person("cpo")
    assessment = selected_exec(person("exec"), cpo=cpo, start=date(2026, 9, 1))
    plans.start_after_selection(assessment, date(2026, 10, 1), cpo)
    db.session.commit()

    assert db.session.scalar(select(func.count()).select_from(InductionChecklist)) == 1
    assert db.session.scalar(select(func.count()).select_from(CoachingPlan)) == 1
    assert assessment.checklist.start_date == date(2026, 9, 1)


def test_checklist_follows_the_edited_template(app_ctx: Flask) -> None:
    cpo = person("cpo")
    record = induction.ensure_default_template(cpo)
    item = {
        "title": "Visit a customer with the sales team",
        "description": "Spend a morning on a customer visit.",
        "category": "customers-research-data",
        "owner": "exec",
        "due_offset_days": 3,
    }
    induction.add_item(record, item, expected_version=record.version, actor=cpo)
    assessment = selected_exec(person("exec"), cpo=cpo, start=date(2026, 9, 1))

    last = assessment.checklist.tasks[-1]
    assert last.title == "Visit a customer with the sales team"
    assert last.due_date == date(2026, 9, 4)


def test_exec_ticks_an_item_with_a_note_and_the_progress_moves(
    app: Flask, browser_as, make_user
) -> None:
    exec_user = make_user("exec")
    assessment_id = _setup(app, exec_user, make_user("cpo"))
    browser: Browser = browser_as(exec_user)
    page = browser.get(f"/assessments/{assessment_id}/induction")
    assert page.h1.get_text(strip=True) == "Your induction"
    assert page.select_one(".sl-progress__value").get_text() == "0 of 23 done (0%)"

    with app.app_context():
        checklist = db.session.scalar(select(InductionChecklist))
        task_id = checklist.tasks[0].id
        title = checklist.tasks[0].title
    browser.post(
        f"/assessments/{assessment_id}/induction/tasks/{task_id}/tick",
        {f"task-{task_id}-note": "Met the CPO on Monday; expectations written up."},
    )
    page = browser.get(f"/assessments/{assessment_id}/induction")
    assert page.select_one(".sl-progress__value").get_text() == "1 of 23 done (4%)"
    assert page.select_one("progress.sl-progress__bar")["value"] == "1"
    item = page.select_one(f"#task-{task_id}")
    assert item.select_one(".govuk-tag--green").get_text() == "Done"
    assert "Met the CPO on Monday; expectations written up." in item.get_text()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "induction.tick"))
        assert event.actor_id == exec_user.id
        assert event.old_value == {"done": False, "note": ""}
        assert event.new_value["note"] == "Met the CPO on Monday; expectations written up."
        assert title in event.summary

    browser.post(f"/assessments/{assessment_id}/induction/tasks/{task_id}/untick")
    page = browser.get(f"/assessments/{assessment_id}/induction")
    assert page.select_one(".sl-progress__value").get_text() == "0 of 23 done (0%)"
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "induction.untick")
            )
            == 1
        )


def test_overdue_items_stand_out_with_the_word_overdue(app: Flask, browser_as, make_user) -> None:
    exec_user = make_user("exec")
    assessment_id = _setup(app, exec_user, make_user("cpo"), days_ago=30)
    today = date.today()
    with app.app_context():
        tasks = db.session.scalar(select(InductionChecklist)).tasks
        late = {t.id for t in tasks if t.due_date < today}
        due_today = [t.id for t in tasks if t.due_date == today]
    assert late  # the shipped template has items due in the first month

    page = browser_as(exec_user).get(f"/assessments/{assessment_id}/induction")
    flagged = {int(li["id"].removeprefix("task-")) for li in page.select("li.sl-task.sl-overdue")}
    assert flagged == late
    for task_id in late:
        assert page.select_one(f"#task-{task_id} .sl-overdue__label").get_text() == "Overdue"
    for task_id in due_today:  # due today is not late
        assert "sl-overdue" not in page.select_one(f"#task-{task_id}")["class"]
    callout = page.select_one("p.sl-overdue").get_text(" ", strip=True)
    assert f"{len(late)} items are past their due date" in callout


def test_exec_home_shows_induction_progress(app: Flask, browser_as, make_user) -> None:
    exec_user = make_user("exec")
    _setup(app, exec_user, make_user("cpo"), days_ago=30)
    with app.app_context():
        summary = induction.summarise(db.session.scalar(select(InductionChecklist)))
    page = browser_as(exec_user).get("/")
    titles = [h.get_text(strip=True) for h in page.select(".sl-card__title")]
    assert f"Induction: 0 of 23 done, {summary.overdue} overdue" in titles


def test_tick_with_unstorable_note_keeps_the_input_and_saves_nothing(
    app: Flask, browser_as, make_user
) -> None:
    exec_user = make_user("exec")
    assessment_id = _setup(app, exec_user, make_user("cpo"))
    with app.app_context():
        task_id = db.session.scalar(select(InductionChecklist)).tasks[2].id
    response = browser_as(exec_user).post(
        f"/assessments/{assessment_id}/induction/tasks/{task_id}/tick",
        {f"task-{task_id}-note": "Done\x07 with a bell"},
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "<title>Error: Your induction" in html
    assert "Note or evidence contains characters that cannot be stored" in html
    assert "Done\x07 with a bell" in html  # what was typed is kept
    with app.app_context():
        assert not db.session.scalar(select(InductionChecklist)).tasks[2].done


def test_people_reach_only_the_checklists_the_policy_allows(
    app: Flask, browser_as, make_user
) -> None:
    owner = make_user("exec")
    assessment_id = _setup(app, owner, make_user("cpo"))
    with app.app_context():
        task_id = db.session.scalar(select(InductionChecklist)).tasks[0].id
    url = f"/assessments/{assessment_id}/induction"

    browser_as("exec").get(url, status=403)
    browser_as("interviewer").get(url, status=403)
    browser_as("admin").get(url)
    browser_as("admin").post(f"{url}/tasks/{task_id}/tick", status=403)
    hr = browser_as("hr")
    assert hr.get(url).h1.get_text(strip=True).startswith("Induction: ")
    hr.post(f"{url}/tasks/{task_id}/tick", {f"task-{task_id}-note": "Booked by HR"})
    with app.app_context():
        assert db.session.scalar(select(InductionChecklist)).tasks[0].done


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_each_items_form_carries_a_working_csrf_token(
    app: Flask, browser_as, make_user, request: pytest.FixtureRequest
) -> None:
    exec_user = make_user("exec")
    assessment_id = _setup(app, exec_user, make_user("cpo"))
    browser: Browser = browser_as(exec_user)  # signs in before CSRF is switched on
    request.getfixturevalue("csrf_on")
    page = browser.get(f"/assessments/{assessment_id}/induction")
    form = page.select("form[action$='/tick']")[1]
    token = form.select_one("input[name$=csrf_token]")
    task_id = int(form["action"].split("/")[-2])
    browser.post(form["action"], {f"task-{task_id}-note": "No token"}, status=400)
    browser.post(form["action"], {token["name"]: token["value"], f"task-{task_id}-note": "Ok"})
    with app.app_context():
        task = next(
            t for t in db.session.scalar(select(InductionChecklist)).tasks if t.id == task_id
        )
        assert task.done and task.note == "Ok"


def test_hr_home_counts_execs_with_overdue_items_not_items(
    app: Flask, browser_as, make_user
) -> None:
    cpo = make_user("cpo")
    late_exec, on_time_exec, caught_up_exec = (make_user("exec") for _ in range(3))
    _setup(app, late_exec, cpo, days_ago=30)
    _setup(app, on_time_exec, cpo, days_ago=0)  # nothing due before today
    caught_up = _setup(app, caught_up_exec, cpo, days_ago=30)
    today = date.today()
    with app.app_context():
        checklist = db.session.scalar(
            select(InductionChecklist).where(InductionChecklist.assessment_id == caught_up)
        )
        for task in checklist.tasks:
            if task.due_date < today:
                task.done = True
        db.session.commit()

    def titles(role_user: User) -> list[str]:
        page = browser_as(role_user).get("/")
        return [h.get_text(strip=True) for h in page.select(".sl-card__title")]

    hr = make_user("hr")
    assert "1 exec has overdue induction items" in titles(hr)
    assert not any("overdue induction" in t for t in titles(cpo))  # a count for HR only
    with app.app_context():
        for task in db.session.scalars(select(InductionTask)):
            task.done = True
        db.session.commit()
    assert not any("overdue induction" in t for t in titles(hr))


def test_counts_in_sql_agree_with_the_checklist_rule(app: Flask, make_user) -> None:
    # The progress page counts items in SQL; it must say exactly what the checklist page says.
    assessment_id = _setup(app, make_user("exec"), make_user("cpo"), days_ago=30)
    with app.app_context():
        checklist = db.session.scalar(select(InductionChecklist))
        checklist.tasks[0].done = True
        checklist.tasks[-1].done = True
        db.session.commit()
        due_days = sorted({t.due_date for t in checklist.tasks})
        for on in [due_days[0], due_days[1], date.today(), due_days[-1] + timedelta(days=1)]:
            expected = induction.summarise(checklist, on)
            assert induction.summaries_of_selected(on) == {assessment_id: expected}, on
        assert {s.overdue for s in induction.summaries_of_selected(date.today()).values()} != {0}
