"""Admins see what the background worker did: each task run, filtered by status, and the queue."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.queue import after_commit, huey, task

outcomes: dict[str, bool] = {}


@task(retries=0, description="Tidy the {0} drawer")
def _tidy(drawer: str) -> None:
    if not outcomes.get(drawer, True):
        raise RuntimeError(f"the {drawer} drawer is stuck")


def _rows(page) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(description, status, attempts, error) of each row of the task table."""
    table = page.find("caption", string=lambda s: s and "newest first" in s).find_parent("table")
    rows = []
    for tr in table.select("tbody tr"):
        cells = tr.find_all("td")
        if len(cells) < 7:
            continue
        rows.append(
            (
                cells[0].contents[0].strip(),
                cells[1].get_text(strip=True),
                cells[2].get_text(strip=True),
                cells[6].get_text(strip=True),
            )
        )
    return rows


def test_admins_see_each_run_and_filter_by_status(app: Flask, browser_as) -> None:  # type: ignore[no-untyped-def]
    outcomes.update({"cutlery": True, "sock": False})
    with app.app_context():
        after_commit(_tidy, "cutlery")
        after_commit(_tidy, "sock")
        db.session.commit()
    admin = browser_as("admin")
    page = admin.get("/admin/tasks")
    nav = page.find("nav", attrs={"aria-label": "Main"})
    link = nav.find("a", string="Background tasks")
    assert link["href"] == "/admin/tasks" and link.get("aria-current") == "page"
    assert sorted(_rows(page)) == [
        ("Tidy the cutlery drawer", "Done", "1", ""),
        ("Tidy the sock drawer", "Failed", "1", "RuntimeError: the sock drawer is stuck"),
    ]
    failed = admin.get("/admin/tasks?status=failed")
    assert [r[0] for r in _rows(failed)] == ["Tidy the sock drawer"]
    assert failed.find("option", selected=True).get_text(strip=True) == "Failed (1)"
    assert "1 task failed" in failed.find("caption").get_text(" ", strip=True)
    assert "No tasks with this status." in admin.get("/admin/tasks?status=running").get_text()
    # An unknown status shows everything rather than an error.
    assert len(_rows(admin.get("/admin/tasks?status=bogus"))) == 2


def test_the_queue_depth_is_shown(app: Flask, browser_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(huey, "pending_count", lambda: 7)
    monkeypatch.setattr(huey, "scheduled_count", lambda: 2)
    page = browser_as("admin").get("/admin/tasks")
    depth = {
        row.find("dt").get_text(strip=True): row.find("dd").get_text(" ", strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert depth["Waiting to run"] == "7 tasks"
    assert depth["Scheduled for later"].startswith("2 tasks")
    assert "check that the worker" in page.get_text()


def test_an_unreachable_queue_is_a_warning_not_an_error(
    app: Flask, browser_as, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def down() -> int:
        raise ConnectionError("no route to the queue")

    monkeypatch.setattr(huey, "pending_count", down)
    page = browser_as("admin").get("/admin/tasks")
    assert "The task queue cannot be reached" in page.get_text()


def test_only_admins_see_the_page_or_its_link(app: Flask, browser_as) -> None:  # type: ignore[no-untyped-def]
    for role in ("cpo", "hr"):
        browser = browser_as(role)
        assert browser.get("/").find("a", string="Background tasks") is None
        browser.get("/admin/tasks", status=403)
