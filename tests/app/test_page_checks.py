"""The Browser's page checks refuse the faults they exist to catch."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.fixtures.client import Browser

PAGES = {
    "/ok": "<title>Fine</title><p id=a>1</p><p id=b>2</p>",
    "/untitled": "<title> </title><p>no title</p>",
    "/twice": "<title>Twice</title><p id=a>1</p><p id=a>2</p>",
    "/bare-error": "<title>Error: Fix this</title><p>no summary</p>",
    "/error": '<title>Error: Fix this</title><div class="govuk-error-summary">Fix</div>',
}


@pytest.fixture
def tiny() -> Browser:
    """A Browser over an app that serves the pages above as HTML."""
    app = Flask(__name__)
    for path, html in PAGES.items():
        app.add_url_rule(path, path, lambda html=html: html, methods=["GET", "POST"])
    return Browser(app.test_client())


@pytest.mark.parametrize("path", ["/ok", "/error"])
def test_good_pages_pass(tiny: Browser, path: str) -> None:
    assert tiny.get(path).title is not None
    tiny.post(path, status=200)


@pytest.mark.parametrize(
    ("path", "fault"),
    [
        ("/untitled", "page without a title"),
        ("/twice", "duplicate ids"),
        ("/bare-error", "error page without a summary"),
    ],
)
def test_faulty_pages_fail_on_get_and_post(tiny: Browser, path: str, fault: str) -> None:
    with pytest.raises(AssertionError, match=fault):
        tiny.get(path)
    with pytest.raises(AssertionError, match=fault):
        tiny.post(path, status=200)
