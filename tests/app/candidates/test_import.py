"""`flask ratings import`: the whole file is checked first; a bad file writes nothing at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

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
from tests.fixtures.builders import answer, count, make_stream, nominate, publish_role

HEADER = "candidate_email,rater_email,source,competency,level,evidence"
GOOD = [
    HEADER,
    "sarah@example.org,sarah@example.org,self,value-and-pnl,3,Owns a £14m budget",
    "sarah@example.org,sarah@example.org,self,outcome-strategy,2,",
    "sarah@example.org,tom.okafor@example.org,interview,value-and-pnl,2,"
    '"Knows costs, less so revenue"',
    "sarah@example.org,tom.okafor@example.org,interview,outcome-strategy,,",
    "david@example.org,tom.okafor@example.org,interview,value-and-pnl,4,Strong on budgets",
]
TABLES = (User, Assessment, SelfAssessment, SelfRating, Interview, InterviewRating, AuditEvent)


def _run(app: Flask, tmp_path: Path, content: str | bytes, role: str = "product-director"):  # type: ignore[no-untyped-def]
    path = tmp_path / "ratings.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return app.test_cli_runner().invoke(args=["ratings", "import", str(path), "--role", role])


def _counts(app: Flask) -> dict[str, int]:
    return {model.__name__: count(app, model) for model in TABLES}


def test_a_good_file_is_imported_with_a_summary(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    result = _run(app, tmp_path, "\n".join(GOOD) + "\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Imported against Product Director (value stream) v1: 1 self-assessment(s) and "
        "2 interview(s), 5 rating(s), for 2 candidate(s).",
        "New accounts, without a password (send each an invite link with "
        "`flask users reset-link EMAIL`):",
        "  david@example.org (exec)",
        "  sarah@example.org (exec)",
        "  tom.okafor@example.org (interviewer)",
        "New assessments with no value stream (the CPO sets one on the assessment page):",
        "  sarah@example.org",
        "  david@example.org",
    ]
    with app.app_context():
        tom = db.session.scalar(select(User).where(User.email == "tom.okafor@example.org"))
        assert tom is not None and (tom.name, tom.role, tom.password_hash) == (
            "Tom Okafor",
            "interviewer",
            None,
        )
        sarah = db.session.scalar(select(User).where(User.email == "sarah@example.org"))
        assessment = db.session.scalars(
            select(Assessment).where(Assessment.candidate_id == sarah.id)
        ).one()
        assert assessment.value_stream_id is None
        sa = assessment.self_assessment
        assert (sa.status, sa.imported, sa.submitted_at is not None) == ("submitted", True, True)
        assert {r.competency_key: (r.level, r.evidence) for r in sa.ratings} == {
            "value-and-pnl": (3, "Owns a £14m budget"),
            "outcome-strategy": (2, ""),
        }
        interview = assessment.interviews[0]
        assert (interview.status, interview.imported, interview.interviewer_id) == (
            "submitted",
            True,
            tom.id,
        )
        ratings = {r.competency_key: (r.level, r.not_assessed, r.notes) for r in interview.ratings}
        assert ratings == {
            "value-and-pnl": (2, False, "Knows costs, less so revenue"),
            "outcome-strategy": (None, True, ""),
        }
        assert assessment.status == "scored"


def test_ratings_go_into_the_candidates_latest_assessment(
    app: Flask, tmp_path: Path, make_user
) -> None:
    candidate = make_user("exec", email="laura@example.org")
    interviewer = make_user("interviewer", email="mei@example.org")
    nominate(app, candidate, make_stream(app, name="Payments and billing"))
    latest = nominate(app, candidate, make_stream(app, name="Customer onboarding"))
    result = _run(
        app,
        tmp_path,
        "\ufeff"
        + "\r\n".join(
            [
                HEADER,
                "Laura@Example.org,MEI@example.org,interview,customer-evidence,3,Diary study",
            ]
        ),
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        interview = db.session.scalars(select(Interview)).one()
        assert interview.assessment_id == latest and interview.interviewer_id == interviewer.id
    assert count(app, Assessment) == 2


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [HEADER.replace(",evidence", ""), "a@example.org,a@example.org,self,value-and-pnl,1"],
            [
                "Line 1: the header row is missing the column(s) evidence",
                "Line 1: the first line must be the header row: " + HEADER,
            ],
        ),
        (
            [HEADER + ",notes", "a@example.org,a@example.org,self,value-and-pnl,1,,x"],
            [
                "Line 1: the header row has unexpected column(s) notes",
                "Line 1: the first line must be the header row: " + HEADER,
            ],
        ),
        (
            ["a@example.org,a@example.org,self,value-and-pnl,1,"],
            ["Line 1: the first line must be the header row: " + HEADER],
        ),
        (
            [
                HEADER,
                "a@example.org,a@example.org,self,value-and-pnl,1",
                "a@example.org,a@example.org,self,outcome-strategy,1,Good, really,",
            ],
            [
                "Line 2: expected 6 values, found 5. Wrap any value that contains a comma in "
                "double quotes.",
                "Line 3: expected 6 values, found 8. Wrap any value that contains a comma in "
                "double quotes.",
            ],
        ),
        (
            [
                HEADER,
                "not-an-email,not-an-email,self,value-and-pnl,1,",
                "a@example.org,,interview,value-and-pnl,1,",
            ],
            [
                'Line 2: candidate_email "not-an-email" is not a valid email address',
                'Line 2: rater_email "not-an-email" is not a valid email address',
                "Line 3: rater_email is empty",
            ],
        ),
        (
            [
                HEADER,
                "a@example.org,a@example.org,self,vision,2,",
                "a@example.org,a@example.org,self,value-and-pnl,5,",
                "a@example.org,a@example.org,self,outcome-strategy,two,",
                "a@example.org,b@example.org,panel,value-and-pnl,2,",
                "a@example.org,b@example.org,self,customer-evidence,2,",
                "a@example.org,a@example.org,interview,customer-evidence,2,",
            ],
            [
                'Line 2: unknown competency "vision": Product Director (value stream) v1 has '
                "continuous-prioritisation, customer-evidence, data-informed-decisions, "
                "delivery-health, growing-product-people, iterative-delivery, "
                "multidisciplinary-leadership, outcome-strategy, ownership-and-pull, "
                "product-quality, stakeholder-tension, technical-and-design-fluency, value-and-pnl",
                "Line 3: level must be a whole number from 0 to 4, or empty for not assessed, "
                'not "5"',
                "Line 4: level must be a whole number from 0 to 4, or empty for not assessed, "
                'not "two"',
                'Line 5: source must be "self", "interview" or "stakeholder", not "panel"',
                "Line 6: a self row's rater_email must be the candidate's email (a@example.org), "
                "not b@example.org",
                "Line 7: candidates cannot interview themselves",
            ],
        ),
        (
            [
                HEADER,
                "a@example.org,a@example.org,self,value-and-pnl,2,",
                "",
                "A@example.org,a@example.org,self,value-and-pnl,3,Again",
            ],
            ["Line 4: repeats line 2 (same candidate, rater, source and competency)"],
        ),
        (
            [
                HEADER,
                'a@example.org,a@example.org,self,value-and-pnl,2,"Multi',
                'line evidence"',
                "a@example.org,a@example.org,self,outcome-strategy,9,",
            ],
            [
                "Line 4: level must be a whole number from 0 to 4, or empty for not assessed, "
                'not "9"'
            ],
        ),
        (
            [HEADER, 'a@example.org,a@example.org,self,value-and-pnl,2,"unfinished'],
            [
                "Line 2: the line is not valid CSV (unexpected end of data). Check its quotes: a "
                "value containing a comma, quote or line break must be wrapped in double quotes."
            ],
        ),
        (
            [
                HEADER,
                "hr@example.org,hr@example.org,self,value-and-pnl,2,",
                "b@example.org,hr@example.org,interview,value-and-pnl,2,",
                "c@example.org,a@example.org,interview,value-and-pnl,2,",
                "a@example.org,a@example.org,self,value-and-pnl,2,",
            ],
            [
                "Line 2: hr@example.org has the role HR in Streamlead, so cannot be a candidate",
                "Line 3: hr@example.org is both a candidate and an interviewer in this file (see "
                "line 2); one person cannot be both",
                "Line 5: a@example.org is both a candidate and an interviewer in this file (see "
                "line 4); one person cannot be both",
            ],
        ),
    ],
    ids=[
        "missing-column",
        "extra-column",
        "no-header",
        "column-count",
        "bad-email",
        "bad-values",
        "duplicate",
        "multi-line-records",
        "unterminated-quote",
        "roles",
    ],
)
def test_bad_files_list_every_problem_and_write_nothing(
    app: Flask, tmp_path: Path, make_user, lines: list[str], expected: list[str]
) -> None:
    publish_role(app)
    make_user("hr", email="hr@example.org")
    before = _counts(app)
    result = _run(app, tmp_path, "\n".join(lines) + "\n")
    assert result.exit_code == 1
    problems = result.output.splitlines()[:-1]
    assert problems == expected
    assert "nothing was imported" in result.output.splitlines()[-1]
    assert _counts(app) == before


def test_header_problems_stop_before_rows_are_read(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    result = _run(
        app, tmp_path, "candidate_email,rater,source,competency,level,evidence,evidence\n"
    )
    assert result.output.splitlines()[:4] == [
        "Line 1: the header row is missing the column(s) rater_email",
        "Line 1: the header row has unexpected column(s) rater",
        "Line 1: the header row repeats the column(s) evidence",
        "Line 1: the first line must be the header row: " + HEADER,
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty: the first line must be the header row: " + HEADER),
        (
            b"\xef\xbb\xbf\n\n",
            "The file is empty: the first line must be the header row: " + HEADER,
        ),
        (HEADER.encode() + b"\n", "The file has a header row but no ratings"),
        (
            (HEADER + "\nsarah@example.org,sarah@example.org,self,value-and-pnl,3,caf").encode()
            + b"\xe9\n",
            "Line 2: the file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.",
        ),
    ],
    ids=["empty", "bom-and-blank-lines", "header-only", "latin-1"],
)
def test_empty_and_non_utf8_files_are_refused(
    app: Flask, tmp_path: Path, content: bytes, expected: str
) -> None:
    publish_role(app)
    before = _counts(app)
    result = _run(app, tmp_path, content)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == expected
    assert _counts(app) == before


def test_existing_self_assessment_or_interview_is_not_overwritten(
    app: Flask, tmp_path: Path, make_user
) -> None:
    candidate = make_user("exec", email="sarah@example.org")
    assessment_id = nominate(app, candidate)
    answer(app, assessment_id, {"value-and-pnl": (2, "draft")})
    before = _counts(app)
    result = _run(app, tmp_path, "\n".join(GOOD[:3]))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Line 2: sarah@example.org already has a self-assessment for Product Director (value "
        "stream) v1; remove these rows, or ask the CPO to handle it in Streamlead"
    )
    assert _counts(app) == before


def test_unknown_role_is_refused(app: Flask, tmp_path: Path) -> None:
    result = _run(app, tmp_path, "\n".join(GOOD), role="no-such-role")
    assert result.exit_code == 1
    assert "No published version of a role with the key 'no-such-role'" in result.output
    assert count(app, User) == 0


def test_thousands_of_bad_lines_list_the_first_hundred_and_count_the_rest(
    app: Flask, tmp_path: Path
) -> None:
    publish_role(app)
    before = _counts(app)
    bad = [f"person{n}@example.org,,interview,no-such-competency,9," for n in range(5000)]
    result = _run(app, tmp_path, "\n".join([HEADER, *bad]) + "\n")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 102
    assert all(line.startswith("Line ") for line in lines[:100])
    assert lines[0].startswith("Line 2:")
    hidden = int(lines[100].split()[2].replace(",", ""))
    assert lines[100] == f"… and {hidden:,} more errors"
    assert hidden > 4900
    assert lines[101].startswith(f"Error: {100 + hidden:,} problems in ratings.csv")
    assert _counts(app) == before
