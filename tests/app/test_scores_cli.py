"""`flask scores rebuild [--check]`: recompute every stored score, or only report differences."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, select, update

from app.extensions import db
from app.models import ScoreSnapshot
from tests.fixtures.builders import panel_scene


def run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["scores", "rebuild", *args])


def _stored(app: Flask, assessment_id: int) -> tuple[float, str] | None:
    with app.app_context():
        row = db.session.execute(
            select(ScoreSnapshot.readiness, ScoreSnapshot.band).where(
                ScoreSnapshot.assessment_id == assessment_id
            )
        ).first()
        return (row[0], row[1]) if row is not None else None


def _tamper(app: Flask, assessment_id: int) -> None:
    """Change stored figures behind the app's back, as a bug or a hand edit would."""
    with app.app_context():
        db.session.execute(
            update(ScoreSnapshot)
            .where(ScoreSnapshot.assessment_id == assessment_id)
            .values(readiness=99.9, band="ready-now", interviews_submitted=7)
        )
        db.session.commit()


def test_check_reports_each_difference_and_changes_nothing(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    good = _stored(app, scene.assessment_id)
    assert good is not None
    _tamper(app, scene.assessment_id)

    result = run(app, "--check")

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    a = scene.assessment_id
    assert f"assessment {a}: readiness: stored 99.9, fresh {good[0]!r}" in lines
    assert f"assessment {a}: band: stored 'ready-now', fresh '{good[1]}'" in lines
    assert f"assessment {a}: interviews_submitted: stored 7, fresh 1" in lines
    assert lines[-1] == "3 difference(s) in 1 assessment(s)."
    assert _stored(app, scene.assessment_id) == (99.9, "ready-now")  # untouched

    fixed = run(app)
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output.strip() == "Rebuilt 1 score snapshot(s); 1 had differed."
    assert _stored(app, scene.assessment_id) == good

    clean = run(app, "--check")
    assert clean.exit_code == 0, clean.output
    assert clean.output.strip() == "Every stored score matches a fresh computation."


def test_rebuild_writes_a_missing_snapshot(app: Flask, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        db.session.execute(delete(ScoreSnapshot))
        db.session.commit()

    missing = run(app, "--check")
    assert missing.exit_code == 1
    assert f"assessment {scene.assessment_id}: snapshot: stored None, fresh 'present'" in (
        missing.output
    )

    assert run(app).exit_code == 0
    assert _stored(app, scene.assessment_id) is not None
    assert run(app, "--check").exit_code == 0
