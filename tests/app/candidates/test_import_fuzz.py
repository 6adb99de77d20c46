"""Random and hostile CSV never writes anything unless the whole file is valid."""

from __future__ import annotations

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.candidates import importing
from app.extensions import db
from app.models import User
from app.roles.lifecycle import add_version
from app.roles.lookups import latest_published
from assessments.role_files import load_default_role

HEADER = "candidate_email,rater_email,source,competency,level,evidence"
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "a@example.org",
            "self",
            "interview",
            "value-and-pnl",
            "3",
            "9",
            "-1",
            "",
            "=cmd|' /C calc'!A0",
            "<script>x</script>",
            '"',
            "\x00",
            "é" * 50,
        ]
    ),
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=8), max_size=6)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS, raw=st.binary(max_size=80))
def test_bad_files_are_refused_whole(app: Flask, rows: list[list[str]], raw: bytes) -> None:
    with app.test_request_context():
        version = latest_published("product-director") or add_version(
            load_default_role(), publish=True, actor=None
        )
        db.session.commit()
        users_before = db.session.query(User).count()
        text = "\n".join([HEADER, *(",".join(r) for r in rows)])
        for data in (text.encode("utf-8"), raw):
            try:
                plan = importing.check(data, version)
            except importing.ImportProblems as exc:
                assert str(exc)
                assert db.session.query(User).count() == users_before
            else:
                importing.apply(plan, version)
                db.session.rollback()
