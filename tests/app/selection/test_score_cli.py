"""`flask score`: the breakdown of an exec's latest assessment, worked out by hand."""

from __future__ import annotations

import json

from flask import Flask

from app.extensions import db
from tests.fixtures.builders import add_interview, make_assessment, new_stream, publish_mini_role

# Mini role (keys in role order):
#   a  value       weight 3    required 3  must-have
#   b  value       weight 2    required 2
#   c  workflow    weight 1.5  required 3
#   d  leadership  weight 1    required 2  must-have
# Self:        a 4, b 2, c 1, d not given.
# Submitted:   Tom a2 b3 c3 d2 · Mei a3 b(not assessed) c4 d1 · Ana a2 b2 c2 d(not assessed)
# Ignored:     Raj's draft, all 4s.
#
# a: P = 7/3 -> 2.33; attainment 7/9 -> 0.778; gap 3 - 2.33 = 0.67; self - P = 1.67 -> blind spot
# b: P = 2.5; attainment min(1.25, 1) = 1; gap 0
# c: P = 3; attainment 1; gap 0; P - self = 2 -> hidden strength; 4 - 2 = 2 -> calibrate
# d: P = 1.5; attainment 0.75; gap 0.5
# readiness = 100 x (3 x 7/9 + 2 + 1.5 + 0.75) / 7.5 = 87.777... -> 87.8
# value lens = 100 x (3 x 7/9 + 2) / 5 = 86.666... -> 86.7; workflow 100; leadership 75
# coverage = 7.5 / 7.5 = 1.0; must-haves unmet: a (2.33 < 3) and d (1.5 < 2);
# band: readiness >= 65 and must-have gaps 0.67 and 0.5 are <= 1 -> ready-with-support.
EXPECTED = {
    "candidate": "david.mensah@example.org",
    "role": "mini-pd",
    "version": 1,
    "readiness": 87.8,
    "band": "ready-with-support",
    "coverage": 1.0,
    "lenses": {"value": 86.7, "workflow": 100.0, "quality": None, "leadership": 75.0},
    "must_have_unmet": ["a", "d"],
    "competencies": [
        {
            "key": "a",
            "required": 3,
            "weight": 3.0,
            "self": 4,
            "panel": 2.33,
            "ratings": [2, 3, 2],
            "gap": 0.67,
            "attainment": 0.778,
            "flags": ["blind-spot"],
            "stakeholder": None,
            "stakeholder_count": 0,
        },
        {
            "key": "b",
            "required": 2,
            "weight": 2.0,
            "self": 2,
            "panel": 2.5,
            "ratings": [3, 2],
            "gap": 0.0,
            "attainment": 1.0,
            "flags": [],
            "stakeholder": None,
            "stakeholder_count": 0,
        },
        {
            "key": "c",
            "required": 3,
            "weight": 1.5,
            "self": 1,
            "panel": 3.0,
            "ratings": [3, 4, 2],
            "gap": 0.0,
            "attainment": 1.0,
            "flags": ["hidden-strength", "calibrate"],
            "stakeholder": None,
            "stakeholder_count": 0,
        },
        {
            "key": "d",
            "required": 2,
            "weight": 1.0,
            "self": None,
            "panel": 1.5,
            "ratings": [2, 1],
            "gap": 0.5,
            "attainment": 0.75,
            "flags": [],
            "stakeholder": None,
            "stakeholder_count": 0,
        },
    ],
    "stakeholder_responses": 0,
}


def _scene(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    candidate = make_user("exec", email="david.mensah@example.org", name="David Mensah")
    panel = [make_user("interviewer") for _ in range(4)]
    with app.app_context():
        version = publish_mini_role()
        old = make_assessment(candidate.id, version, new_stream("Old stream"), self_ratings={})
        add_interview(old, panel[0].id, {"a": 4, "b": 4, "c": 4, "d": 4})
        assessment = make_assessment(
            candidate.id,
            version,
            new_stream("Payments and billing"),
            self_ratings={"a": 4, "b": 2, "c": 1, "d": None},
        )
        assessment.created_at = old.created_at.replace(year=old.created_at.year + 1)
        add_interview(assessment, panel[0].id, {"a": 2, "b": 3, "c": 3, "d": 2})
        add_interview(assessment, panel[1].id, {"a": 3, "b": "na", "c": 4, "d": 1})
        add_interview(assessment, panel[2].id, {"a": 2, "b": 2, "c": 2, "d": "na"})
        add_interview(assessment, panel[3].id, {"a": 4, "b": 4, "c": 4, "d": 4}, status="draft")
        db.session.commit()


def test_score_json_matches_the_hand_worked_example(app: Flask, make_user) -> None:
    _scene(app, make_user)
    result = app.test_cli_runner().invoke(
        args=["score", "David.Mensah@example.org", "--role", "mini-pd", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == EXPECTED
    assert list(data) == list(EXPECTED)
    assert list(data["competencies"][0]) == list(EXPECTED["competencies"][0])


def test_score_table_reads_the_same_numbers(app: Flask, make_user) -> None:
    _scene(app, make_user)
    result = app.test_cli_runner().invoke(
        args=["score", "david.mensah@example.org", "--role", "mini-pd"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "David Mensah <david.mensah@example.org>"
    assert lines[1] == "Mini Product Director v1 (mini-pd), Payments and billing"
    assert "Band:       Ready with support (ready-with-support)" in lines
    assert "Readiness:  87.8%" in lines
    assert "Coverage:   1.000 of the weight assessed" in lines
    assert "Lenses:     Value 86.7%, Workflow 100.0%, Quality -, Leadership 75.0%" in lines
    assert "Must-haves unmet: a, d" in lines
    row_a = next(line for line in lines if line.startswith("a *"))
    assert row_a.split() == [
        "a",
        "*",
        "3",
        "3",
        "4",
        "2.33",
        "2,3,2",
        "0.67",
        "0.778",
        "-",
        "blind",
        "spot",
    ]
    row_c = next(line for line in lines if line.startswith("c "))
    assert row_c.split() == [
        "c",
        "1.5",
        "3",
        "1",
        "3",
        "3,4,2",
        "0",
        "1",
        "-",
        "hidden",
        "strength,",
        "calibrate",
    ]
    row_d = next(line for line in lines if line.startswith("d *"))
    assert row_d.split() == ["d", "*", "1", "2", "-", "1.5", "2,1", "0.5", "0.75", "-"]


def test_unknown_email_fails_clearly(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["score", "nobody@example.org", "--role", "x"])
    assert result.exit_code != 0
    assert "No user with the email nobody@example.org" in result.output


def test_unknown_role_fails_clearly(app: Flask, make_user) -> None:
    user = make_user("exec")
    result = app.test_cli_runner().invoke(args=["score", user.email, "--role", "no-such-role"])
    assert result.exit_code != 0
    assert "No role definition with the key no-such-role" in result.output


def test_no_assessment_fails_clearly(app: Flask, make_user) -> None:
    user = make_user("exec")
    with app.app_context():
        publish_mini_role()
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["score", user.email, "--role", "mini-pd"])
    assert result.exit_code != 0
    assert f"{user.email} has no assessment for the role mini-pd" in result.output
