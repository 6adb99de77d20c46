"""Migration 0007 scores every assessment already recorded, so lists show them at once."""

from __future__ import annotations

import os
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import column, inspect, select, table

from app import create_app, data_version, score_snapshots
from app.extensions import db
from app.models import (
    Assessment,
    Interview,
    InterviewRating,
    RoleDefinition,
    RoleVersion,
    ScoreSnapshot,
    SelfAssessment,
    SelfRating,
    User,
)
from app.models.base import utcnow
from assessments.role_files import load_default_role, role_to_data
from config import BASE_DIR, TestConfig
from tests.fixtures.app import drop_postgres_database, fresh_postgres_database

ROLE = load_default_role()


def test_upgrade_stores_the_score_of_each_existing_assessment(tmp_path: Path) -> None:
    base = os.environ.get("TEST_DATABASE_URL")
    url = (
        fresh_postgres_database(base, f"streamlead_scores_{os.getpid()}")
        if base
        else f"sqlite:///{tmp_path / 'scores.sqlite'}"
    )

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    directory = str(BASE_DIR / "migrations")
    now = utcnow()
    with app.app_context():
        upgrade(directory=directory, revision="0006")
        # Rows as a running 0006 database holds them, written on the tables (no session hooks).
        with db.engine.connect() as conn, data_version.paused(conn), conn.begin():

            def insert(model: type, **values: object) -> None:
                # Only columns 0006 had (today's models have more), with the models' defaults.
                name = model.__tablename__  # type: ignore[attr-defined]
                present = {c["name"] for c in inspect(conn).get_columns(name)}
                for col in model.__table__.columns:  # type: ignore[attr-defined]
                    default = col.default
                    if col.name in present and col.name not in values and default is not None:
                        values[col.name] = default.arg(None) if default.is_callable else default.arg
                types = model.__table__.c  # type: ignore[attr-defined]
                columns = (column(k, types[k].type) for k in values)
                conn.execute(table(name, *columns).insert().values(**values))

            insert(User, id=1, email="exec@example.org", name="E", role="exec")
            insert(User, id=2, email="tom@example.org", name="T", role="interviewer")
            insert(RoleDefinition, id=1, key=ROLE.key, name=ROLE.name)
            insert(RoleVersion, id=1, definition_id=1, number=1, status="published",
                   content=role_to_data(ROLE))  # fmt: skip
            for a_id in (1, 2):
                insert(Assessment, id=a_id, candidate_id=1, role_version_id=1)
            insert(SelfAssessment, id=1, assessment_id=1, status="submitted", submitted_at=now)
            insert(Interview, id=1, assessment_id=1, interviewer_id=2, status="submitted",
                   submitted_at=now)  # fmt: skip
            for i, comp in enumerate(ROLE.competencies):
                insert(SelfRating, self_assessment_id=1, competency_key=comp.key, level=4)
                insert(InterviewRating, interview_id=1, competency_key=comp.key, level=i % 5)
        upgrade(directory=directory)
        stored = {s.assessment_id: s for s in db.session.scalars(select(ScoreSnapshot))}
        fresh = score_snapshots.fresh(db.session.connection(), [1, 2])
        found = {
            a_id: score_snapshots.differences(
                a_id,
                {name: getattr(stored[a_id], name) for name in score_snapshots.FIELDS},
                fresh[a_id],
            )
            for a_id in stored
        }
        bands = {a_id: s.band for a_id, s in stored.items()}
        db.session.remove()
        db.engine.dispose()
    if base:
        drop_postgres_database(base, url.rsplit("/", 1)[1])
    assert found == {1: [], 2: []}
    assert bands[2] == "insufficient-evidence"
    assert fresh[1]["interviews_submitted"] == 1 and fresh[1]["self_submitted"] is True
