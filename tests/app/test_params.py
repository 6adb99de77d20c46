"""Odd digits in URLs and forms: Unicode digits, signs and huge numbers give a 404 or a field
error, never a 500 (the overflow only shows on PostgreSQL, so run this there too)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from app.demo import load_demo
from app.extensions import db
from app.models import CoachingPlan, ValueStream
from app.params import MAX_ID, parse_id
from tests.app.test_route_policy import DEMO_LOGIN
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser, parse, sign_in

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("007", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (HUGE, None),
        ("²", None),
        ("١٢", None),
        ("５", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1\n", None),
        ("1.0", None),
        ("1e3", None),
        ("", None),
        (None, None),
        ("junk", None),
    ],
)
def test_parse_id_accepts_only_bounded_ascii_digits(text: str | None, expected: int | None) -> None:
    assert parse_id(text) == expected


@pytest.fixture
def demo(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    yield


def _as(app: Flask, role: str) -> Browser:
    browser = Browser(app.test_client())
    assert sign_in(browser.client, DEMO_LOGIN[role]).status_code == 302
    return browser


@pytest.mark.parametrize("value", ["²", "١٢", "５", HUGE, "-1", "+1", ""])
def test_download_centre_ignores_an_odd_stream_filter(app: Flask, demo: None, value: str) -> None:
    page = _as(app, "cpo").get(f"/reports?stream={value}")
    # The filter is reset: "All value streams" stays selected.
    chosen = page.select_one("select[name=stream] option[selected]")
    assert chosen is None or chosen.get("value") == ""


@pytest.mark.parametrize("value", ["²", "١٢", HUGE, "-1"])
def test_compare_gives_a_field_error_for_odd_version_numbers(
    app: Flask, demo: None, value: str
) -> None:
    page = _as(app, "cpo").get(f"/roles/product-director/compare?from={value}&to=1", status=400)
    assert "Version numbers are whole numbers" in page.get_text() or "has no version" in (
        page.get_text()
    )


@pytest.mark.parametrize("value", ["²", "١٢", HUGE, "-1", "+1"])
def test_download_form_refuses_odd_document_ids(app: Flask, demo: None, value: str) -> None:
    browser = _as(app, "cpo")
    response = browser.client.post("/reports", data={"documents": [f"plan:{value}"]})
    assert response.status_code == 200
    assert "no longer available" in parse(response).get_text()


@pytest.mark.parametrize("value", ["²", "١٢", HUGE, "-1", "+1", "abc"])
def test_shortlist_version_that_cannot_exist_is_a_404(app: Flask, demo: None, value: str) -> None:
    with app.app_context():
        stream_id = db.session.scalar(select(ValueStream.id).limit(1))
    _as(app, "cpo").get(f"/value-streams/{stream_id}/shortlist?version={value}", status=404)


@pytest.mark.parametrize(
    "url",
    [
        f"/assessments/{HUGE}",
        f"/streams/{HUGE}",
        f"/streams/{MAX_ID + 1}",
        "/streams/١٢",
        "/streams/５",
        f"/reports/plans/{HUGE}/coaching-plan.pdf",
        f"/roles/product-director/v{HUGE}",
        f"/admin/users/{HUGE}",
    ],
)
def test_huge_or_unicode_ids_in_the_path_are_404(app: Flask, demo: None, url: str) -> None:
    _as(app, "admin" if "/admin/" in url else "cpo").get(url, status=404)


@pytest.mark.parametrize("value", ["١٢", "５", HUGE])
def test_list_filters_and_pages_ignore_odd_numbers(app: Flask, demo: None, value: str) -> None:
    browser = _as(app, "cpo")
    page = browser.get(f"/candidates?stream={value}&version={value}&page={value}")
    assert page.select("table")  # the unfiltered list, not an error page
    browser.get(f"/candidates/nominate?stream={value}")


def test_plan_id_with_unicode_digits_is_not_read_as_a_number(app: Flask, demo: None) -> None:
    with app.app_context():
        plan_id = db.session.scalar(select(CoachingPlan.id).limit(1))
    assert plan_id is not None
    arabic = "".join(chr(0x660 + int(d)) for d in str(plan_id))
    _as(app, "cpo").get(f"/reports/plans/{arabic}/coaching-plan.pdf", status=404)
