"""The checklist puts what is still to do first; done items are kept, folded, at the foot."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import InductionTask, User
from tests.fixtures.builders import selected_exec


def _checklist(app: Flask, exec_user: User, cpo: User) -> tuple[int, list[int]]:
    """A checklist 40 days in with its first two items done; returns (assessment, task ids)."""
    with app.app_context():
        assessment = selected_exec(
            db.session.get(User, exec_user.id), cpo=db.session.get(User, cpo.id), days_ago=40
        )
        tasks = sorted(assessment.checklist.tasks, key=lambda t: t.position)
        for task in tasks[:2]:
            task.done = True
        db.session.commit()
        return assessment.id, [t.id for t in tasks]


def test_open_items_come_first_overdue_at_the_top_and_done_ones_are_folded(
    app: Flask, browser_as, make_user
) -> None:
    exec_user, cpo = make_user("exec"), make_user("cpo")
    assessment_id, task_ids = _checklist(app, exec_user, cpo)
    page = browser_as(exec_user).get(f"/assessments/{assessment_id}/induction")
    done = page.select_one("details.sl-done-tasks")
    assert done.get("open") is None
    assert done.summary.get_text(strip=True) == "Done: 2 items"
    assert {li["id"] for li in done.select("li.sl-task")} == {f"task-{i}" for i in task_ids[:2]}
    open_items = [li for li in page.select("li.sl-task") if li.find_parent("details") is not done]
    assert len(open_items) == len(task_ids) - 2
    # Within each group, earliest due first: so an overdue item is never below one still to come.
    today = date.today()
    with app.app_context():
        due = {t.id: t.due_date for t in db.session.scalars(select(InductionTask))}
    for group in page.select("ol.sl-tasks"):
        if group.find_parent("details") is done:
            continue
        dates = [due[int(li["id"].removeprefix("task-"))] for li in group.select("li.sl-task")]
        assert dates == sorted(dates)
        late = [d < today for d in dates]
        assert late == sorted(late, reverse=True)
    # The exec reads their own items as theirs.
    assert "Who: You" in page.get_text()
    assert "Who: The exec" not in page.get_text()


def test_ticking_an_item_carries_on_at_the_next_open_one(app: Flask, browser_as, make_user) -> None:
    exec_user, cpo = make_user("exec"), make_user("cpo")
    assessment_id, _task_ids = _checklist(app, exec_user, cpo)
    me = browser_as(exec_user)
    url = f"/assessments/{assessment_id}/induction"
    shown = [li["id"] for li in me.get(url).select("li.sl-task") if not li.find_parent("details")]
    first, second = (int(i.removeprefix("task-")) for i in shown[:2])
    response = me.post(f"{url}/tasks/{first}/tick", {f"task-{first}-note": "Done with Priya"})
    assert response.location == f"{url}#task-{second}"
