"""Reminders: what is due on a day, sent once per stage of the cadence, and `flask notify due`
on the demo organisation (the issue's Done-when)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from app import localtime
from app.coaching import standing
from app.demo import load_demo
from app.extensions import db
from app.induction import services as induction
from app.interviews import kit
from app.models import Interview, Notification, OutboxMessage, User
from app.notifications.reminders import send_reminders
from tests.app.notifications.test_due_emails import assert_nothing_private
from tests.fixtures.builders import (
    PASSWORD,
    make_assessment,
    new_stream,
    panel_scene,
    published_role,
)

BASE = "http://127.0.0.1:5000"


def _outbox(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def _run(on: date) -> list[tuple[str, str]]:
    """Send the day's reminders; (kind, to) of each email queued by this run."""
    before = len(_outbox())
    send_reminders(on)
    db.session.commit()
    return [(m.kind, m.to_address) for m in _outbox()[before:]]


def test_submissions_are_reminded_before_on_and_weekly_after_the_due_date(
    app_ctx: Flask, make_user
) -> None:
    scene = panel_scene(make_user)  # Tom's interview is a draft; Mei's is submitted
    laura = make_user("exec", name="Laura Byrne")
    due = date(2027, 3, 10)
    assessment = make_assessment(laura.id, published_role(), new_stream("Home buying"))
    assessment.self_due_on = due
    tom = db.session.get(Interview, scene.tom_interview_id)
    tom.due_on = due
    db.session.get(Interview, scene.mei_interview_id).due_on = due
    db.session.commit()
    tom_email, laura_email = scene.tom.email, laura.email

    assert _run(due - timedelta(days=3)) == []
    two_before = _run(due - timedelta(days=2))
    assert sorted(two_before) == [
        ("interview.reminder", tom_email),
        ("self.reminder", laura_email),
    ]
    assert _run(due - timedelta(days=2)) == []  # the same day again: nothing twice
    assert _run(due - timedelta(days=1)) == []  # the same stage
    assert len(_run(due)) == 2
    assert _run(due + timedelta(days=6)) == []
    assert len(_run(due + timedelta(days=7))) == 2
    assert _run(due + timedelta(days=8)) == []

    (first, *_rest) = _outbox("self.reminder")
    assert first.subject == "Reminder: your self-assessment is due in 2 days"
    for part in (first.text_body, first.html_body):
        assert f"{BASE}/assessments/{assessment.id}/self" in part
        assert "Home buying" in part
        assert "10 March 2027" in part
    late = _outbox("interview.reminder")[-1]
    assert late.subject == "Reminder: your interview of Sarah Whitfield is overdue by 7 days"
    assert f"{BASE}/interviews/{scene.tom_interview_id}" in late.text_body
    for message in _outbox():
        assert_nothing_private(message)

    # Tom submits: his reminders leave "unread", and no more come.
    kit.save_interview(
        tom,
        {},
        strengths="Clear",
        weaknesses="Depth",
        recommendation="yes",
        submit=True,
        actor=None,
    )
    db.session.commit()
    tom_notes = db.session.scalars(
        select(Notification).where(Notification.user_id == scene.tom.id)
    ).all()
    assert tom_notes and not any(n.unread for n in tom_notes)
    assert _run(due + timedelta(days=14)) == [("self.reminder", laura_email)]


def test_an_inactive_person_is_not_reminded(app_ctx: Flask, make_user) -> None:
    laura = make_user("exec", name="Laura Byrne")
    assessment = make_assessment(laura.id, published_role(), new_stream("Home buying"))
    assessment.self_due_on = date(2027, 3, 10)
    db.session.get(User, laura.id).active = False
    db.session.commit()
    assert _run(date(2027, 3, 10)) == []


def _after_the_demos_checkpoints() -> date:
    last = max(
        c.due_on
        for a in standing.selected_assessments()
        for c in standing.plan_state(a).checkpoints
    )
    return last + timedelta(days=1)


def test_notify_due_on_the_demo_reminds_the_cpo_of_reviews_once(app: Flask) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        on = _after_the_demos_checkpoints()
        assert on > localtime.today()
        # The demo's own story already told people things (nominations, decisions, plans).
        messages_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        notes_before = db.session.scalar(select(func.count()).select_from(Notification))
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["notify", "due", "--on", on.isoformat(), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would send review.due to cpo@example.org" in dry.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == messages_before
        assert db.session.scalar(select(func.count()).select_from(Notification)) == notes_before

    result = runner.invoke(args=["notify", "due", "--on", on.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"for {on.isoformat()}" in result.output
    with app.app_context():
        reviews = _outbox("review.due")
        to_cpo = [m for m in reviews if m.to_address == "cpo@example.org"]
        assert to_cpo, result.output
        # One per missed checkpoint of each selected exec, and the exec is told too.
        assert {m.to_address for m in reviews} >= {"cpo@example.org", "exec1@example.org"}
        assert all("checkpoint review is overdue by" in m.subject for m in reviews)
        message = to_cpo[0]
        assert "Record the review" in message.text_body
        assert f"{BASE}/assessments/" in message.text_body and "/reviews/new" in message.text_body
        for sent in _outbox():
            assert_nothing_private(sent)
        # The demo's execs are behind on induction: one message per person and checklist.
        induction_mail = _outbox("induction.overdue")
        checklists = [a for a in standing.selected_assessments() if a.checklist]
        assert induction_mail
        for address in {m.to_address for m in induction_mail}:
            mine = [m for m in induction_mail if m.to_address == address]
            assert len(mine) <= len(checklists), [m.subject for m in mine]
        grouped = [m for m in induction_mail if "induction items are overdue in" in m.subject]
        assert grouped and "Open the checklist" in grouped[0].text_body
        assert f"Would send induction.overdue to {grouped[0].to_address}: " in dry.output
        assert "items of " in dry.output
        total = len(_outbox())

    again = runner.invoke(args=["notify", "due", "--on", on.isoformat()])
    assert again.exit_code == 0, again.output
    assert "Sent 0 reminder(s)" in again.output
    with app.app_context():
        assert len(_outbox()) == total

        # Ticking the items of an overdue reminder takes it out of "unread".
        note = db.session.scalar(
            select(Notification)
            .where(
                Notification.kind == "induction.overdue",
                Notification.title.startswith("Overdue: "),
            )
            .order_by(Notification.id)
        )
        assert note is not None
        task_id = int(note.link.rsplit("#task-", 1)[1])
        task = next(
            t
            for a in standing.selected_assessments()
            if a.checklist
            for t in a.checklist.tasks
            if t.id == task_id
        )
        induction.tick_task(task, "Done", None)
        db.session.commit()
        assert not db.session.get(Notification, note.id).unread


def test_notify_due_refuses_a_bad_date(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["notify", "due", "--on", "2026-13-01"])
    assert result.exit_code != 0
    assert "'2026-13-01' is not a date: use YYYY-MM-DD" in result.output


def test_notify_due_delivers_the_review_reminders_through_smtp_once(
    mail_app: Flask, smtp_server
) -> None:
    with mail_app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        on = _after_the_demos_checkpoints()
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["notify", "due", "--on", on.isoformat()])
    assert result.exit_code == 0, result.output
    with mail_app.app_context():
        queued = len(_outbox())
    received = smtp_server.wait_for(queued)
    to_cpo = [m for m in received if m["To"] == "cpo@example.org" and "checkpoint" in m["Subject"]]
    assert to_cpo
    body = to_cpo[0].get_body(preferencelist=("plain",)).get_content()
    assert "/reviews/new" in body
    again = runner.invoke(args=["notify", "due", "--on", on.isoformat()])
    assert "Sent 0 reminder(s)" in again.output
    assert len(smtp_server.messages) == len(received)


def test_a_checkpoint_review_is_announced_a_week_ahead_to_the_cpo_and_the_exec(
    app: Flask,
) -> None:
    from app.notifications.reminders import due_reminders

    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        upcoming = min(
            (c.due_on, a.candidate.email, c.day)
            for a in standing.selected_assessments()
            for c in standing.plan_state(a).checkpoints
            if c.state == "due"
        )
        due, exec_email, day = upcoming
        week_before = due - timedelta(days=7)
        found = {
            (r.kind, r.recipient.email)
            for r in due_reminders(week_before)
            if r.kind == "review.due" and f"day {day} " in r.about
        }
        assert found == {("review.due", "cpo@example.org"), ("review.due", exec_email)}
        assert not [
            r
            for r in due_reminders(week_before - timedelta(days=1))
            if r.kind == "review.due" and f"day {day} " in r.about
        ]
        send_reminders(week_before)
        db.session.commit()
        mine = [m for m in _outbox("review.due") if m.to_address == exec_email]
        assert mine[-1].subject == f"Your day {day} checkpoint review is due in 7 days"
        assert "/plan" in mine[-1].text_body
        # Induction items go to whoever owns them: the exec, the CPO or HR.
        owners = {
            r.recipient.email
            for r in due_reminders(due + timedelta(days=400))
            if r.kind == "induction.overdue"
        }
        assert {"cpo@example.org", "hr@example.org"} <= owners
