"""The web shortlist agrees with its PDF: only candidates with panel evidence are ranked, and
each rank says what it rests on."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import Assessment
from tests.app.selection.test_shortlist import _rank_scene
from tests.fixtures.pdf import pdf_text


def _rows(page):  # type: ignore[no-untyped-def]
    return {
        row.th.a.get_text(): row for row in page.select("table.sl-shortlist tbody tr") if row.th
    }


def test_candidates_without_panel_evidence_are_not_ranked(
    app: Flask, browser_as, make_user
) -> None:
    stream_id, cpo = _rank_scene(app, make_user)
    page = browser_as(cpo).get(f"/value-streams/{stream_id}/shortlist")
    rows = _rows(page)
    assert "Ed Edwards" not in rows
    assert [r.select_one("td").get_text(strip=True) for r in rows.values()] == [
        str(n) for n in range(1, 8)
    ]
    waiting = page.find("h2", string="Not scored yet").find_next("table")
    assert [tr.get_text(" ", strip=True) for tr in waiting.select("tbody tr")] == [
        "Ed Edwards No interview yet · self-assessment submitted"
    ]


def test_each_rank_says_what_it_rests_on_and_why(app: Flask, browser_as, make_user) -> None:
    stream_id, cpo = _rank_scene(app, make_user)
    page = browser_as(cpo).get(f"/value-streams/{stream_id}/shortlist")
    rows = _rows(page)
    zoe = rows["Zoe Young"]
    assert zoe.select_one(".sl-rests-on").get_text(" ", strip=True) == (
        "1 of 1 interview · self-assessment submitted · rests on one rater"
    )
    assert rows["Fay Fox"].select_one(".sl-band-reason").get_text(" ", strip=True) == (
        "86.7% would be Ready now, but 1 must-have is below the bar, more than support can close."
    )
    must = {name: row.select("td")[7].get_text(" ", strip=True) for name, row in rows.items()}
    assert must["Zoe Young"] == "2 of 2 met"
    assert must["Abe Ames"] == "0 of 2 met"
    assert must["Gus Gray"] == "1 of 2 met · 1 not rated"


def test_a_decision_reads_selected_not_decided(app: Flask, browser_as, make_user) -> None:
    stream_id, cpo = _rank_scene(app, make_user)
    with app.app_context():
        for assessment in db.session.query(Assessment).all():
            if assessment.candidate.name == "Zoe Young":
                assessment.decision = "selected"
        db.session.commit()
    page = browser_as(cpo).get(f"/value-streams/{stream_id}/shortlist")
    assert "Decided" not in page.get_text()
    assert _rows(page)["Zoe Young"].th.get_text(" ", strip=True).startswith("Zoe Young Selected ")


def test_shortlist_pdf_link_for_staff(app: Flask, browser_as, make_user) -> None:
    stream_id, cpo = _rank_scene(app, make_user)
    for who in (cpo, "hr", "admin"):
        browser = browser_as(who)
        page = browser.get(f"/value-streams/{stream_id}/shortlist")
        link = page.find("a", string="Download the shortlist (PDF)")
        assert link is not None, who
        response = browser.client.get(link["href"])
        assert response.mimetype == "application/pdf"
        text = pdf_text(response.get_data())
        assert "Zoe Young" in text and "1 of 1 interview" in text and "Decided" not in text
