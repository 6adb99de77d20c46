"""The progress overview: every selected exec on one page, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask

from app.coaching import plans, progress
from app.extensions import db
from app.induction import services as induction
from app.models import User
from tests.fixtures.builders import person, selected_exec
from tests.fixtures.client import Browser
from tests.fixtures.queries import count_queries, forget_cached_pages


def _add_execs(app: Flask, count: int, cpo_id: int) -> None:
    with app.app_context():
        cpo = db.session.get(User, cpo_id)
        for n in range(count):
            assessment = selected_exec(person("exec", f"Exec {n:02d}"), cpo=cpo, days_ago=95 + n)
            plan = assessment.plans[0]
            plans.issue_plan(plan, expected_version=plan.version, actor=cpo)
            induction.tick_task(assessment.checklist.tasks[0], "done", cpo)
            progress.record_review(
                plan,
                checkpoint_day=90,
                held_on=plan.start_date + timedelta(days=90),
                ratings={g["key"]: int(g["baseline"]) for g in plan.content["goals"]},
                actual_load_share=50,
                notes="",
                actor=cpo,
            )
            plans.revise_plan(plan, cpo)
        db.session.commit()


def _queries_for_overview(app: Flask, browser: Browser) -> int:
    browser.get("/progress")  # warm up: sign-in bookkeeping, mapper configuration
    forget_cached_pages(app)  # count the page being built
    with count_queries(app) as statements:
        browser.get("/progress")
    return len(statements)


def test_overview_query_count_does_not_grow_with_execs(app: Flask, browser_as, make_user) -> None:
    cpo = make_user("cpo")
    browser: Browser = browser_as("hr")
    _add_execs(app, 2, cpo.id)
    two = _queries_for_overview(app, browser)
    _add_execs(app, 3, cpo.id)
    page = browser.get("/progress")
    assert len(page.select("tbody tr")) == 5
    assert _queries_for_overview(app, browser) == two


def test_overview_shows_each_execs_progress(app: Flask, browser_as, make_user) -> None:
    cpo = make_user("cpo")
    _add_execs(app, 1, cpo.id)
    page = browser_as("cpo").get("/progress")
    row = page.select_one("tbody tr")
    cells = [c.get_text(" ", strip=True) for c in row.select("th, td")]
    assert cells[0].startswith("Exec 00 Stream")
    assert cells[1].startswith("4% of Exec 00's induction 1 of 23 done")
    assert "overdue" in cells[1]
    assert cells[2] == "v2 draft (v1 issued) plan of Exec 00 1 review"
    due = (date.today() + timedelta(days=85)).strftime("%d %b %Y").lstrip("0")
    assert cells[3] == f"Day 180: {due} due in 85 days"
    assert cells[4] == "Day 90 warning: decision awaited"
    assert "sl-overdue" in row["class"]


def test_overview_is_for_staff_only(browser_as) -> None:
    browser_as("exec").get("/progress", status=403)
    browser_as("interviewer").get("/progress", status=403)
    page = browser_as("admin").get("/progress")
    assert "No exec has been selected yet" in page.get_text()
