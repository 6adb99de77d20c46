"""The shortlist per value stream: ranking order on the page and a constant query count."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.selection import services
from tests.fixtures.builders import (
    add_interview,
    all_ratings,
    make_assessment,
    new_stream,
    publish_mini_role,
    published_role,
)
from tests.fixtures.queries import count_queries

# Mini role: a (w3, req 3, must), b (w2, req 2), c (w1.5, req 3), d (w1, req 2, must); total 7.5.
RATINGS: dict[str, dict[str, int] | None] = {
    # ready now, 100
    "Zoe Young": {"a": 3, "b": 2, "c": 3, "d": 2},
    # ready with support, 86.7, must-have gaps 1: Di is added first, Cy still ranks first by name
    "Di Dunn": {"a": 2, "b": 2, "c": 3, "d": 2},
    "Cy Cole": {"a": 2, "b": 2, "c": 3, "d": 2},
    # ready with support, 80.0: Abe's must-have gaps add up to 2, Al's to 1, so Al comes first
    "Abe Ames": {"a": 2, "b": 2, "c": 3, "d": 1},
    "Al Adams": {"a": 2, "b": 2, "c": 2, "d": 2},
    # not yet ready (must-have d two levels short) although readiness is 86.7
    "Fay Fox": {"a": 3, "b": 2, "c": 3, "d": 0},
    # insufficient evidence: Gus 100 on 40% coverage, Ed never interviewed
    "Ed Edwards": None,
    "Gus Gray": {"a": 4},
}


def _rank_scene(app: Flask, make_user) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    cpo = make_user("cpo")
    tom = make_user("interviewer")
    people = {name: make_user("exec", name=name) for name in RATINGS}
    outsider = make_user("exec", name="Aaron Other")
    with app.app_context():
        version = publish_mini_role()
        stream = new_stream("Customer onboarding")
        for name, ratings in RATINGS.items():
            assessment = make_assessment(people[name].id, version, stream, self_ratings={})
            if ratings is not None:
                add_interview(assessment, tom.id, ratings)
        # Another stream's candidate is not on this shortlist.
        other = make_assessment(outsider.id, version, new_stream("Payments"), self_ratings={})
        add_interview(other, tom.id, {"a": 4, "b": 4, "c": 4, "d": 4})
        db.session.commit()
        return stream.id, cpo


def test_shortlist_ranks_by_band_readiness_gaps_then_name(
    app: Flask, browser_as, make_user
) -> None:
    stream_id, cpo = _rank_scene(app, make_user)
    page = browser_as(cpo).get(f"/value-streams/{stream_id}/shortlist")
    rows = page.select("table.sl-shortlist tbody tr")
    names = [row.th.a.get_text() for row in rows]
    assert names == [
        "Zoe Young",
        "Cy Cole",
        "Di Dunn",
        "Al Adams",
        "Abe Ames",
        "Fay Fox",
        "Gus Gray",
    ]
    # The band cell also explains the band and says what it rests on (test_shortlist_evidence).
    cells = {
        row.th.a.get_text(): [
            (td.select_one(".sl-band") or td).get_text(" ", strip=True) for td in row.select("td")
        ]
        for row in rows
    }
    # rank, band, readiness, value, workflow, quality, leadership, must-haves, gaps, decision
    assert cells["Zoe Young"] == [
        "1",
        "Ready now",
        "100.0%",
        "100.0%",
        "100.0%",
        "—",
        "100.0%",
        "2 of 2 met",
        "0",
        "None yet",
    ]
    assert cells["Abe Ames"] == [
        "5",
        "Ready with support",
        "80.0%",
        "80.0%",
        "100.0%",
        "—",
        "50.0%",
        "0 of 2 met",
        "2",
        "None yet",
    ]
    assert cells["Fay Fox"][1:3] == ["Not yet ready", "86.7%"]
    assert cells["Gus Gray"][1:3] == ["Insufficient evidence", "100.0%"]
    assert cells["Gus Gray"][7] == "1 of 2 met · 1 not rated"
    # Ed Edwards was never interviewed: named under "Not scored yet", not ranked.
    assert "Aaron Other" not in page.get_text()


def test_shortlist_is_for_one_role_version(app: Flask, browser_as, make_user) -> None:
    cpo = make_user("cpo")
    first = make_user("exec", name="Old Version")
    second = make_user("exec", name="New Version")
    with app.app_context():
        stream = new_stream("Customer onboarding")
        v1 = published_role()
        make_assessment(first.id, v1, stream)
        v2 = published_role(new_version=True)
        make_assessment(second.id, v2, stream)
        db.session.commit()
        stream_id = stream.id
    browser = browser_as(cpo)
    page = browser.get(f"/value-streams/{stream_id}/shortlist")
    assert [a.get_text() for a in page.select("tbody th a")] == ["New Version"]
    options = [o.get_text() for o in page.select("#version option")]
    assert options == [
        "Product Director (value stream) v2 (1 candidate)",
        "Product Director (value stream) v1 (1 candidate)",
    ]
    page = browser.get(f"/value-streams/{stream_id}/shortlist?version=1")
    assert [a.get_text() for a in page.select("tbody th a")] == ["Old Version"]
    browser.get(f"/value-streams/{stream_id}/shortlist?version=9", status=404)
    browser.get("/value-streams/999999/shortlist", status=404)


def test_shortlist_is_for_staff(app: Flask, browser_as, make_user) -> None:
    stream_id, _cpo = _rank_scene(app, make_user)
    for role in ("admin", "hr"):
        browser_as(role).get(f"/value-streams/{stream_id}/shortlist")
    for role in ("interviewer", "exec"):
        browser_as(role).get(f"/value-streams/{stream_id}/shortlist", status=403)


def _stream_with(app: Flask, make_user, count: int) -> int:  # type: ignore[no-untyped-def]
    tom = make_user("interviewer")
    mei = make_user("interviewer")
    cpo = make_user("cpo")
    candidates = [make_user("exec") for _ in range(count)]
    with app.app_context():
        version = published_role()
        stream = new_stream()
        for i, candidate in enumerate(candidates):
            assessment = make_assessment(
                candidate.id, version, stream, self_ratings=all_ratings(version, 3)
            )
            add_interview(assessment, tom.id, all_ratings(version, i % 5))
            add_interview(assessment, mei.id, all_ratings(version, 2))
            add_interview(assessment, cpo.id, all_ratings(version, "na"), status="draft")
            assessment.decision = "on-hold" if i % 2 else None
            assessment.decided_by_id = cpo.id if i % 2 else None
        db.session.commit()
        return stream.id


def test_shortlist_query_count_does_not_grow_with_candidates(
    app: Flask, browser_as, make_user
) -> None:
    viewer = browser_as("hr")
    small = _stream_with(app, make_user, 2)
    large = _stream_with(app, make_user, 6)
    viewer.get(f"/value-streams/{small}/shortlist")  # warm caches of the first request
    with count_queries(app) as few:
        page = viewer.get(f"/value-streams/{small}/shortlist")
    assert len(page.select("tbody th a")) == 2
    with count_queries(app) as many:
        page = viewer.get(f"/value-streams/{large}/shortlist")
    assert len(page.select("tbody th a")) == 6
    assert len(many) == len(few), "\n".join(many)


def test_shortlist_comes_in_pages_with_ranks_running_on(
    app: Flask, browser_as, make_user, monkeypatch
) -> None:
    monkeypatch.setattr(services, "SHORTLIST_PAGE_SIZE", 3)
    stream_id, cpo = _rank_scene(app, make_user)
    browser = browser_as(cpo)
    url = f"/value-streams/{stream_id}/shortlist"
    seen = []
    page = browser.get(url)
    caption = page.find("caption").get_text(" ", strip=True)
    assert caption.startswith("7 candidates ranked") and "Page 1 of 3" in caption
    while True:
        for row in page.select("table.sl-shortlist tbody tr"):
            seen.append((row.select("td")[0].get_text(strip=True), row.th.a.get_text()))
        nav = page.find("nav", attrs={"aria-label": "Shortlist pages"})
        following = nav.find("a", rel="next")
        if following is None:
            break
        page = browser.get(following["href"])
    assert seen == [
        ("1", "Zoe Young"),
        ("2", "Cy Cole"),
        ("3", "Di Dunn"),
        ("4", "Al Adams"),
        ("5", "Abe Ames"),
        ("6", "Fay Fox"),
        ("7", "Gus Gray"),
    ]
    # Ed Edwards has no panel evidence: named under "Not scored yet" on every page, never ranked.
    assert "Ed Edwards" in page.find("h2", string="Not scored yet").find_next("table").get_text()
    # The role version chosen travels with the page links.
    page = browser.get(f"{url}?version=1")
    link = page.find("nav", attrs={"aria-label": "Shortlist pages"}).find("a", rel="next")
    assert "version=1" in link["href"] and "page=2" in link["href"]
