"""Paging maths and the shared GOV.UK pagination macro (templates/components/pagination.html)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string

from app.pagination import kept_args, paging, requested_page

MACRO = (
    '{% from "components/pagination.html" import pagination %}'
    "{{ pagination(page, pages, 'candidates.list_assessments', args) }}"
)


def _items(app: Flask, page: int, pages: int, **args: str) -> list[str]:
    with app.test_request_context():
        html = render_template_string(MACRO, page=page, pages=pages, args=args)
    soup = BeautifulSoup(html, "html.parser")
    return [
        ("[" + li.get_text(strip=True) + "]")
        if "govuk-pagination__item--current" in li["class"]
        else li.get_text(strip=True)
        for li in soup.select(".govuk-pagination__item")
    ]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (1, ["[1]", "2", "⋯", "9"]),
        (3, ["1", "2", "[3]", "4", "⋯", "9"]),
        (5, ["1", "⋯", "4", "[5]", "6", "⋯", "9"]),
        (8, ["1", "⋯", "7", "[8]", "9"]),
        (9, ["1", "⋯", "8", "[9]"]),
    ],
)
def test_pages_show_first_last_and_neighbours_with_ellipses(
    app: Flask, page: int, expected: list[str]
) -> None:
    assert _items(app, page, 9) == expected


def test_a_single_page_renders_nothing(app: Flask) -> None:
    with app.test_request_context():
        assert render_template_string(MACRO, page=1, pages=1, args={}).strip() == ""


def test_links_keep_the_arguments_and_page_one_has_no_page_argument(app: Flask) -> None:
    with app.test_request_context():
        html = render_template_string(MACRO, page=2, pages=3, args={"stream": "4"})
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("a[rel=prev]")["href"] == "/candidates?stream=4"
    assert soup.select_one("a[rel=next]")["href"] == "/candidates?page=3&stream=4"
    assert soup.nav["aria-label"] == "Pages"


def test_paging_clamps_out_of_range_pages() -> None:
    assert (paging(120, 3).page, paging(120, 3).pages, paging(120, 3).offset) == (3, 3, 100)
    assert paging(120, 99).page == 3
    assert paging(120, None).page == 1
    assert paging(120, 0).page == 1
    assert (paging(0, 5).page, paging(0, 5).pages) == (1, 1)
    assert paging(50, 2).pages == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2", 2), (" 7 ", 7), ("", None), ("-1", None), ("1.5", None), ("x", None), ("9" * 40, 10**9)],
)
def test_requested_page_reads_whole_numbers_only(raw: str, expected: int | None) -> None:
    assert requested_page({"page": raw}) == expected


def test_kept_args_drops_empty_and_unlisted_arguments() -> None:
    args = {"stream": "4", "status": "", "page": "2", "other": "x"}
    assert kept_args(args, ("stream", "status", "version")) == {"stream": "4"}


def test_a_status_filter_pages_only_its_rows_and_an_unknown_status_reads_as_any() -> None:
    from app.pagination import status_page

    statuses = {"sent": "Sent", "failed": "Failed"}
    counts = {"sent": 120, "failed": 3}
    failed = status_page({"status": "failed", "page": "4"}, statuses, counts)
    assert (failed.status, failed.paging.total, failed.paging.page) == ("failed", 3, 1)
    odd = status_page({"status": "<script>", "page": "3"}, statuses, counts)
    assert (odd.status, odd.paging.total, odd.paging.page, odd.paging.pages) == ("", 123, 3, 3)
