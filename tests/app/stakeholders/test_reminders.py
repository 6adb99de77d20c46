"""Stakeholder reminders for the daily run: 3 days before and on the due date, once each, only
to those who have not answered."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app import localtime
from app.extensions import db
from app.models import OutboxMessage
from app.models.stakeholders import StakeholderInvitation
from app.stakeholders.reminders import due_stakeholder_reminders
from tests.app.stakeholders.conftest import Scene, answer_data, invite_data, links, people
from tests.fixtures.client import Browser


def _reminders(app: Flask, on_offset: int, *, dry_run: bool = False) -> list[str]:
    with app.test_request_context():
        due = db.session.scalars(select(StakeholderInvitation.due_on)).first()
        found = due_stakeholder_reminders(due + timedelta(days=on_offset), dry_run=dry_run)
        db.session.commit()
        return [r.email for r in found]


def _reminder_emails(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "stakeholder.reminder")
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def test_reminders_go_before_and_on_the_due_date_once_to_those_who_have_not_answered(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(4), due_in_days=10))
    sent = links(app)
    anonymous.post(sent["stakeholder1@example.org"], {**answer_data("2"), "action": "check"})
    anonymous.post(f"{sent['stakeholder1@example.org']}/check", {})
    with app.app_context():
        withdrawn = db.session.scalars(
            select(StakeholderInvitation).where(
                StakeholderInvitation.email == "stakeholder4@example.org"
            )
        ).one()
        withdrawn_id = withdrawn.id
    scene.cpo.post(f"{scene.manage_url}/{withdrawn_id}/withdraw")

    assert _reminders(app, -4) == []
    assert _reminders(app, -3, dry_run=True) == people(3)[1:]
    assert _reminder_emails(app) == []
    assert _reminders(app, -3) == people(3)[1:]
    assert _reminders(app, -3) == [], "never sent twice"
    assert _reminders(app, -3, dry_run=True) == [], "a dry run lists only what would go out"
    assert _reminders(app, 0) == people(3)[1:]
    emails = _reminder_emails(app)
    assert len(emails) == 4
    first = emails[0]
    assert "A reminder: we asked for your view of Priya Shah" in first.text_body
    assert sent[first.to_address] in first.text_body, "the reminder repeats the link first sent"
    assert "Today is the last day" in emails[-1].text_body
    assert localtime.today() is not None


def test_no_reminder_after_the_link_expired(app: Flask, scene: Scene) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3)))
    with app.app_context():
        for invitation in db.session.scalars(select(StakeholderInvitation)):
            invitation.expires_at = invitation.expires_at - timedelta(days=60)
        db.session.commit()
    assert _reminders(app, 0) == []


def test_flask_notify_due_sends_the_stakeholder_reminders_once(
    app: Flask, scene: Scene, anonymous: Browser
) -> None:
    scene.cpo.post(scene.invite_url, invite_data(people(3), due_in_days=10))
    with app.app_context():
        due = db.session.scalars(select(StakeholderInvitation.due_on)).first()
    on = due.isoformat()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["notify", "due", "--on", on, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would send stakeholder.reminder to stakeholder1@example.org" in dry.output
    assert _reminder_emails(app) == []

    sent = runner.invoke(args=["notify", "due", "--on", on])
    assert sent.exit_code == 0, sent.output
    assert "Sent 3 reminder(s)" in sent.output
    assert sorted(m.to_address for m in _reminder_emails(app)) == people(3)

    again = runner.invoke(args=["notify", "due", "--on", on])
    assert "Sent 0 reminder(s)" in again.output
    assert len(_reminder_emails(app)) == 3
