"""Parse a document's HTML for WeasyPrint with the C XML parser when that gives the same tree.

WeasyPrint parses HTML with tinyhtml5, a pure-Python HTML5 parser: 10-25 ms of every render of
our documents. The report templates write well-formed markup (every element closed, void
elements aside, entities XML knows), so Python's expat parser reads them in under a millisecond
into the very tree tinyhtml5 builds. `parse` checks the few places where an HTML5 parser would
build something else and returns None there, so the caller falls back to WeasyPrint's own
parser: HTML that is not well-formed, capital letters in tag names, a <tr> straight inside a
<table> (HTML5 adds a <tbody>), a block inside a <p> (HTML5 closes the <p>), and anything but
<head> and <body> under <html>. tests/app/reports/test_pdf_parse.py checks that every document
parses to the same tree both ways.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import cssselect2
import weasyprint
from weasyprint.urls import URLFetcher

from app.reports.pdf_ua import PRUNED_UA_STYLESHEET, needs_full_ua

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# tinyhtml5 keeps the svg element's xmlns as an attribute in the XMLNS namespace.
_XMLNS_ATTRIBUTE = "{http://www.w3.org/2000/xmlns/}xmlns"
_VOID = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^>]*?)\s*/?>"
)
_DOCTYPE = re.compile(r"^\s*<!DOCTYPE html>", re.IGNORECASE)
# Elements an HTML5 parser lets a <p> hold without closing it first (phrasing content we use).
_PHRASING = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "kbd"}
    | {"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
    | {"wbr"}
)


def _same_as_html5(root: ET.Element) -> bool:
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return False
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            return False
        if tag.startswith("{"):
            continue  # SVG: XML rules inside it in both parsers
        if tag != tag.lower() or tag == "base":
            return False
        if tag == "table" and any(child.tag == "tr" for child in element):
            return False
        if tag == "p" and any(child.tag not in _PHRASING for child in element):
            return False
    return True


def parse(html: str) -> ET.Element | None:
    """The tree of `html` as tinyhtml5 would build it, or None where it might not."""
    match = _DOCTYPE.match(html)
    if match is None:
        return None
    markup = _VOID.sub(r"<\1\2/>", html[match.end() :])
    try:
        root = ET.fromstring(markup)  # noqa: S314 - our own templates' output
    except ET.ParseError:
        return None
    if not _same_as_html5(root):
        return None
    for svg in root.iter(f"{{{SVG_NAMESPACE}}}svg"):
        svg.set(_XMLNS_ATTRIBUTE, SVG_NAMESPACE)
    return root


class ParsedHTML(weasyprint.HTML):  # type: ignore[misc]  # WeasyPrint ships no types
    """A weasyprint.HTML made from a tree parsed already; set up as HTML.__init__ does."""

    def __init__(self, root: ET.Element, *, base_url: str, url_fetcher: URLFetcher) -> None:
        self.base_url = base_url  # our templates have no <base>
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element
        self.pruned_ua = PRUNED_UA_STYLESHEET is not None and not needs_full_ua(root)

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        """WeasyPrint's user-agent stylesheet less what this document cannot use (`pdf_ua`)."""
        if self.pruned_ua and not forms:
            return [PRUNED_UA_STYLESHEET]
        sheets: list[weasyprint.CSS] = super()._ua_stylesheets(forms)
        return sheets


def html_document(html: str, *, base_url: str, url_fetcher: URLFetcher) -> weasyprint.HTML:
    """A WeasyPrint document for `html`: parsed by expat where that is safe, else by WeasyPrint."""
    root = parse(html)
    if root is None:
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    return ParsedHTML(root, base_url=base_url, url_fetcher=url_fetcher)
