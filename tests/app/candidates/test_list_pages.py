"""The candidates list: 50 a page, filters kept in the page links, every status filter exact."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, User, ValueStream
from app.models.base import utcnow
from tests.fixtures.builders import (
    add_interview,
    all_ratings,
    make_assessment,
    new_stream,
    published_role,
)


def _seed(app: Flask, count: int, *, stream_name: str = "Customer onboarding") -> int:
    """`count` candidates for one stream, Candidate 000 the oldest; even ones submitted their
    self-assessment, odd ones are still writing it. Returns the stream id."""
    with app.app_context():
        version = published_role()
        stream = new_stream(stream_name)
        start = utcnow() - timedelta(days=count + 1)
        for n in range(count):
            email = f"cand{n:03d}.{stream_name.split()[0].lower()}@example.org"
            user = User(email=email, name=f"Candidate {n:03d}", role="exec")
            db.session.add(user)
            assessment = make_assessment(
                user,
                version,
                stream,
                self_ratings=all_ratings(version, 2),
                self_status="submitted" if n % 2 == 0 else "draft",
            )
            assessment.created_at = start + timedelta(days=n)
        db.session.commit()
        return int(stream.id)


def _names(page: BeautifulSoup) -> list[str]:
    return [th.a.get_text() for th in page.select("tbody th[scope=row]")]


def _caption(page: BeautifulSoup) -> str:
    return page.select_one("caption").get_text(" ", strip=True)


def _link(page: BeautifulSoup, rel: str) -> dict[str, list[str]]:
    href = page.select_one(f".govuk-pagination a[rel={rel}]")["href"]
    assert urlsplit(href).path == "/candidates"
    return parse_qs(urlsplit(href).query)


def test_candidates_are_listed_fifty_a_page_newest_first(app: Flask, browser_as) -> None:
    _seed(app, 120)
    hr = browser_as("hr")
    first = hr.get("/candidates")
    assert _caption(first) == "120 candidates, page 1 of 3"
    assert _names(first)[:2] == ["Candidate 119", "Candidate 118"]
    assert len(_names(first)) == 50
    assert first.select_one(".govuk-pagination a[rel=prev]") is None
    assert _link(first, "next") == {"page": ["2"]}
    numbers = [a.get_text() for a in first.select(".govuk-pagination__item a")]
    assert numbers == ["1", "2", "3"]
    current = first.select_one(".govuk-pagination__item--current a")
    assert current.get_text() == "1" and current["aria-current"] == "page"

    seen = []
    for number in (1, 2, 3):
        seen += _names(hr.get(f"/candidates?page={number}"))
    assert seen == [f"Candidate {n:03d}" for n in range(119, -1, -1)]
    last = hr.get("/candidates?page=3")
    assert _caption(last) == "120 candidates, page 3 of 3"
    assert _link(last, "prev") == {"page": ["2"]}
    assert last.select_one(".govuk-pagination a[rel=next]") is None


def test_page_numbers_out_of_range_show_the_nearest_page(app: Flask, browser_as) -> None:
    _seed(app, 60)
    hr = browser_as("hr")
    for wanted in ("7", "99999999999999999999999999"):
        page = hr.get(f"/candidates?page={wanted}")
        assert _caption(page) == "60 candidates, page 2 of 2"
        assert _names(page)[0] == "Candidate 009"
    for wanted in ("0", "-3", "two", ""):
        page = hr.get(f"/candidates?page={wanted}")
        assert _caption(page) == "60 candidates, page 1 of 2"
        assert _names(page)[0] == "Candidate 059"


def test_page_links_keep_the_filters(app: Flask, browser_as) -> None:
    stream_id = _seed(app, 110)
    _seed(app, 3, stream_name="Payments and billing")
    hr = browser_as("hr")
    page = hr.get(f"/candidates?stream={stream_id}&status=self-submitted&version=&page=1")
    assert _caption(page) == "55 candidates, page 1 of 2"
    assert _link(page, "next") == {
        "stream": [str(stream_id)],
        "status": ["self-submitted"],
        "page": ["2"],
    }
    second = hr.get(f"/candidates?stream={stream_id}&status=self-submitted&page=2")
    assert _names(second) == [f"Candidate {n:03d}" for n in range(8, -1, -2)]
    assert _link(second, "prev") == {"stream": [str(stream_id)], "status": ["self-submitted"]}


def test_one_page_shows_no_page_links(app: Flask, browser_as) -> None:
    _seed(app, 3)
    page = browser_as("hr").get("/candidates")
    assert _caption(page) == "3 candidates"
    assert page.select(".govuk-pagination") == []


def test_each_status_filter_lists_exactly_the_assessments_in_that_status(
    app: Flask, browser_as, make_user
) -> None:
    """The list filters in the database; it must agree with Assessment.status everywhere."""
    tom = make_user("interviewer")
    with app.app_context():
        version = published_role()
        stream = new_stream("Customer onboarding")

        def candidate(name: str, **kwargs: object) -> Assessment:
            user = User(email=f"{name.lower()}@example.org", name=name, role="exec")
            db.session.add(user)
            return make_assessment(user, version, stream, **kwargs)  # type: ignore[arg-type]

        rated = all_ratings(version, 3)
        candidate("Invited")
        candidate("Writing", self_ratings={}, self_status="draft")
        candidate("Submitted", self_ratings=rated)
        add_interview(candidate("Panelled", self_ratings=rated), tom.id, status="draft")
        scored = candidate("Scored", self_ratings=rated)
        add_interview(scored, tom.id, rated)
        decided = candidate("Decided", self_ratings=rated)
        add_interview(decided, tom.id, rated)
        decided.decision = "not-selected"
        decided_early = candidate("Held")
        decided_early.decision = "on-hold"
        db.session.commit()
        expected: dict[str, list[str]] = {}
        for assessment in db.session.query(Assessment).all():
            expected.setdefault(assessment.status, []).append(assessment.candidate.name)
    assert set(expected) == {
        "invited",
        "self-in-progress",
        "self-submitted",
        "interviewing",
        "scored",
        "decided",
    }
    hr = browser_as("hr")
    for status, names in expected.items():
        assert sorted(_names(hr.get(f"/candidates?status={status}"))) == sorted(names), status
    assert sorted(_names(hr.get("/candidates?status=decided"))) == ["Decided", "Held"]


def test_odd_filter_values_are_ignored_not_errors(app: Flask, browser_as) -> None:
    _seed(app, 2)
    hr = browser_as("hr")
    for query in ("stream=%C2%B2", "version=99999999999999999999999", "status=<b>", "page=%C2%B2"):
        assert _caption(hr.get(f"/candidates?{query}")) == "2 candidates", query


def test_rows_show_the_role_version_and_how_far_each_self_assessment_has_got(
    app: Flask, browser_as
) -> None:
    _seed(app, 2)
    with app.app_context():  # Candidate 001 is still writing: leave three answers blank
        draft = db.session.scalar(
            select(Assessment)
            .join(User, User.id == Assessment.candidate_id)
            .where(User.name == "Candidate 001")
        )
        for rating in draft.self_assessment.ratings[:3]:
            rating.level = None
        db.session.commit()
    page = browser_as("cpo").get("/candidates")
    cells = {
        tr.th.a.get_text(): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.select("tbody tr")
    }
    assert cells["Candidate 001"][1] == "Product Director (value stream) v1"
    assert cells["Candidate 001"][3] == "10 of 13 answered (77%)"
    assert cells["Candidate 000"][3].startswith("Submitted ")
    options = [o.get_text() for o in page.select("#filter-version option")]
    assert options == ["All role versions", "Product Director (value stream) v1"]


def test_lists_say_the_decision_and_what_a_score_rests_on(
    app: Flask, browser_as, make_user
) -> None:
    """'Selected' / 'Not selected', never 'Decided'; a scored row says how many interviews."""
    tom = make_user("interviewer")
    mei = make_user("interviewer")
    with app.app_context():
        version = published_role()
        stream = new_stream("Customer onboarding")
        rated = all_ratings(version, 3)

        def candidate(name: str, **kwargs: object) -> Assessment:
            user = User(email=f"{name.lower()}@example.org", name=name, role="exec")
            db.session.add(user)
            return make_assessment(user, version, stream, **kwargs)  # type: ignore[arg-type]

        chosen = candidate("Chosen", self_ratings=rated)
        add_interview(chosen, tom.id, rated)
        chosen.decision = "selected"
        passed = candidate("Passed", self_ratings=rated)
        add_interview(passed, tom.id, rated)
        passed.decision = "not-selected"
        half = candidate("Half", self_ratings=rated)
        add_interview(half, tom.id, rated)
        add_interview(half, mei.id, status="draft")
        db.session.commit()
        stream_id = stream.id
    hr = browser_as("hr")
    page = hr.get("/candidates")
    statuses = {
        row.th.a.get_text(strip=True): row.select("td")[2].get_text(" ", strip=True)
        for row in page.select("tbody tr")
    }
    assert statuses == {
        "Chosen": "Selected",
        "Passed": "Not selected",
        "Half": "Scored 1 of 2 interviews · rests on one rater",
    }
    options = [o.get_text() for o in page.select("#filter-status option")]
    assert "Decided" not in options and "Decision recorded" in options
    streams = hr.get("/streams").get_text(" ", strip=True)
    assert "Decided" not in streams and "decided" not in streams
    assert "Chosen Selected" in streams and "Passed Not selected" in streams
    with app.app_context():
        from app.candidates.streams import stream_summaries

        summary = stream_summaries([db.session.get(ValueStream, stream_id)])[stream_id]
    # A stream with more candidates than it names counts them, decided ones by decision.
    assert summary.by_status == {"Scored": 1, "Selected": 1, "Not selected": 1}
    stream_page = hr.get(f"/streams/{stream_id}").get_text(" ", strip=True)
    assert "Decided" not in stream_page
