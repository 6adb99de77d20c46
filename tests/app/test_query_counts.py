"""Every list page runs the same number of SQL statements whatever the number of rows it shows,
and reads stored scores instead of scoring.

The demo organisation plus K extra candidates for Customer onboarding, each nominated with a
submitted self-assessment; every third has a panel still interviewing (the CPO and Mei
submitted, Tom's interview a draft) and every third after that is fully interviewed and
selected (so induction and coaching start). Each page is counted at K=3 and at K=9.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from unittest import mock

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import score_snapshots, scores
from app.candidates import nominations, self_assessment
from app.demo import load_demo
from app.extensions import db
from app.interviews import steps as interview_steps
from app.models import RoleVersion, ScoreSnapshot, User, ValueStream
from app.reports.documents import OPERATOR
from app.reports.shortlist import shortlist_document
from app.roles.lookups import latest_published
from app.selection import services as selection
from tests.fixtures.builders import (
    PANEL_A,
    PASSWORD,
    add_interview,
    all_ratings,
    published_role,
    report_stream,
    scored_assessment,
    set_experience,
)
from tests.fixtures.client import sign_in
from tests.fixtures.queries import count_queries, queries_for

STREAM = "Customer onboarding"
LOGINS = {
    "admin": "admin@example.org",
    "cpo": "cpo@example.org",
    "interviewer": "interviewer1@example.org",
    "exec": "exec1@example.org",
    "hr": "hr@example.org",
}


def _name(n: int) -> str:
    return f"Query Candidate {n:02d}"


def _add_candidates(app: Flask, start: int, stop: int) -> None:
    """Candidates start..stop-1 (see the module docstring for what each has)."""
    with app.test_request_context():
        cpo, tom, mei = (
            db.session.scalars(select(User).where(User.email == email)).one()
            for email in ("cpo@example.org", "interviewer1@example.org", "interviewer2@example.org")
        )
        stream = db.session.scalars(select(ValueStream).where(ValueStream.name == STREAM)).one()
        version = latest_published("product-director")
        assert version is not None
        for n in range(start, stop):
            exec_user = nominations.create_exec(_name(n), f"query{n:02d}@example.org")
            set_experience(exec_user, {"Product management": "deep", "Engineering": "some"})
            assessment = nominations.nominate(exec_user, stream, version, actor=cpo)
            sa = self_assessment.save_self_answers(
                assessment,
                {
                    c.key: self_assessment.Answer(2 + n % 2, f"Example {n}")
                    for c in version.role.competencies
                },
                expected_version=None,
                actor=exec_user,
            )
            assert sa is not None
            self_assessment.submit_self(assessment, expected_version=sa.version, actor=exec_user)
            if n % 3 == 0:
                continue
            add_interview(assessment, cpo, all_ratings(version, 3))
            add_interview(assessment, mei, all_ratings(version, 2 + n % 2))
            if n % 3 == 1:
                add_interview(assessment, tom, status="draft", recommendation=None)
                continue
            add_interview(assessment, tom, all_ratings(version, 3))
            selection.record_decision(
                assessment,
                "selected",
                f"Strong panel evidence for {_name(n)}",
                start_date=date(2026, 11, 2),
                actor=cpo,
            )
        db.session.commit()


@pytest.fixture
def demo(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    yield


def _clients(app: Flask) -> dict[str, FlaskClient]:
    clients = {}
    for role, email in LOGINS.items():
        client = app.test_client()
        assert sign_in(client, email).status_code == 302, f"sign-in as {email} failed"
        clients[role] = client
    return clients


def _pages(app: Flask) -> dict[str, tuple[str, str]]:
    """Page name -> (role, URL)."""
    with app.app_context():
        stream_id = db.session.scalars(
            select(ValueStream.id).where(ValueStream.name == STREAM)
        ).one()
    return {
        "home (CPO)": ("cpo", "/"),
        "home (HR)": ("hr", "/"),
        "home (exec)": ("exec", "/"),
        "home (interviewer)": ("interviewer", "/"),
        "candidates": ("cpo", "/candidates"),
        "candidates, filtered": ("hr", f"/candidates?stream={stream_id}&status=decided"),
        "value streams": ("cpo", "/streams"),
        "a value stream": ("cpo", f"/streams/{stream_id}"),
        "shortlist": ("cpo", f"/value-streams/{stream_id}/shortlist"),
        "my interviews (CPO)": ("cpo", "/interviews"),
        "my interviews (interviewer)": ("interviewer", "/interviews"),
        "progress": ("hr", "/progress"),
        "accounts": ("admin", "/admin/users"),
        "audit log": ("admin", "/admin/audit"),
        "roles": ("cpo", "/roles"),
    }


# Pages that must list the ninth candidate (n=8: interviewed and selected) or the eighth
# (n=7: Tom's interview still a draft), so a page that stopped showing rows cannot pass.
SHOWS_AT_NINE = {
    "candidates": _name(8),
    "candidates, filtered": _name(8),
    "a value stream": _name(8),
    "shortlist": _name(8),
    "my interviews (interviewer)": _name(7),
    "my interviews (CPO)": _name(7),
    "home (interviewer)": _name(7),
    "home (CPO)": _name(6),
    "progress": _name(8),
    "accounts": _name(8),
    "audit log": _name(8),
}


def _count(app: Flask, clients: dict[str, FlaskClient], pages: dict[str, tuple[str, str]]):  # type: ignore[no-untyped-def]
    return {name: len(queries_for(app, clients[role], url)) for name, (role, url) in pages.items()}


def test_every_list_page_runs_as_many_queries_for_nine_extra_candidates_as_for_three(
    app: Flask, demo: None
) -> None:
    clients = _clients(app)
    pages = _pages(app)
    _add_candidates(app, 0, 3)
    three = _count(app, clients, pages)
    _add_candidates(app, 3, 9)
    nine = _count(app, clients, pages)
    grown = {name: f"{three[name]} -> {nine[name]}" for name in pages if nine[name] != three[name]}
    assert grown == {}
    for name, candidate in SHOWS_AT_NINE.items():
        role, url = pages[name]
        text = clients[role].get(url).get_data(as_text=True)
        assert candidate in text, f"{name} ({url}) does not list {candidate}"


# --- Stored scores: 3 scored candidates against 30 -----------------------------------------
#
# Every candidate has a submitted self-assessment and two submitted interviews (Tom's and
# Mei's); every third is decided, and Tom and Mei disagree by two levels on every fifth's
# first competency (a calibration flag). Pages that list them read stored scores: as many
# queries for 30 as for 3, and not one assessment scored while a page is built.


def _listed(n: int) -> str:
    return f"Listed Candidate {n:02d}"


@pytest.fixture
def org(app: Flask, make_user: Any) -> dict[str, Any]:
    """A CPO, HR, two interviewers and an empty stream; returns ids and signed-in clients."""
    people = {
        "cpo": make_user("cpo", name="Priya Raman"),
        "hr": make_user("hr", name="Hannah Price"),
        "tom": make_user("interviewer", name="Tom Okafor"),
        "mei": make_user("interviewer", name="Mei Lin"),
    }
    with app.app_context():
        stream = report_stream()
        version = published_role()
        db.session.commit()
        ids = {"stream": stream.id, "version": version.id}
    clients = {}
    for role in ("cpo", "hr"):
        client = app.test_client()
        assert sign_in(client, people[role].email, PASSWORD).status_code == 302
        clients[role] = client
    return {"people": people, "ids": ids, "clients": clients}


def _add_scored(app: Flask, org: dict[str, Any], start: int, stop: int) -> None:
    with app.app_context():
        version = db.session.get(RoleVersion, org["ids"]["version"])
        stream = db.session.get(ValueStream, org["ids"]["stream"])
        tom, mei = (db.session.get(User, org["people"][k].id) for k in ("tom", "mei"))
        first = next(iter(PANEL_A))
        for n in range(start, stop):
            candidate = User(email=f"listed{n:02d}@example.org", name=_listed(n), role="exec")
            db.session.add(candidate)
            levels = {k: (n + i) % 5 for i, k in enumerate(PANEL_A)}
            other = {**levels, first: (levels[first] + 2) % 5 if n % 5 == 0 else levels[first]}
            scored_assessment(
                candidate,
                version,
                stream,
                panel=[levels, other],
                panel_members=[tom, mei],
                decision="selected" if n % 3 == 2 else None,
            )
        db.session.commit()


def _list_pages(org: dict[str, Any]) -> dict[str, tuple[str, str]]:
    stream = org["ids"]["stream"]
    return {
        "home (CPO)": ("cpo", "/"),
        "candidates": ("cpo", "/candidates"),
        "value streams": ("cpo", "/streams"),
        "a value stream": ("cpo", f"/streams/{stream}"),
        "shortlist": ("cpo", f"/value-streams/{stream}/shortlist"),
        "download centre (HR)": ("hr", "/reports"),
        "download centre (CPO)": ("cpo", f"/reports?stream={stream}"),
    }


def _list_counts(app: Flask, org: dict[str, Any]) -> dict[str, int]:
    clients: dict[str, FlaskClient] = org["clients"]
    counts = {
        name: len(queries_for(app, clients[role], url))
        for name, (role, url) in _list_pages(org).items()
    }
    with app.app_context():
        stream = db.session.get(ValueStream, org["ids"]["stream"])
        version = db.session.get(RoleVersion, org["ids"]["version"])
        shortlist_document(stream, version, OPERATOR)  # warm
        with count_queries(app) as statements:
            shortlist_document(stream, version, OPERATOR)
        counts["shortlist PDF (built, not rendered)"] = len(statements)
    return counts


def test_list_pages_run_as_many_queries_for_30_scored_candidates_as_for_3(
    app: Flask, org: dict[str, Any]
) -> None:
    _add_scored(app, org, 0, 3)
    three = _list_counts(app, org)
    _add_scored(app, org, 3, 30)
    thirty = _list_counts(app, org)
    grown = {
        name: f"{three[name]} -> {thirty[name]}" for name in three if thirty[name] != three[name]
    }
    assert grown == {}
    cpo = org["clients"]["cpo"]
    shortlist = cpo.get(_list_pages(org)["shortlist"][1]).get_data(as_text=True)
    assert _listed(29) in shortlist
    home = cpo.get("/").get_data(as_text=True)
    # 20 of the 30 are undecided: the oldest 10 are named and the other 10 counted.
    assert _listed(0) in home and _listed(29) not in home
    assert "10 more candidates are waiting for calibration or a decision" in home


def test_home_counts_waiting_candidates_only_up_to_its_cap(app: Flask, org: dict[str, Any]) -> None:
    """Past the cap the CPO's home says "over N" instead of counting the whole organisation."""
    _add_scored(app, org, 0, 30)  # 20 undecided: 10 named, 10 more
    cpo = org["clients"]["cpo"]
    with mock.patch.object(interview_steps, "COUNT_CAP", 15):
        interview_steps._awaiting_count.cache_clear()
        try:
            home = cpo.get("/").get_data(as_text=True)
        finally:
            interview_steps._awaiting_count.cache_clear()
    assert "Over 5 more candidates are waiting for calibration or a decision" in home
    assert "10 more candidates are waiting" not in home


@contextmanager
def _scoring_counted() -> Iterator[list[int]]:
    """Count every assessment scored, fresh (score_for) or while refreshing a snapshot."""
    calls: list[int] = []

    def counting(real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            return real(*args, **kwargs)

        return wrapper

    with (
        mock.patch.object(scores, "score_assessment", counting(scores.score_assessment)),
        mock.patch.object(
            score_snapshots, "score_assessment", counting(score_snapshots.score_assessment)
        ),
    ):
        yield calls


def test_no_list_page_scores_an_assessment(app: Flask, org: dict[str, Any]) -> None:
    _add_scored(app, org, 0, 12)
    clients: dict[str, FlaskClient] = org["clients"]
    scored = {}
    for name, (role, url) in _list_pages(org).items():
        with _scoring_counted() as calls:
            assert clients[role].get(url).status_code == 200
        scored[name] = len(calls)
    with app.app_context(), _scoring_counted() as calls:
        stream = db.session.get(ValueStream, org["ids"]["stream"])
        version = db.session.get(RoleVersion, org["ids"]["version"])
        shortlist_document(stream, version, OPERATOR)
    scored["shortlist PDF (built, not rendered)"] = len(calls)
    assert scored == dict.fromkeys(scored, 0)
    # The counter does count: the results page scores its one assessment.
    with app.app_context():
        a_id = db.session.scalar(select(ScoreSnapshot.assessment_id).limit(1))
    with _scoring_counted() as calls:
        assert clients["cpo"].get(f"/assessments/{a_id}/results").status_code == 200
    assert len(calls) >= 1
