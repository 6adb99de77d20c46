"""`flask ratings import` in bulk: exactly the expected rows, a fixed number of statements."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Assessment,
    AuditEvent,
    Interview,
    InterviewRating,
    SelfAssessment,
    SelfRating,
    User,
)
from tests.fixtures.builders import publish_role
from tests.fixtures.queries import count_queries

HEADER = "candidate_email,rater_email,source,competency,level,evidence"
KEYS = ("value-and-pnl", "outcome-strategy")


def _file(tmp_path: Path, candidates: int) -> Path:
    lines = [HEADER]
    for n in range(candidates):
        email = f"c{n}@example.org"
        for rater, source in (
            (email, "self"),
            ("i1@example.org", "interview"),
            ("i2@example.org", "interview"),
        ):
            for i, key in enumerate(KEYS):
                level = "" if (n + i) % 5 == 4 else str((n + i) % 5)
                lines.append(f"{email},{rater},{source},{key},{level},Note {n} {i}")
    path = tmp_path / f"ratings-{candidates}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(app: Flask, path: Path) -> None:
    args = ["ratings", "import", str(path), "--role", "product-director"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output


def test_many_candidates_are_stored_exactly(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    _import(app, _file(tmp_path, 12))
    with app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert count(User) == 14
        assert count(Assessment) == 12
        assert count(SelfAssessment) == 12 and count(SelfRating) == 24
        assert count(Interview) == 24 and count(InterviewRating) == 48
        assert {s.status for s in db.session.scalars(select(SelfAssessment))} == {"submitted"}
        interviews = db.session.scalars(select(Interview)).all()
        assert {(i.status, i.imported, i.submitted_at is not None) for i in interviews} == {
            ("submitted", True, True)
        }
        c3 = db.session.scalar(select(User).where(User.email == "c3@example.org"))
        assert c3 is not None and c3.role == "exec" and c3.name == "C3"
        assessment = db.session.scalar(select(Assessment).where(Assessment.candidate_id == c3.id))
        assert assessment is not None and assessment.self_assessment is not None
        own = {r.competency_key: (r.level, r.evidence) for r in assessment.self_assessment.ratings}
        assert own == {"value-and-pnl": (3, "Note 3 0"), "outcome-strategy": (None, "Note 3 1")}
        panel = {
            (i.interviewer.email, r.competency_key): (r.level, r.not_assessed, r.notes)
            for i in assessment.interviews
            for r in i.ratings
        }
        assert panel[("i2@example.org", "outcome-strategy")] == (None, True, "Note 3 1")
        assert panel[("i1@example.org", "value-and-pnl")] == (3, False, "Note 3 0")
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.not_like("role.%"))
            .order_by(AuditEvent.id)
        ).all()
        assert actions[:6] == [
            "user.create",
            "assessment.import",
            "self.import",
            "user.create",
            "interview.import",
            "user.create",
        ]
        assert actions.count("interview.import") == 24 and actions.count("self.import") == 12
        assert actions.count("user.create") == 14 and actions.count("assessment.import") == 12


def _statements(app: Flask, tmp_path: Path, candidates: int) -> int:
    path = _file(tmp_path, candidates)
    with count_queries(app) as statements:
        _import(app, path)
    return len(statements)


def test_the_number_of_statements_does_not_grow_with_the_file(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    few = _statements(app, tmp_path, 10)
    with app.app_context():
        for model in (
            InterviewRating,
            SelfRating,
            Interview,
            SelfAssessment,
            Assessment,
            AuditEvent,
        ):
            db.session.execute(model.__table__.delete())
        db.session.execute(User.__table__.delete())
        db.session.commit()
    many = _statements(app, tmp_path, 50)
    assert many == few
