"""The page-by-page layout measure fails where a reader would see a bad page, and says where."""

from __future__ import annotations

from app.reports.pdf import lay_out
from tests.fixtures.pdf_layout import measure

PARAGRAPH = "<p>" + "A line of ordinary report text that runs on for a while. " * 6 + "</p>"


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en-GB"><body><main>{body}</main></body></html>'


def test_a_page_more_than_a_quarter_blank_is_reported_unless_a_chapter_follows() -> None:
    body = PARAGRAPH * 3 + '<section style="break-before: page"><h2>Next</h2>' + PARAGRAPH
    (problem,) = measure("the report", lay_out(page(body + "</section>"))).problems()
    assert problem.startswith("the report, page 1 of 2: ")
    assert "blank at its foot" in problem and "the page ends with p" in problem

    chapter = PARAGRAPH * 3 + '<section class="chapter"><h2>Next</h2>' + PARAGRAPH
    report = measure("the report", lay_out(page(chapter + "</section>")))
    assert report.pages[0].blank > 0.6 and report.pages[0].chapter_ends
    assert report.problems() == []


def test_a_heading_that_ends_a_page_is_reported() -> None:
    body = PARAGRAPH * 3 + '<h2 style="break-after: page">Trade-offs register</h2>' + PARAGRAPH
    problems = measure("the plan", lay_out(page(body))).problems(max_blank=1)
    assert problems == ['the plan, page 1 of 2: ends with the heading h2 "Trade-offs register"']


def test_a_table_row_split_between_pages_is_reported() -> None:
    tall = "<br>".join(f"note line {n}" for n in range(30))
    body = (
        '<div style="height: 200mm"></div><table><thead><tr><th>Day</th><th>Notes</th></tr>'
        f'</thead><tbody><tr style="break-inside: auto"><th>Day 30</th><td>{tall}</td></tr>'
        "</tbody></table>"
    )
    problems = measure("the plan", lay_out(page(body))).problems(max_blank=1)
    assert problems == [
        'the plan, page 1 of 2: table row tr "Day 30 note line 0 note line 1 note line 2 note '
        'line 3 no..." continues on the next page'
    ]
