"""The header's unread count costs one query a page; the lists do not grow with their rows."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import User
from app.notifications import notify
from app.notifications.accounts import send_account_link
from tests.fixtures.queries import queries_for


def _add(app: Flask, user_id: int, admin_id: int, count: int) -> None:
    with app.app_context():
        user, admin = db.session.get(User, user_id), db.session.get(User, admin_id)
        assert user is not None and admin is not None
        for n in range(count):
            notify(
                user,
                "interview.assigned",
                title=f"Panel {n}",
                link="/interviews",
                template="notice",
                context={"lines": ["x"]},
            )
            send_account_link(admin, "reset", f"token-{n}")
        db.session.commit()


def test_the_pages_run_as_many_queries_for_thirty_rows_as_for_three(app: Flask, browser_as) -> None:
    tom, admin = browser_as("interviewer"), browser_as("admin")
    _add(app, tom.user.id, admin.user.id, 3)
    pages = {"/notifications": tom, "/admin/outbox": admin, "/notifications/preferences": tom}
    three = {url: len(queries_for(app, b.client, url)) for url, b in pages.items()}
    _add(app, tom.user.id, admin.user.id, 27)
    thirty = {url: len(queries_for(app, b.client, url)) for url, b in pages.items()}
    assert thirty == three


def test_the_unread_count_is_one_query_on_every_page(app: Flask, browser_as) -> None:
    tom = browser_as("interviewer")
    _add(app, tom.user.id, tom.user.id, 2)
    for url in ("/", "/interviews", "/notifications"):
        statements = queries_for(app, tom.client, url)
        counts = [s for s in statements if "count(*)" in s and "FROM notification" in s]
        assert len([s for s in counts if "read_at IS NULL" in s]) == 1, url
