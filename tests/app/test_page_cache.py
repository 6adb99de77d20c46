"""Cached pages (app/page_cache.py): served again only while nothing they show has changed."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import create_engine, select, update

from app import localtime
from app.auth import records
from app.data_version import writes
from app.extensions import db
from app.models import DataVersion, User, UserSession
from assessments.role_files import load_default_role
from tests.app.interviews.helpers import submit_through_check
from tests.fixtures.builders import PASSWORD, panel_scene
from tests.fixtures.client import sign_in
from tests.fixtures.queries import count_queries


def _version(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(DataVersion.n).where(DataVersion.id == 1)))


def _signed_in(app: Flask, email: str) -> Any:
    """A client signed in, past the page that shows the sign-in's own message."""
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    assert client.get("/").status_code == 200
    return client


def _scene(app: Flask, make_user: Any) -> Any:
    with app.app_context():
        return panel_scene(make_user)


def _statements(app: Flask, client: Any, url: str) -> tuple[int, str]:
    with count_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), response.get_data(as_text=True)


def test_a_page_seen_again_is_served_without_being_built(app: Flask, make_user: Any) -> None:
    scene = _scene(app, make_user)
    client = _signed_in(app, scene.cpo.email)
    built, first = _statements(app, client, "/candidates")
    kept, again = _statements(app, client, "/candidates")
    assert built > 1
    assert kept == 1  # the sign-in check alone: the user, their session and the data version
    assert again == first and "Sarah Whitfield" in again


def test_any_write_shows_at_once_orm_or_bulk(app: Flask, make_user: Any) -> None:
    scene = _scene(app, make_user)
    client = _signed_in(app, scene.cpo.email)
    _statements(app, client, "/candidates")
    with app.app_context():  # an ORM change
        db.session.get(User, scene.candidate.id).name = "Sarah Whitfield-Jones"
        db.session.commit()
    assert "Sarah Whitfield-Jones" in _statements(app, client, "/candidates")[1]
    with app.app_context():  # a bulk statement, as the ratings import writes
        db.session.execute(
            update(User).where(User.id == scene.candidate.id).values(name="Sarah Jones")
        )
        db.session.commit()
    page = _statements(app, client, "/candidates")[1]
    assert "Sarah Jones" in page and "Whitfield-Jones" not in page


def test_another_persons_change_through_the_web_shows_on_the_next_request(
    app: Flask, make_user: Any, browser_as: Any
) -> None:
    """The CPO's calibration page, seen before, shows Tom's ratings as soon as he submits."""
    scene = _scene(app, make_user)
    cpo = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/calibration"
    assert "Tom's own evidence" not in cpo.get(url).get_text()
    assert "Tom's own evidence" not in cpo.get(url).get_text()
    data = {"version": "1", "action": "submit", "strengths": "S", "weaknesses": "W"}
    for comp in load_default_role().competencies:
        data[f"rating-{comp.key}"] = "3"
        data[f"notes-{comp.key}"] = "Tom's own evidence"
    data["recommendation"] = "no"
    submit_through_check(browser_as(scene.tom), scene.tom_interview_id, data)
    assert "Tom's own evidence" in cpo.get(url).get_text()


def test_each_person_gets_their_own_page(app: Flask, make_user: Any, browser_as: Any) -> None:
    scene = _scene(app, make_user)
    cpo, hr = browser_as(scene.cpo), browser_as("hr", name="Hannah Price")
    for _ in range(2):
        assert "Priya Raman" in cpo.get("/").get_text()
        home = hr.get("/").get_text()
        assert "Hannah Price" in home and "Priya Raman" not in home


def test_a_message_is_shown_once_and_the_page_is_kept_without_it(
    app: Flask, make_user: Any
) -> None:
    scene = _scene(app, make_user)
    client = _signed_in(app, scene.cpo.email)
    _statements(app, client, "/candidates")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Panel saved for Sarah.")]
    assert "Panel saved for Sarah." in _statements(app, client, "/candidates")[1]
    _count, page = _statements(app, client, "/candidates")
    assert "Panel saved for Sarah." not in page
    assert _statements(app, client, "/candidates")[0] == 1


def _token(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None
    return str(field["value"])


def test_a_new_session_gets_a_page_whose_forms_it_can_submit(
    app: Flask, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached page's forms carry a CSRF token of the session it was built for: a second
    session of the same person must get a page of its own, or its next form post fails."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    scene = _scene(app, make_user)
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        token = _token(client.get("/login").get_data(as_text=True))
        signed_in = client.post(
            "/login", data={"email": scene.cpo.email, "password": PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 302
    pages = [c.get("/").get_data(as_text=True) for c in (first, second, first, second)]
    tokens = [_token(page) for page in pages]
    assert "Priya Raman" in pages[3]
    # Each session signs its own form: the secret behind each token is the session's.
    signed_out = second.post("/logout", data={"csrf_token": tokens[3]})
    assert signed_out.status_code == 302
    assert first.get("/").status_code == 200  # still signed in


def test_the_page_is_built_again_when_the_date_changes(app: Flask, make_user: Any) -> None:
    """Due dates read "due in 2 days" one day and "due tomorrow" the next."""
    evening = datetime.combine(datetime(2027, 3, 1), datetime.min.time()) + timedelta(
        hours=23, minutes=59, seconds=40
    )
    with time_machine.travel(evening.replace(tzinfo=localtime.zone()), tick=False) as clock:
        scene = _scene(app, make_user)
        client = _signed_in(app, scene.cpo.email)
        _statements(app, client, "/candidates")
        assert _statements(app, client, "/candidates")[0] == 1
        # Past midnight in the organisation's time zone, well within PAGE_CACHE_SECONDS.
        clock.shift(timedelta(seconds=30))
        assert _statements(app, client, "/candidates")[0] > 1


def test_writes_move_the_version_once_per_transaction_and_savepoints_count(
    app: Flask, make_user: Any
) -> None:
    scene = _scene(app, make_user)
    start = _version(app)
    with app.app_context():
        candidate = db.session.get(User, scene.candidate.id)
        candidate.name = "A"
        db.session.flush()
        candidate.email = "a@example.org"
        db.session.commit()
    assert _version(app) == start + 1
    with app.app_context():
        nested = db.session.begin_nested()
        db.session.get(User, scene.candidate.id).name = "B"
        db.session.flush()
        nested.rollback()  # a write undone with its savepoint; the next still counts
        db.session.get(User, scene.candidate.id).name = "C"
        db.session.commit()
    assert _version(app) == start + 2
    with app.app_context():
        db.session.get(User, scene.candidate.id).name = "D"
        db.session.flush()
        db.session.rollback()
    assert _version(app) == start + 2


def test_a_session_noting_its_last_use_does_not_empty_the_caches(
    app: Flask, make_user: Any
) -> None:
    user = make_user("cpo")
    client = app.test_client()
    sign_in(client, user.email)
    start = _version(app)
    with app.app_context():
        record = db.session.scalars(select(UserSession)).one()
        live = records.LiveRecord(
            record.id, record.created_at, record.last_seen_at - timedelta(hours=1)
        )
        assert records.touch(live)
        db.session.commit()
    assert _version(app) == start


@pytest.mark.parametrize(
    ("statement", "moves"),
    [
        ("INSERT INTO assessment (id) VALUES (1)", True),
        ("  update interview SET status = 'x'", True),
        ("DELETE FROM self_rating", True),
        ('TRUNCATE "user" RESTART IDENTITY CASCADE', True),
        ("WITH x AS (SELECT 1) UPDATE assessment SET decision = NULL", True),
        ("SELECT * FROM assessment", False),
        # A locking read changes nothing; the write that follows it moves the version.
        ("SELECT assessment.id FROM assessment ORDER BY assessment.id FOR UPDATE", False),
        ("WITH recent AS (SELECT updated_at, deleted_at FROM x) SELECT * FROM recent", False),
        ("INSERT INTO audit_event (at, action) VALUES (?, ?)", False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ("UPDATE user_session SET last_seen_at = ? WHERE user_session.id = ?", False),
        # PDFs rendered ahead are made from the data; storing one changes nothing a page shows.
        ("INSERT INTO rendered_document (ref, audience) VALUES (?, ?) ON CONFLICT", False),
        ("DELETE FROM rendered_document WHERE rendered_document.ref = ?", False),
        ("INSERT INTO render_state (name, value) VALUES (?, ?)", False),
        ("UPDATE task_run SET status = ? WHERE task_run.id = ?", False),
        ("INSERT INTO rendered_documents_log (x) VALUES (1)", True),
    ],
)
def test_which_statements_move_the_version(statement: str, moves: bool) -> None:
    assert writes(statement) is moves


def test_a_database_made_from_the_models_starts_with_its_version_row(tmp_path: Any) -> None:
    """`create_all` (tests, a first `flask demo`) must leave the one row the counter moves."""
    engine = create_engine(f"sqlite:///{tmp_path}/fresh.sqlite")
    try:
        db.metadata.create_all(engine)
        with engine.connect() as conn:
            rows = conn.execute(select(DataVersion.id, DataVersion.n)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, 0)]


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="row locks and deadlocks are PostgreSQL's"
)
def test_a_locking_read_then_a_write_cannot_deadlock_with_a_write_then_a_locking_read(
    app: Flask, make_user: Any
) -> None:
    """A locks a row, then writes elsewhere; B writes elsewhere, then wants A's row. Without the
    counter, B waits for A and nothing worse. Were the counter locked at a transaction's first
    write, B would hold it while waiting for A's row, and A would wait for it: a deadlock. It
    is moved as each transaction commits, so B simply waits for A."""
    first, second, third = (make_user("hr").id for _ in range(3))
    with app.app_context():
        engine = db.engine
    a_holds_its_row = threading.Event()
    failures: list[BaseException] = []

    def a() -> None:
        try:
            with engine.begin() as conn:
                conn.execute(select(User.id).where(User.id == first).with_for_update())
                a_holds_its_row.set()
                time.sleep(0.5)  # B writes and asks for this row meanwhile
                conn.execute(update(User).where(User.id == second).values(name="A"))
        except BaseException as error:
            failures.append(error)

    def b() -> None:
        try:
            a_holds_its_row.wait(5)
            with engine.begin() as conn:
                conn.execute(update(User).where(User.id == third).values(name="B"))
                conn.execute(select(User.id).where(User.id == first).with_for_update())
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="row locks are PostgreSQL's")
def test_a_long_transaction_does_not_hold_up_other_writers(app: Flask, make_user: Any) -> None:
    """The email task holds its message while it talks to the mail server: a transaction that
    has locked or written a row and is still busy must not make every other writer wait."""
    first, second = (make_user("hr").id for _ in range(2))
    with app.app_context():
        engine = db.engine
    busy = threading.Event()

    def slow() -> None:
        with engine.begin() as conn:
            conn.execute(select(User.id).where(User.id == first).with_for_update())
            conn.execute(update(User).where(User.id == first).values(name="Slow"))
            busy.set()
            time.sleep(2)  # a mail server taking its time

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        assert busy.wait(10)
        began = time.monotonic()
        with engine.begin() as conn:
            conn.execute(update(User).where(User.id == second).values(name="Quick"))
        waited = time.monotonic() - began
    finally:
        thread.join(30)
    assert waited < 1.0
    assert _version(app) >= 2
