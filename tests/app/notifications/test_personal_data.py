"""Anonymising or deleting a candidate takes them out of notifications and the outbox."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, OutboxMessage, User
from app.notifications import notify


@pytest.fixture
def messages(app: Flask, make_user) -> dict[str, int]:
    sarah = make_user("exec", name="Sarah Whitfield", email="sarah@example.org")
    cpo = make_user("cpo", name="Priya Raman")
    with app.app_context():
        for user, title in (
            (sarah, "Complete your self-assessment"),
            (cpo, "Sarah Whitfield submitted her self-assessment"),
        ):
            person = db.session.get(User, user.id)
            assert person is not None
            notify(
                person,
                "self.nominated" if person.role == "exec" else "self.submitted",
                title=title,
                link="/",
                template="notice",
                context={"lines": ["Sarah Whitfield (sarah@example.org) is on it."]},
            )
        db.session.commit()
    return {"sarah": sarah.id, "cpo": cpo.id}


@pytest.mark.parametrize("action", ["anonymise", "delete"])
def test_removing_a_candidate_removes_them_from_messages(
    app: Flask, browser_as, messages: dict[str, int], action: str
) -> None:
    browser_as("admin").post(
        f"/admin/users/{messages['sarah']}/{action}", {"confirm_email": "sarah@example.org"}
    )
    with app.app_context():
        [left] = db.session.scalars(select(OutboxMessage)).all()
        assert left.user_id == messages["cpo"]
        for text in (left.subject, left.text_body, left.html_body):
            assert "Sarah Whitfield" not in text and "sarah@example.org" not in text
        [note] = db.session.scalars(select(Notification)).all()
        assert note.user_id == messages["cpo"] and "Sarah" not in note.title
