"""Migration 0005 deletes every form input kept under the old rules."""

from __future__ import annotations

import os
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app, data_version
from app.extensions import db
from config import BASE_DIR, TestConfig
from tests.fixtures.app import drop_postgres_database, fresh_postgres_database


def test_upgrade_deletes_kept_input_that_may_hold_passwords(tmp_path: Path) -> None:
    base = os.environ.get("TEST_DATABASE_URL")
    url = (
        fresh_postgres_database(base, f"streamlead_purge_{os.getpid()}")
        if base
        else f"sqlite:///{tmp_path / 'purge.sqlite'}"
    )

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    directory = str(BASE_DIR / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="0003")
        with db.engine.connect() as conn, data_version.paused(conn), conn.begin():
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, name, role, active, session_epoch, created_at) '
                    "VALUES (1, 'a@example.org', 'A', 'exec', true, 0, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO saved_input (user_id, path, data, created_at) VALUES "
                    "(1, '/login', '{\"password\": [\"hunter2\"]}', CURRENT_TIMESTAMP)"
                )
            )
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            left = conn.execute(text("SELECT count(*) FROM saved_input")).scalar()
            users = conn.execute(text('SELECT count(*) FROM "user"')).scalar()
        db.engine.dispose()
    if base:
        drop_postgres_database(base, url.rsplit("/", 1)[1])
    assert left == 0
    assert users == 1
