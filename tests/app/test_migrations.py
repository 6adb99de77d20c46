"""Migrations build the schema from empty and agree with the models."""

from __future__ import annotations

import os
import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from config import BASE_DIR, TestConfig
from tests.fixtures.app import drop_postgres_database, fresh_postgres_database


def _fresh_url(tmp_path: Path) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    # A separate PostgreSQL database, so the suite's own schema is untouched.
    return fresh_postgres_database(base, f"streamlead_migrations_{os.getpid()}")


def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    url = _fresh_url(tmp_path)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        upgrade(directory=str(BASE_DIR / "migrations"))
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
        db.engine.dispose()
    if os.environ.get("TEST_DATABASE_URL"):
        drop_postgres_database(os.environ["TEST_DATABASE_URL"], url.rsplit("/", 1)[1])
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {"user", "audit_event", "alembic_version"} <= tables


def test_migrations_are_numbered_in_sequence() -> None:
    files = sorted(p.name for p in (BASE_DIR / "migrations" / "versions").glob("*.py"))
    numbers = [int(re.match(r"(\d{4})_", name).group(1)) for name in files]
    assert numbers == list(range(1, len(numbers) + 1))
    for name in files:
        source = (BASE_DIR / "migrations" / "versions" / name).read_text()
        number = int(name[:4])
        assert f"revision = '{number:04d}'" in source
        expected_down = "None" if number == 1 else f"'{number - 1:04d}'"
        assert f"down_revision = {expected_down}" in source
