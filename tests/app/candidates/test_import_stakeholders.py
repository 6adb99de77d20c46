"""Stakeholder rows in `flask ratings import`: no accounts, unlinked answers, the same
whole-file checks; and the issue's test: `flask score --json` shows the stakeholder view beside
an unchanged score (run it on PostgreSQL too with TEST_DATABASE_URL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select

from app import create_app, score_snapshots
from app.extensions import db
from app.models import (
    AuditEvent,
    StakeholderComment,
    StakeholderInvitation,
    StakeholderRating,
    User,
)
from tests.fixtures.builders import ALL_KEYS, count, publish_role

HEADER = "candidate_email,rater_email,source,competency,level,evidence"
PANEL = {
    # competency -> (Tom, Mei); every other competency 3 and 3
    "value-and-pnl": (3, 3),
    "stakeholder-tension": (3, 4),
    "outcome-strategy": (2, 3),
    "customer-evidence": (2, 2),
}
# Five stakeholders; an empty level is "not observed".
#               value  tension  outcome  customer
STAKEHOLDERS = {
    "s1@partner.example.com": ("1", "2", "0", "4"),
    "s2@partner.example.com": ("2", "2", "0", "3"),
    "s3@partner.example.com": ("1", "1", "", "4"),
    "s4@partner.example.com": ("2", "", "", ""),
    "s5@partner.example.com": ("", "", "", ""),
}
ASKED = ("value-and-pnl", "stakeholder-tension", "outcome-strategy", "customer-evidence")


def _rows(candidate: str, *, stakeholders: bool) -> list[str]:
    lines = [f"{candidate},{candidate},self,{key},3,Own view" for key in ALL_KEYS]
    for number, rater in enumerate(("tom@example.org", "mei@example.org")):
        for key in ALL_KEYS:
            level = PANEL.get(key, (3, 3))[number]
            lines.append(f"{candidate},{rater},interview,{key},{level},Notes")
    if stakeholders:
        for rater, levels in STAKEHOLDERS.items():
            for key, level in zip(ASKED, levels, strict=True):
                comment = '"They keep us informed, mostly"' if key == "stakeholder-tension" else ""
                lines.append(f"{candidate},{rater},stakeholder,{key},{level},{comment}")
    return lines


def _import(app: Flask, tmp_path: Path, lines: list[str], name: str = "ratings.csv"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return app.test_cli_runner().invoke(
        args=["ratings", "import", str(path), "--role", "product-director"]
    )


def _score(app: Flask, email: str) -> dict[str, Any]:
    result = app.test_cli_runner().invoke(
        args=["score", email, "--role", "product-director", "--json"]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_score_shows_stakeholder_means_from_three_and_the_same_score_as_without(
    app: Flask, tmp_path: Path
) -> None:
    publish_role(app)
    both = _rows("ada@example.org", stakeholders=True) + _rows(
        "ben@example.org", stakeholders=False
    )
    result = _import(app, tmp_path, both)
    assert result.exit_code == 0, result.output
    with_them, without = _score(app, "ada@example.org"), _score(app, "ben@example.org")

    by_key = {c["key"]: c for c in with_them["competencies"]}
    # value-and-pnl: 4 rated (1, 2, 1, 2) -> 1.5; panel 3; 3 - 1.5 = 1.5 -> concern
    assert (
        by_key["value-and-pnl"]["stakeholder"],
        by_key["value-and-pnl"]["stakeholder_count"],
    ) == (1.5, 4)
    assert by_key["value-and-pnl"]["flags"] == ["stakeholder-concern"]
    # stakeholder-tension: 3 rated (2, 2, 1) -> 1.67; panel 3.5; 1.83 -> concern
    tension = by_key["stakeholder-tension"]
    assert (tension["stakeholder"], tension["stakeholder_count"]) == (1.67, 3)
    assert tension["flags"] == ["stakeholder-concern"]
    # outcome-strategy: only 2 rated -> null, however low; no flag
    outcome = by_key["outcome-strategy"]
    assert (outcome["stakeholder"], outcome["stakeholder_count"], outcome["flags"]) == (None, 2, [])
    # customer-evidence: 3 rated (4, 3, 4) -> 3.67, above the panel's 2: no concern
    customer = by_key["customer-evidence"]
    assert (customer["stakeholder"], customer["stakeholder_count"], customer["flags"]) == (
        3.67,
        3,
        [],
    )
    # Nobody was asked about the rest.
    rest = [c for c in with_them["competencies"] if c["key"] not in ASKED]
    assert rest and all((c["stakeholder"], c["stakeholder_count"]) == (None, 0) for c in rest)
    assert with_them["stakeholder_responses"] == 5
    assert without["stakeholder_responses"] == 0

    # The score itself is exactly the same as without the stakeholder rows.
    for name in ("readiness", "coverage", "band", "lenses", "must_have_unmet"):
        assert with_them[name] == without[name], name
    assert with_them["band"] != "insufficient-evidence"  # a real score, not a trivial one

    def panel_only(data: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                **{k: v for k, v in c.items() if k not in ("stakeholder", "stakeholder_count")},
                "flags": [f for f in c["flags"] if f != "stakeholder-concern"],
            }
            for c in data["competencies"]
        ]

    assert panel_only(with_them) == panel_only(without)
    # Stored scores agree with a fresh computation.
    with app.app_context():
        assert score_snapshots.check() == []


def test_stakeholders_get_no_account_and_their_answers_no_link(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    users_before = count(app, User)
    result = _import(app, tmp_path, _rows("ada@example.org", stakeholders=True))
    assert result.exit_code == 0, result.output
    assert (
        "Stakeholder feedback: 5 response(s) with 12 rating(s), stored without a link to who "
        "gave them (no accounts were created for stakeholders)."
    ) in result.output.splitlines()
    # Ada, Tom and Mei only.
    assert count(app, User) == users_before + 3
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
        assert not any(e.endswith("partner.example.com") for e in emails)
        invitations = list(db.session.scalars(select(StakeholderInvitation)))
        assert sorted(i.email for i in invitations) == sorted(STAKEHOLDERS)
        for invitation in invitations:
            assert invitation.imported is True
            assert invitation.token_hash is None
            assert invitation.submitted_at is not None
            assert invitation.draft == {}
            assert invitation.relationship == "other"
        # "Not observed" stores nothing: 4 + 3 + 2 + 3 ratings.
        assert count(app, StakeholderRating) == 12
        comments = list(db.session.scalars(select(StakeholderComment)))
        assert [c.text for c in comments] == ["They keep us informed, mostly"] * 5
        assert {c.competency_key for c in comments} == {"stakeholder-tension"}
        # Nothing in a rating or comment row can lead back to the person or the time.
        columns = {c["name"] for c in inspect(db.engine).get_columns("stakeholder_rating")}
        assert columns == {"id", "assessment_id", "competency_key", "level"}
        columns = {c["name"] for c in inspect(db.engine).get_columns("stakeholder_comment")}
        assert columns == {"id", "assessment_id", "competency_key", "text"}
        ids = [r.id for r in db.session.scalars(select(StakeholderRating))]
        assert all(len(i) == 32 for i in ids) and len(set(ids)) == 12
        # The audit trail names who was asked, never what anyone said.
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "stakeholder.import")
        )
        assert event.new_value == {"stakeholders": sorted(STAKEHOLDERS)}
        assert "level" not in json.dumps(event.new_value)


def test_bad_stakeholder_rows_are_named_and_nothing_is_written(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    lines = [
        "ada@example.org,ada@example.org,stakeholder,value-and-pnl,2,",
        "ada@example.org,s1@partner.example.com,stakeholder,value-and-pnl,5,",
        "ada@example.org,not-an-email,stakeholder,value-and-pnl,2,",
        "ada@example.org,s1@partner.example.com,peer,value-and-pnl,2,",
        "ada@example.org,tom@example.org,interview,value-and-pnl,2,",
        "ada@example.org,tom@example.org,stakeholder,value-and-pnl,1,",
        "ada@example.org,s2@partner.example.com,stakeholder,value-and-pnl,1,",
        "ada@example.org,s2@partner.example.com,stakeholder,value-and-pnl,2,",
    ]
    result = _import(app, tmp_path, lines)
    assert result.exit_code != 0
    problems = result.output.splitlines()
    assert (
        "Line 2: a stakeholder row's rater_email must be someone other than the candidate "
        "(ada@example.org)"
    ) in problems
    assert (
        'Line 3: level must be a whole number from 0 to 4, or empty for not observed, not "5"'
    ) in problems
    assert 'Line 4: rater_email "not-an-email" is not a valid email address' in problems
    assert 'Line 5: source must be "self", "interview" or "stakeholder", not "peer"' in problems
    assert (
        "Line 7: tom@example.org interviews ada@example.org in this file (line 6); one person "
        "gives one view, so remove either their stakeholder rows or their interview rows"
    ) in problems
    assert "Line 9: repeats line 8 (same candidate, rater, source and competency)" in problems
    assert count(app, StakeholderInvitation) == 0
    assert count(app, StakeholderRating) == 0
    assert count(app, User) == 0


def test_the_same_stakeholder_cannot_be_imported_twice(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    first = _import(app, tmp_path, _rows("ada@example.org", stakeholders=True))
    assert first.exit_code == 0, first.output
    again = _import(
        app,
        tmp_path,
        [
            "ada@example.org,s1@partner.example.com,stakeholder,growing-product-people,3,",
            "ada@example.org,tom@example.org,stakeholder,growing-product-people,3,",
        ],
        name="again.csv",
    )
    assert again.exit_code != 0
    problems = again.output.splitlines()
    assert (
        "Line 2: s1@partner.example.com is already a stakeholder of ada@example.org for "
        "Product Director (value stream) v1 (invited or imported); remove these rows"
    ) in problems
    assert (
        "Line 3: tom@example.org is on the interview panel of ada@example.org for "
        "Product Director (value stream) v1; a panel member cannot also rate as a stakeholder"
    ) in problems
    assert count(app, StakeholderRating) == 12


def test_no_stakeholder_is_added_once_the_round_has_closed(app: Flask, tmp_path: Path) -> None:
    """Imported answers close the round (nobody is left to answer) and show: one more
    stakeholder's rows would change the results by exactly what they said."""
    publish_role(app)
    assert _import(app, tmp_path, _rows("ada@example.org", stakeholders=True)).exit_code == 0
    late = _import(
        app,
        tmp_path,
        ["ada@example.org,s9@partner.example.com,stakeholder,value-and-pnl,4,"],
        name="late.csv",
    )
    assert late.exit_code != 0
    assert (
        "Line 2: the stakeholder feedback round for ada@example.org has closed and its results "
        "are shown, so no more answers can be added: one more would change them by exactly what "
        "that person said; remove these rows"
    ) in late.output.splitlines()
    assert count(app, StakeholderRating) == 12


def test_a_threshold_below_two_is_refused_at_start_up() -> None:
    with pytest.raises(RuntimeError, match="STAKEHOLDER_MIN_RESPONSES must be at least 2"):
        create_app({"STAKEHOLDER_MIN_RESPONSES": 1, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
