"""HR downloads a coaching plan PDF from the download centre in a real browser."""

from __future__ import annotations

import io

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.live import LiveServer, assert_accessible


def test_hr_downloads_a_coaching_plan(page: Page, live_server: LiveServer) -> None:
    live_server.sign_in(page, "hr@example.org")
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    link = page.get_by_role("link", name="Download the coaching plan for Sarah Whitfield")
    with page.expect_download() as download_info:
        link.first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = download.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Sarah Whitfield" in text
    assert "Confidential" in text
