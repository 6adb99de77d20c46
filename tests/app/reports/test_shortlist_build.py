"""The shortlist PDF of many candidates: built from plain columns, yet showing every candidate's
current figures in the order a fresh scoring of everyone ranks them.

Its first download after a change builds the HTML to find the stored PDF's key, so the build
must stay cheap (docs/decisions.md, "Issue 14 — First download of the shortlist of 250"); and
because the key is the HTML's hash, the HTML must change with every change it shows.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

from flask import Flask
from sqlalchemy import select

from app import scores
from app.extensions import db
from app.models import Assessment, RoleVersion, ValueStream
from app.models.people import DECISIONS
from app.reports import cache, shortlist
from app.reports.documents import OPERATOR, num
from app.reports.pdf import render_pdf
from app.scores import score_for
from assessments.scoring import RankEntry, rank_candidates
from tests.fixtures import builders
from tests.fixtures.builders import PANEL_A
from tests.fixtures.pdf import pdf_pages, squash
from tests.fixtures.queries import count_queries

CYCLE = (None, "selected", None, "not-selected", "on-hold")


def _panel(n: int) -> dict[str, int | None]:
    """PANEL_A moved up or down by candidate, some competencies not assessed: bands, readiness
    and must-have gaps differ from one candidate to the next, with ties among them."""
    shift = n % 5 - 2
    return {
        key: None if (n + i) % 7 == 0 else max(0, min(4, (level or 0) + shift * ((i + n) % 2)))
        for i, (key, level) in enumerate(PANEL_A.items())
    }


def _add(version: RoleVersion, stream: ValueStream, first: int, last: int) -> None:
    for n in range(first, last):
        who = builders.person("exec", f"Person {n:03d}")
        panel = _panel(n)
        builders.scored_assessment(
            who, version, stream, panel=[panel, panel], decision=CYCLE[n % len(CYCLE)]
        )
    db.session.flush()


def _varied_shortlist(size: int) -> tuple[ValueStream, RoleVersion]:
    version = builders.published_role(builders.person("cpo"))
    stream = builders.report_stream(f"Stream of {size}")
    _add(version, stream, 1, size + 1)
    return stream, version


def _fresh_ranking(stream: ValueStream, version: RoleVersion) -> list[tuple[Assessment, Any]]:
    """Every candidate scored afresh from their records, in ranking order."""
    assessments = db.session.scalars(
        select(Assessment).where(
            Assessment.value_stream_id == stream.id, Assessment.role_version_id == version.id
        )
    )
    ranked = rank_candidates(RankEntry(a.candidate.name, score_for(a), a) for a in assessments)
    return [(e.ref, e.result) for e in ranked]  # type: ignore[misc]


def _expected_full_ranking(stream: ValueStream, version: RoleVersion) -> str:
    """The full ranking as a fresh scoring of every candidate orders and shows it."""
    return " ".join(
        f"{rank} {a.candidate.name} {result.band_label} {num(result.readiness, 1)}%"
        + (f" {DECISIONS[a.decision]}" if a.decision else "")
        for rank, (a, result) in enumerate(_fresh_ranking(stream, version), start=1)
    )


def _full_ranking_text(doc: Any) -> str:
    pages = pdf_pages(render_pdf(doc.html, title=doc.title, author=doc.author))
    text = squash(" ".join(pages))
    body = text.split("Full ranking All ")[1]
    # The table's rows, without the header each of its pages repeats and the page furniture.
    rows = re.findall(r"\d+ Person \d{3} .*?%(?: (?:Selected|Not selected|On hold))?", body)
    return " ".join(rows)


def test_the_full_ranking_shows_what_a_fresh_scoring_of_everyone_shows(app: Flask) -> None:
    with app.test_request_context():
        stream, version = _varied_shortlist(24)
        doc = shortlist.shortlist_document(stream, version, OPERATOR)
        expected = _expected_full_ranking(stream, version)
        shown = _full_ranking_text(doc)
    # The data varies what the full ranking shows: bands, and decisions as well as none.
    bands = re.findall(r"Person \d{3} (Ready now|Ready with support|Not yet ready)", expected)
    assert len(set(bands)) >= 2, expected
    assert "Selected" in expected and "On hold" in expected
    assert shown == expected


def test_a_change_to_a_candidate_beyond_the_leading_ones_changes_the_document(
    app: Flask,
) -> None:
    """The stored PDF is found by the HTML's hash: a row of the full ranking that did not follow
    the data would serve a PDF that no longer matches it."""
    with app.test_request_context():
        stream, version = _varied_shortlist(12)
        before = shortlist.shortlist_document(stream, version, OPERATOR)
        last = next(
            a
            for a, _ in reversed(_fresh_ranking(stream, version)[shortlist.LEADING :])
            if a.decision is None
        )
        row = re.compile(rf"<th scope=\"row\">{last.candidate.name}</th>.*?</tr>")
        assert "On hold" not in row.findall(before.html)[-1]
        last.decision = "on-hold"
        db.session.flush()
        after = shortlist.shortlist_document(stream, version, OPERATOR)
        assert "On hold" in row.findall(after.html)[-1]
        assert cache.cache_key(after) != cache.cache_key(before)
        # A rating that moves the readiness of a candidate ranked low moves the document too.
        interview = last.interviews[0]
        for rating in interview.ratings:
            rating.level = 4
        db.session.flush()
        moved = shortlist.shortlist_document(stream, version, OPERATOR)
        assert cache.cache_key(moved) != cache.cache_key(after)
        fresh = score_for(last)
        assert f"{num(fresh.readiness, 1)}%" in row.findall(moved.html)[-1]


def test_only_the_leading_candidates_scores_are_decoded_and_queries_do_not_grow(
    app: Flask,
) -> None:
    """Ranking everyone reads the snapshots' plain columns; only the candidates shown in detail
    have their whole score (its JSON) read, and the number of queries stays the same."""
    real = scores.result_from_snapshot
    decoded: list[int] = []

    def counting(snapshot: Any) -> Any:
        decoded.append(snapshot.assessment_id)
        return real(snapshot)

    with app.test_request_context():
        stream, version = _varied_shortlist(12)
        shortlist.shortlist_document(stream, version, OPERATOR)  # warm
        with count_queries(app) as twelve:
            shortlist.shortlist_document(stream, version, OPERATOR)
        _add(version, stream, 13, 41)
        shortlist.shortlist_document(stream, version, OPERATOR)  # warm
        with (
            count_queries(app) as forty,
            mock.patch.object(scores, "result_from_snapshot", counting),
        ):
            doc = shortlist.shortlist_document(stream, version, OPERATOR)
    assert "All 40 ranked candidates" in doc.html
    assert len(decoded) == shortlist.LEADING
    assert len(forty) == len(twelve), (twelve, forty)
