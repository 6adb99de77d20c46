"""The task queue: tasks run after commit, never after a rollback, in their own session."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import SavedInput, User
from app.models.base import utcnow
from app.queue import QueueConfigError, after_commit, storage_for, task

ran: list[str] = []


@task()
def _note(word: str) -> None:
    ran.append(word)


def test_a_task_asked_for_in_a_transaction_runs_only_once_it_commits(app: Flask) -> None:
    ran.clear()
    with app.app_context():
        after_commit(_note, "first")
        after_commit(_note, "first")  # the same call twice in one transaction runs once
        assert ran == []
        db.session.commit()
        assert ran == ["first"]


def test_a_rolled_back_transaction_enqueues_nothing(app: Flask) -> None:
    ran.clear()
    with app.app_context():
        after_commit(_note, "lost")
        db.session.rollback()
        db.session.commit()
        assert ran == []


def test_tasks_commit_their_own_writes(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    from app.tasks import purge_saved_input

    with app.app_context():
        user = make_user("cpo")
        old = SavedInput(user_id=user.id, path="/x", data={"a": ["b"]})
        old.created_at = utcnow().replace(year=2000)
        db.session.add(old)
        db.session.commit()
        purge_saved_input()
        db.session.expire_all()
        assert db.session.scalars(select(SavedInput)).all() == []
        assert db.session.get(User, user.id) is not None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite://", "use sqlite:///path/to/tasks.db"),
        ("amqp://host", "the queue runs on sqlite:/// or redis://"),
    ],
)
def test_a_queue_url_it_cannot_use_is_refused_with_the_reason(url: str, message: str) -> None:
    with pytest.raises(QueueConfigError, match=message):
        storage_for(url)
