"""Overdue induction items: one reminder per person per checklist per run, listing each item,
with each item still on its own weekly cadence."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.induction import services as induction
from app.models import Notification, OutboxMessage
from app.notifications.reminders import send_reminders
from tests.app.notifications.test_due_emails import assert_nothing_private
from tests.fixtures.builders import person, selected_exec

BASE = "http://127.0.0.1:5000"
D0 = date(2027, 3, 1)


def _run(on: date) -> list[OutboxMessage]:
    """Send the day's reminders; the induction emails this run queued."""
    before = db.session.scalar(select(db.func.max(OutboxMessage.id))) or 0
    send_reminders(on)
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id > before, OutboxMessage.kind == "induction.overdue")
            .order_by(OutboxMessage.id)
        )
    )


def test_overdue_items_go_to_each_owner_as_one_message_per_run(app_ctx: Flask) -> None:
    cpo = person("cpo", "Priya Raman")
    david = person("exec", "David Mensah")
    assessment = selected_exec(david, cpo=cpo, start=D0 - timedelta(days=30))
    checklist = assessment.checklist
    cpo_tasks = [t for t in checklist.tasks if t.owner in ("cpo", "mentor")][:3]
    exec_task = next(t for t in checklist.tasks if t.owner == "exec")
    for task in checklist.tasks:
        task.done = task not in (*cpo_tasks, exec_task)
    first, second, third = cpo_tasks
    first.due_date = second.due_date = D0
    third.due_date = D0 + timedelta(days=3)
    exec_task.due_date = D0
    db.session.commit()
    cpo_email, david_email = cpo.email, david.email

    assert _run(D0) == []  # due today is not overdue yet
    sent = _run(D0 + timedelta(days=1))
    assert sorted(m.to_address for m in sent) == sorted([cpo_email, david_email])
    to_cpo = next(m for m in sent if m.to_address == cpo_email)
    assert to_cpo.subject == "2 induction items are overdue in David Mensah's induction"
    for part in (to_cpo.text_body, to_cpo.html_body):
        assert first.title in part and second.title in part
        assert third.title not in part
        assert "1 Mar 2027 (overdue by 1 day)" in part
        assert f"{BASE}/assessments/{assessment.id}/induction" in part
    assert_nothing_private(to_cpo)
    to_david = next(m for m in sent if m.to_address == david_email)
    assert to_david.subject == f"Overdue: “{exec_task.title}” in your induction"
    assert exec_task.title in to_david.text_body

    assert _run(D0 + timedelta(days=1)) == []  # the same day again: nothing twice
    assert _run(D0 + timedelta(days=2)) == []  # the same week: nothing again
    (alone,) = _run(D0 + timedelta(days=4))  # the third item is now overdue, on its own
    assert alone.subject == f"Overdue: “{third.title}” in David Mensah's induction"
    assert first.title not in alone.text_body
    # The run of day 8 is missed: day 9 catches up the first two items' second week.
    late = _run(D0 + timedelta(days=9))
    assert sorted(m.to_address for m in late) == sorted([cpo_email, david_email])
    to_cpo = next(m for m in late if m.to_address == cpo_email)
    assert to_cpo.subject == "2 induction items are overdue in David Mensah's induction"
    assert "overdue by 9 days" in to_cpo.text_body
    assert third.title not in to_cpo.text_body
    assert _run(D0 + timedelta(days=10)) == []

    # Ticking both items of a reminder takes it out of "unread"; one alone does not.
    notes = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.kind == "induction.overdue", Notification.user_id == cpo.id)
            .order_by(Notification.id)
        )
    )
    assert [n.title for n in notes] == [
        "2 induction items are overdue in David Mensah's induction",
        f"Overdue: “{third.title}” in David Mensah's induction",
        "2 induction items are overdue in David Mensah's induction",
    ]
    assert all(f"/assessments/{assessment.id}/induction" in n.link for n in notes)
    induction.tick_task(first, "Done", None)
    db.session.commit()
    assert all(db.session.get(Notification, n.id).unread for n in notes)
    induction.tick_task(second, "Done", None)
    db.session.commit()
    assert [db.session.get(Notification, n.id).unread for n in notes] == [False, True, False]
