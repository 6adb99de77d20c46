"""My interviews: every one to do, the submitted ones a page at a time, in constant queries."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.interviews import listing
from app.models import Interview, User
from tests.fixtures import builders as b
from tests.fixtures.client import parse, sign_in
from tests.fixtures.queries import count_queries


def _interviewer_with(app: Flask, submitted: int, drafts: int) -> str:
    """An interviewer who submitted `submitted` interviews and has `drafts` to do."""
    with app.app_context():
        tom = b.person("interviewer", "Tom Okafor", password=b.PASSWORD)
        version = b.published_role()
        stream = b.report_stream("Home buying")
        for n in range(submitted):
            b.scored_assessment(
                b.person("exec", f"Submitted {n:02d}"),
                version,
                stream,
                panel=[b.PANEL_A],
                panel_members=[tom],
            )
        for n in range(drafts):
            a = b.scored_assessment(b.person("exec", f"Draft {n:02d}"), version, stream, panel=[])
            db.session.add(Interview(assessment=a, interviewer=tom, status="draft"))
        db.session.commit()
        return tom.email


def _names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.get_text(" ", strip=True).split(":")[0].strip() for a in page.select("tbody th a")]


def test_submitted_interviews_come_in_pages_and_drafts_all_show(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "SUBMITTED_PAGE_SIZE", 2)
    email = _interviewer_with(app, submitted=3, drafts=2)
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    first = parse(client.get("/interviews"))
    captions = [c.get_text(strip=True) for c in first.select("caption")]
    assert captions == ["To do (2)", "Submitted (3), page 1 of 2"]
    nav = first.find("nav", attrs={"aria-label": "Submitted interview pages"})
    second = parse(client.get(nav.find("a", rel="next")["href"]))
    # To do shows on every page; the submitted ones continue where the first page stopped.
    assert second.select("caption")[0].get_text(strip=True) == "To do (2)"
    submitted = _names(first)[2:] + _names(second)[2:]
    assert sorted(submitted) == ["Submitted 00", "Submitted 01", "Submitted 02"]
    assert sorted(_names(first)[:2]) == ["Draft 00", "Draft 01"]


def test_my_interviews_runs_as_many_queries_for_many_as_for_few(app: Flask) -> None:
    email = _interviewer_with(app, submitted=2, drafts=1)
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    client.get("/interviews")
    with count_queries(app) as few:
        client.get("/interviews")
    with app.app_context():
        tom = db.session.query(User).filter_by(email=email).one()
        version = b.published_role()
        stream = b.report_stream("Payments")
        for _ in range(6):
            b.scored_assessment(
                b.person("exec"), version, stream, panel=[b.PANEL_A], panel_members=[tom]
            )
            a = b.scored_assessment(b.person("exec"), version, stream, panel=[])
            db.session.add(Interview(assessment=a, interviewer=tom, status="draft"))
        db.session.commit()
    with count_queries(app) as many:
        page = client.get("/interviews").get_data(as_text=True)
    assert "To do (7)" in page and "Submitted (8)" in page
    assert len(many) == len(few), "\n".join(many)
