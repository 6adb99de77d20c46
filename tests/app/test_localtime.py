"""Times are stored in UTC and read in the organisation's time zone, with the zone named."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from app import create_app, localtime
from app.extensions import db
from app.models import User
from config import TestConfig


def test_a_time_reads_in_london_with_gmt_or_bst() -> None:
    assert localtime.format_datetime(datetime(2026, 12, 1, 9, 30, tzinfo=UTC)) == (
        "1 Dec 2026, 09:30 GMT"
    )
    # 23:30 UTC on 30 June is 00:30 on 1 July in London, in summer time.
    assert localtime.format_datetime(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == (
        "1 Jul 2026, 00:30 BST"
    )
    assert localtime.format_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 Jul 2026"
    assert localtime.format_date(date(2026, 12, 1), long=True) == "1 December 2026"
    assert localtime.format_datetime(None) == "never"


def test_another_zone_is_named_by_its_offset_when_it_has_no_abbreviation(app: Flask) -> None:
    with app.app_context():
        app.config["TIMEZONE"] = "Asia/Dubai"
        try:
            moment = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
            assert localtime.format_datetime(moment) == "1 Dec 2026, 13:30 UTC+4"
            app.config["TIMEZONE"] = "America/New_York"
            assert localtime.format_datetime(moment) == "1 Dec 2026, 04:30 EST"
        finally:
            app.config["TIMEZONE"] = "Europe/London"


def test_a_local_day_starts_at_local_midnight() -> None:
    assert localtime.day_start(date(2026, 7, 1)) == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert localtime.day_end(date(2026, 12, 1)) == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "Europe/london ", "../etc/passwd"])
def test_a_timezone_that_names_no_zone_stops_start_up_with_a_clear_message(name: str) -> None:
    class Config(TestConfig):
        TIMEZONE = name

    with pytest.raises(RuntimeError, match=r"TIMEZONE=.* is not a time zone name.*Europe/London"):
        create_app(Config)


def test_the_default_zone_is_london() -> None:
    assert TestConfig.TIMEZONE == "Europe/London"


def test_pages_show_times_in_the_zone_with_its_abbreviation(
    app: Flask, browser_as, make_user
) -> None:
    exec_ = make_user("exec", name="Sarah Whitfield")
    with app.app_context():
        user = db.session.get(User, exec_.id)
        user.created_at = datetime(2026, 7, 1, 8, 5, tzinfo=UTC)
        db.session.commit()
    page = browser_as("admin").get(f"/admin/users/{exec_.id}")
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows["Created"] == "1 Jul 2026, 09:05 BST"
    assert "UTC" not in page.get_text()


def test_favicon_answers_at_the_root_and_pages_link_it(app: Flask, anonymous) -> None:
    with anonymous.client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert response.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = anonymous.get("/login")
    icons = [link["href"] for link in page.select('link[rel="icon"]')]
    assert "/favicon.ico" in icons and any(href.endswith(".svg") for href in icons)
    for href in icons:
        with anonymous.client.get(href) as response:
            assert response.status_code == 200
