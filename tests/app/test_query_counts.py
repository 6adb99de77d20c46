"""Every list page runs the same number of SQL statements whatever the number of rows it shows.

The demo organisation plus K extra candidates for Customer onboarding, each nominated with a
submitted self-assessment; every third has a panel still interviewing (the CPO and Mei
submitted, Tom's interview a draft) and every third after that is fully interviewed and
selected (so induction and coaching start). Each page is counted at K=3 and at K=9.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.candidates import nominations, self_assessment
from app.demo import load_demo
from app.extensions import db
from app.models import User, ValueStream
from app.roles.lookups import latest_published
from app.selection import services as selection
from tests.fixtures.builders import PASSWORD, add_interview, all_ratings, set_experience
from tests.fixtures.client import sign_in
from tests.fixtures.queries import queries_for

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
