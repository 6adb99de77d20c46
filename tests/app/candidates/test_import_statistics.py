"""After `flask ratings import`, PostgreSQL plans with the imported rows at once, not later."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from app.extensions import db
from tests.app.candidates.test_import_bulk import _file, _import
from tests.fixtures.builders import publish_role


def _expected_rows(sql: str) -> float:
    """How many rows PostgreSQL's planner expects this query to return."""
    plan = db.session.execute(text("EXPLAIN (FORMAT JSON) " + sql)).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])


def test_postgresql_expects_the_imported_rows_right_after_the_import(
    app: Flask, tmp_path: Path
) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite plans without statistics unless told to keep them")
    publish_role(app)
    _import(app, _file(tmp_path, 23))
    with app.app_context():
        # Before autovacuum had analyzed them, the planner expected about one submitted
        # self-assessment here (a default guess), and chose joins for a handful of rows.
        submitted = "SELECT id FROM self_assessment WHERE status = 'submitted'"
        assert _expected_rows(submitted) == 23
        assert _expected_rows("SELECT id FROM interview_rating") == 23 * 2 * 2
        assert _expected_rows("SELECT assessment_id FROM score_snapshot") == 23


def test_sqlite_is_left_without_statistics(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("only SQLite keeps no statistics by default")
    publish_role(app)
    _import(app, _file(tmp_path, 3))
    with app.app_context():
        # ANALYZE would create this table and change every SQLite plan from then on.
        stats = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
        assert db.session.execute(text(stats)).scalar_one() == 0
