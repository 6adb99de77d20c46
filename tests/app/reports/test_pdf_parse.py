"""Documents' HTML parsed by expat builds the very tree WeasyPrint's own HTML5 parser builds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
import tinyhtml5
import weasyprint

from app.reports import pdf as pdf_module
from app.reports import pdf_parse
from app.reports.pdf import STATIC_BASE_URL, StaticFilesOnly, render_pdf
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_text

SignIn = Callable[[str], Browser]


def tree(root: ET.Element) -> list[tuple[Any, ...]]:
    return [(e.tag, sorted(e.attrib.items()), e.text or "", e.tail or "") for e in root.iter()]


def html5_tree(html: str) -> list[tuple[Any, ...]]:
    return tree(tinyhtml5.parse(html, namespace_html_elements=False))


def page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>T</title></head>'
        f"<body>{body}</body></html>"
    )


@pytest.fixture
def rendered_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every PDF rendered during the test."""
    seen: list[str] = []
    real = pdf_module.html_document

    def spy(html: str, **kwargs: Any) -> weasyprint.HTML:
        seen.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf_module, "html_document", spy)
    return seen


def test_every_document_parses_to_the_html5_tree(
    scenario: Scenario, sign_in_as: SignIn, rendered_html: list[str]
) -> None:
    cpo = sign_in_as(scenario.cpo)
    for url in [
        f"/reports/assessments/{scenario.sarah_assessment}/readiness-report.pdf",
        f"/reports/plans/{scenario.sarah_plan}/coaching-plan.pdf",
        f"/reports/plans/{scenario.laura_draft}/coaching-plan.pdf",
        f"/reports/streams/{scenario.stream_id}/roles/{scenario.version_id}/shortlist.pdf",
        f"/reports/roles/{scenario.version_id}/interview-guide.pdf",
    ]:
        assert cpo.client.get(url).status_code == 200, url
    assert len(rendered_html) == 5
    for html in rendered_html:
        root = pdf_parse.parse(html)
        assert root is not None, html[:300]  # the fast path is taken for every document
        assert tree(root) == html5_tree(html)


@pytest.mark.parametrize(
    "body",
    [
        "<table><tr><td>a row straight in a table</td></tr></table>",  # HTML5 adds <tbody>
        "<p>a paragraph <div>closed by a block</div></p>",
        "<P>capitals</P>",
        "<p>an entity XML lacks:&nbsp;here</p>",
        "<p>a bare & ampersand</p>",
        "<p>an unclosed paragraph",
    ],
)
def test_markup_html5_reads_differently_goes_to_weasyprints_parser(body: str) -> None:
    assert pdf_parse.parse(page(body)) is None
    assert "a" in pdf_text(render_pdf(page(body), title="t", author="a"))


def test_a_base_element_is_left_to_weasyprint() -> None:
    html = page("<p>x</p>").replace("<head>", '<head><base href="css/">')
    assert pdf_parse.parse(html) is None


def test_parsed_document_is_set_up_as_weasyprint_sets_up_its_own() -> None:
    # Guards a WeasyPrint upgrade: ParsedHTML fills in what HTML.__init__ does.
    html = page('<p>text</p><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>')
    root = pdf_parse.parse(html)
    assert root is not None
    fetcher = StaticFilesOnly()
    ours = pdf_parse.ParsedHTML(root, base_url=STATIC_BASE_URL, url_fetcher=fetcher)
    theirs = weasyprint.HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher)
    # pruned_ua is ours: whether the document gets the pruned user-agent stylesheet (pdf_ua).
    assert vars(ours).keys() - {"pruned_ua"} == vars(theirs).keys()
    assert ours.base_url == theirs.base_url and ours.media_type == theirs.media_type
    assert tree(ours.etree_element) == tree(theirs.etree_element)
