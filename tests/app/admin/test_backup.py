"""`flask backup export` and `restore` round-trip the whole database."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.demo import load_demo
from app.extensions import db
from config import BASE_DIR, TestConfig
from tests.fixtures.app import drop_postgres_database, fresh_postgres_database


def _migrated_app(tmp_path: Path, name: str) -> Flask:
    base = os.environ.get("TEST_DATABASE_URL")
    url = (
        fresh_postgres_database(base, f"{name}_{os.getpid()}")
        if base
        else f"sqlite:///{tmp_path / (name + '.sqlite')}"
    )

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    application = create_app(Config)
    with application.app_context():
        upgrade(directory=str(BASE_DIR / "migrations"))
    return application


@pytest.fixture
def two_databases(tmp_path: Path):
    source = _migrated_app(tmp_path, "backup_source")
    target = _migrated_app(tmp_path, "backup_target")
    yield source, target
    for application in (source, target):
        with application.app_context():
            url = db.engine.url
            db.engine.dispose()
        if os.environ.get("TEST_DATABASE_URL"):
            drop_postgres_database(os.environ["TEST_DATABASE_URL"], url.database)


def test_export_then_restore_loses_nothing(two_databases, tmp_path: Path) -> None:
    source, target = two_databases
    with source.test_request_context():
        load_demo("correct horse battery staple")
        db.session.commit()
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    result = source.test_cli_runner().invoke(args=["backup", "export", "--out", str(first)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(first)])
    assert restored.exit_code == 0, restored.output
    target.test_cli_runner().invoke(args=["backup", "export", "--out", str(second)])
    before, after = json.loads(first.read_text()), json.loads(second.read_text())
    assert before == after
    assert len(before["tables"]["user"]) == 9
    # New records still get fresh ids after a restore (PostgreSQL sequences moved on).
    with target.test_request_context():
        from app.auth.services import create_user

        user = create_user("new@example.org", "New Person", "hr")
        db.session.commit()
        assert user.id > max(row["id"] for row in before["tables"]["user"])


def test_restore_refuses_a_database_that_is_not_empty(two_databases, tmp_path: Path) -> None:
    source, _target = two_databases
    with source.test_request_context():
        load_demo("correct horse battery staple")
        db.session.commit()
    dump = tmp_path / "dump.json"
    source.test_cli_runner().invoke(args=["backup", "export", "--out", str(dump)])
    result = source.test_cli_runner().invoke(args=["backup", "restore", str(dump)])
    assert result.exit_code != 0
    assert "The database is not empty (table" in result.output


def test_restore_refuses_files_that_are_not_backups(two_databases, tmp_path: Path) -> None:
    _source, target = two_databases
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(bad)])
    assert result.exit_code != 0 and "cannot be read as JSON" in result.output
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(other)])
    assert result.exit_code != 0 and "This is not a Streamlead backup file" in result.output


def _keep_typed_input(application: Flask) -> None:
    from app.models import SavedInput, User

    with application.test_request_context():
        load_demo("correct horse battery staple")
        someone = db.session.query(User).order_by(User.id).first()
        db.session.add(
            SavedInput(user_id=someone.id, path="/somewhere", data={"notes": ["Typed by them"]})
        )
        db.session.commit()


def test_backups_never_carry_unsent_form_input(two_databases, tmp_path: Path) -> None:
    source, _target = two_databases
    _keep_typed_input(source)
    dump = tmp_path / "dump.json"
    result = source.test_cli_runner().invoke(args=["backup", "export", "--out", str(dump)])
    assert result.exit_code == 0, result.output
    text = dump.read_text()
    assert "saved_input" not in json.loads(text)["tables"]
    assert "Typed by them" not in text


def test_restore_ignores_unsent_form_input_in_older_backups(two_databases, tmp_path: Path) -> None:
    source, target = two_databases
    _keep_typed_input(source)
    dump = tmp_path / "dump.json"
    source.test_cli_runner().invoke(args=["backup", "export", "--out", str(dump)])
    document = json.loads(dump.read_text())
    document["tables"]["saved_input"] = [
        {
            "id": 1,
            "user_id": 1,
            "path": "/login",
            "data": {"password": ["x"]},
            "created_at": "2026-01-01T00:00:00+00:00",
        }
    ]
    dump.write_text(json.dumps(document))
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(dump)])
    assert result.exit_code == 0, result.output
    with target.app_context():
        from app.models import SavedInput

        assert db.session.query(SavedInput).count() == 0


def _broken_backup(source: Flask, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with source.test_request_context():
        load_demo("correct horse battery staple")
        db.session.commit()
    dump = tmp_path / "dump.json"
    source.test_cli_runner().invoke(args=["backup", "export", "--out", str(dump)])
    document = json.loads(dump.read_text())
    change(document["tables"])
    dump.write_text(json.dumps(document))
    return dump


def _nothing_written(target: Flask) -> None:
    with target.app_context():
        from app.models import User

        assert db.session.query(User).count() == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t["user"][1].update(email=t["user"][0]["email"]),
            "table user, row 2 (id 2): a value that must be unique is repeated",
        ),
        (
            lambda t: t["assessment"][0].update(candidate_id=999999),
            "table assessment, row 1 (id 1): it refers to a record that is not in the backup",
        ),
        (
            lambda t: t["user"][0].update(role="wizard"),
            "table user, row 1 (id 1): a value is not allowed",
        ),
    ],
)
def test_restore_reports_a_broken_constraint_in_one_line_and_writes_nothing(
    two_databases, tmp_path: Path, change, expected: str
) -> None:
    source, target = two_databases
    dump = _broken_backup(source, tmp_path, change)
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(dump)])
    assert result.exit_code != 0
    assert expected in result.output
    assert "Nothing was restored" in result.output
    assert "Traceback" not in result.output and "IntegrityError" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    _nothing_written(target)


def test_stakeholder_answers_round_trip_with_their_random_ids(
    two_databases, tmp_path: Path
) -> None:
    from sqlalchemy import func, select

    from app import score_snapshots
    from app.candidates import importing
    from app.models import Assessment, StakeholderInvitation, StakeholderRating, User
    from app.roles.lookups import latest_published

    source, target = two_databases
    with source.test_request_context():
        load_demo("correct horse battery staple")
        candidate = db.session.scalars(
            select(User).join(Assessment, Assessment.candidate_id == User.id)
        ).first()
        published = latest_published("product-director")
        assert candidate is not None and published is not None
        key = published.role.competencies[0].key
        lines = ["candidate_email,rater_email,source,competency,level,evidence"] + [
            f"{candidate.email},peer{n}@partner.example.com,stakeholder,{key},{n % 5},Seen it"
            for n in range(4)
        ]
        importing.apply(importing.check("\n".join(lines).encode(), published), published)
        db.session.commit()
        # The demo's own stakeholder answers come along too.
        ratings = db.session.scalar(select(func.count()).select_from(StakeholderRating))
        invited = db.session.scalar(select(func.count()).select_from(StakeholderInvitation))
    backup = tmp_path / "backup.json"
    assert (
        source.test_cli_runner().invoke(args=["backup", "export", "--out", str(backup)]).exit_code
        == 0
    )
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    tables = json.loads(backup.read_text())["tables"]
    assert len(tables["stakeholder_rating"]) == ratings >= 4
    assert len(tables["stakeholder_invitation"]) == invited >= 4
    with target.app_context():
        ids = set(db.session.scalars(select(StakeholderRating.id)))
        assert ids == {row["id"] for row in tables["stakeholder_rating"]}
        assert score_snapshots.check() == []


def test_postgresql_plans_with_the_restored_rows_right_after_a_restore(
    two_databases, tmp_path: Path
) -> None:
    source, target = two_databases
    with target.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite plans without statistics unless told to keep them")
    with source.test_request_context():
        load_demo("correct horse battery staple")
        db.session.commit()
    dump = tmp_path / "backup.json"
    source.test_cli_runner().invoke(args=["backup", "export", "--out", str(dump)])
    tables = json.loads(dump.read_text())["tables"]
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(dump)])
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        # A fresh database's tables looked empty to the planner until autovacuum came round.
        def expected_rows(query: str) -> float:
            plan = db.session.execute(text("EXPLAIN (FORMAT JSON) " + query)).scalar_one()
            return float(plan[0]["Plan"]["Plan Rows"])

        assert expected_rows('SELECT * FROM "user"') == len(tables["user"]) == 9
        assert expected_rows("SELECT * FROM score_snapshot") == len(tables["assessment"]) > 0
