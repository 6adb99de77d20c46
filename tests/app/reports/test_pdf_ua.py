"""Documents lay out the same with the pruned user-agent stylesheet as with WeasyPrint's own,
and the interview guide's rating boxes sit where their table cells did."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import weasyprint
from flask import Flask

from app.reports import pdf, pdf_ua
from app.reports.documents import Document
from app.reports.pdf_parse import ParsedHTML, html_document
from tests.app.reports.test_pdf_layout import demo_documents
from tests.fixtures.builders import PASSWORD

PT = 4 / 3  # WeasyPrint lays out in CSS pixels
MM = 96 / 25.4
STYLE = ("color", "font_weight", "font_style", "text_decoration_line", "list_style_type")
STYLE += ("direction", "visibility", "white_space", "display")


def boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from boxes(child)


def laid_out(html: str, *, pruned: bool) -> weasyprint.Document | None:
    """The document laid out as `pdf.lay_out` does, with either user-agent stylesheet (None
    for HTML that expat does not parse: WeasyPrint's parser and stylesheet then, as before)."""
    css, font_config = pdf.print_style()
    document = html_document(html, base_url=pdf.STATIC_BASE_URL, url_fetcher=pdf.StaticFilesOnly())
    if not isinstance(document, ParsedHTML):
        return None
    assert document.pruned_ua
    document.pruned_ua = pruned
    return document.render(stylesheets=[css], font_config=font_config)


def signature(document: weasyprint.Document) -> list[tuple[Any, ...]]:
    """Every box of every page: kind, element, place, size, text and the styles the dropped
    rules could have set."""
    rows = []
    for number, page in enumerate(document.pages, start=1):
        for box in boxes(page._page_box):
            width, height = (
                round(v, 3) if isinstance(v, float | int) else v for v in (box.width, box.height)
            )
            place = (round(box.position_x, 3), round(box.position_y, 3), width, height)
            styles = tuple(str(box.style[name]) for name in STYLE)
            kind = (number, type(box).__name__, getattr(box, "element_tag", None))
            rows.append((*kind, *place, getattr(box, "text", None), *styles))
    return rows


@pytest.fixture
def all_demo_documents(app: Flask) -> Iterator[list[tuple[str, Document]]]:
    """Every document the demo can print (see test_pdf_layout.demo_documents)."""
    from app.demo import load_demo
    from app.extensions import db

    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        yield list(demo_documents())


@pytest.fixture
def one_of_each(all_demo_documents: list[tuple[str, Document]]) -> list[tuple[str, Document]]:
    """The demo's first document of each kind."""
    seen: dict[str, tuple[str, Document]] = {}
    for name, doc in all_demo_documents:
        seen.setdefault(name.split(" of ")[0].split(" v")[0], (name, doc))
    return list(seen.values())


def test_every_demo_document_is_parsed_by_expat_and_gets_the_pruned_stylesheet(
    all_demo_documents: list[tuple[str, Document]],
) -> None:
    # An entity expat does not know (`&shy;` in the readiness report's stakeholder column)
    # sent a document to WeasyPrint's slower parser and the full stylesheet without a sign.
    for name, doc in all_demo_documents:
        document = html_document(
            doc.html, base_url=pdf.STATIC_BASE_URL, url_fetcher=pdf.StaticFilesOnly()
        )
        assert isinstance(document, ParsedHTML), name
        assert document.pruned_ua, name


def test_the_pruned_stylesheet_is_what_our_documents_get() -> None:
    # None means this WeasyPrint's stylesheet changed: review pdf_ua's edits against it.
    assert pdf_ua.PRUNED_UA is not None
    assert "[dir" not in pdf_ua.PRUNED_UA and ":is(" not in pdf_ua.PRUNED_UA
    assert "::footnote-call" not in pdf_ua.PRUNED_UA and "li::marker" in pdf_ua.PRUNED_UA


def test_every_kind_of_document_lays_out_the_same_with_either_stylesheet(
    one_of_each: list[tuple[str, Document]],
) -> None:
    assert {name.split(" of ")[0].split(" v")[0] for name, _ in one_of_each} >= {
        "readiness report",
        "coaching plan",
        "shortlist",
        "interview guide",
    }
    compared = []
    for name, doc in one_of_each:
        full_layout = laid_out(doc.html, pruned=False)
        if full_layout is None:
            continue
        compared.append(name.split(" of ")[0])
        full = signature(full_layout)
        pruned_layout = laid_out(doc.html, pruned=True)
        assert pruned_layout is not None
        pruned = signature(pruned_layout)
        assert len(full) == len(pruned), name
        for a, b in zip(full, pruned, strict=True):
            assert a == b, (name, a, b)
    assert "interview guide" in compared, compared


@pytest.mark.parametrize(
    "body",
    [
        '<p>See <a href="https://example.org">the site</a>.</p>',
        '<p dir="rtl">Text</p>',
        "<p hidden>Text</p>",
        '<table rules="all"><tbody><tr><td>1</td></tr></tbody></table>',
        "<form><input name=q></form>",
    ],
)
def test_a_document_with_what_the_pruned_stylesheet_dropped_gets_the_full_one(body: str) -> None:
    html = (
        f'<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body>{body}</body></html>'
    )
    document = html_document(html, base_url=pdf.STATIC_BASE_URL, url_fetcher=pdf.StaticFilesOnly())
    if isinstance(document, ParsedHTML):
        assert not document.pruned_ua
    assert document._ua_stylesheets() == [weasyprint.html.UA_STYLESHEET]


def test_print_css_makes_no_footnotes_notes_or_other_list_items() -> None:
    # The pruned stylesheet dropped the footnote and note rules and keeps markers to <li>.
    css = pdf.PRINT_STYLESHEET.read_text()
    for word in ("footnote", "note-", "list-item"):
        assert word not in css, word


def test_the_guides_rating_boxes_sit_on_one_line_with_a_3mm_square_each(
    one_of_each: list[tuple[str, Document]],
) -> None:
    doc = dict(one_of_each)[next(n for n, _ in one_of_each if n.startswith("interview guide"))]
    lists = [
        box
        for page in pdf.lay_out(doc.html).pages
        for box in boxes(page._page_box)
        if type(box).__name__ == "BlockBox"
        and box.element_tag == "ul"
        and "ratings" in box.element.get("class", "")
    ]
    assert len(lists) > 10
    for ratings in lists:
        # One line; each box as tall as the table cells were: 8pt at 1.45, 1.6mm padding and
        # a 0.75pt border each side.
        (line,) = ratings.children
        items = [b for b in line.children if b.element_tag == "li"]
        assert len(items) in (4, 6)
        for item in items:
            assert item.border_height() == pytest.approx(11.6 * PT + 3.2 * MM + 1.5 * PT)
            square = item.children[0]
            assert square.element_tag == "li::before"
            assert square.border_width() == pytest.approx(3 * MM + 1.5 * PT)
            assert square.border_height() == pytest.approx(3 * MM + 1.5 * PT)
            top = square.border_box_y() - item.border_box_y()
            assert top > 0 and top + square.border_height() < item.border_height()
        gaps = [
            b.border_box_x() - (a.border_box_x() + a.border_width())
            for a, b in itertools.pairwise(items)
        ]
        assert gaps == pytest.approx([2.5 * MM] * len(gaps))
