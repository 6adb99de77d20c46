"""WeasyPrint's user-agent stylesheet, less the rules our documents can never use.

WeasyPrint matches every element of a document against its HTML5 user-agent stylesheet. Most
rules there are indexed by tag name and cost little, but some have no tag, class or id to
index them by, so cssselect2 tries them on every element: `[dir=…]` rules, `[hidden]`,
`:link`, the footnote and note pseudo-elements, `::marker` and `:is(…)` lists. In the
interview guide (about 900 elements) that made the cascade ~65 ms of a ~750 ms render; with
this stylesheet it is ~25 ms (issue 14).

`PRUNED_UA` is WeasyPrint's own stylesheet text with those rules dropped where our documents
never need them (forms, links, `dir` and `hidden` attributes, table `rules`/`frame`
attributes, footnotes and notes) and the `:is(…)` lists spelled out as plain selectors of the
same specificity, which cssselect2 can index. `needs_full_ua` sends any document that has one
of the dropped things to WeasyPrint's full stylesheet, and a WeasyPrint whose stylesheet no
longer has the lines edited here gets the full one too (`PRUNED_UA` is None), so neither can
change how a document looks. tests/app/reports/test_pdf_ua.py checks that every demo document
lays out to the same boxes with either stylesheet.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import weasyprint
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA

# Elements and attributes the dropped rules are for. Our templates use none of them.
DROPPED_TAGS = frozenset(
    {"a", "area", "button", "datalist", "fieldset", "form", "input", "keygen", "link", "menu"}
    | {"optgroup", "option", "select", "textarea"}
)
DROPPED_ATTRIBUTES = frozenset({"dir", "hidden", "rules", "frame"})

_LISTS = ("dir", "dl", "menu", "ol", "ul")
_MARKED = ("dir", "menu", "ol", "ul")

# Lines of WeasyPrint 70's html5_ua.css dropped whole, by how they start.
_DROP = (
    "[dir",
    "dd[dir",
    ":is(dir, menu, ol, ul)[dir",
    ":is(colgroup, col, thead, tbody, tfoot, tr, td, th)[hidden]",
    ":link { color: blue }",
    "table:is([rules], [frame])",
    "::footnote-",
    "::note-",
)
# Lines replaced, by how they start: the same rule for our documents, indexable by tag.
_REPLACE: dict[str, Callable[[str], str]] = {
    "[hidden], area, base,": lambda line: (
        line.replace("[hidden], ", "", 1)
        .replace("input[type=hidden i], ", "", 1)
        .replace("menu[type=context i], ", "", 1)
    ),
    ":is(dir, dl, menu, ol, ul) :is(dir, dl, menu, ol, ul) {": lambda line: (
        ", ".join(f"{outer} {inner}" for outer in _LISTS for inner in _LISTS)
        + " { margin-top: 0; margin-bottom: 0 }"
    ),
    ":link, :visited, ins, u {": lambda line: "ins, u { text-decoration: underline }",
    # Markers belong to list items only: print.css makes nothing else a list item.
    "::marker {": lambda line: "li" + line,
    ":is(dir, menu, ol, ul) ul {": lambda line: (
        ", ".join(f"{outer} ul" for outer in _MARKED) + " { list-style-type: circle }"
    ),
    ":is(dir, menu, ol, ul) :is(dir, menu, ol, ul) ul {": lambda line: (
        ", ".join(f"{outer} {inner} ul" for outer in _MARKED for inner in _MARKED)
        + " { list-style-type: square }"
    ),
}
_FORMS = "/* Form fields */"
_AFTER_FORMS = "/* Pages */"


def prune(source: str) -> str | None:
    """`source` (WeasyPrint's UA stylesheet) without the rules above, or None when any of the
    lines this edits is missing (another WeasyPrint): then the full stylesheet is used."""
    lines = source.split("\n")
    if _FORMS not in lines or _AFTER_FORMS not in lines:
        return None
    start, end = lines.index(_FORMS), lines.index(_AFTER_FORMS)
    lines = lines[:start] + lines[end:]  # form fields: our documents have none
    hits: dict[str, int] = dict.fromkeys([*_DROP, *_REPLACE], 0)
    kept = []
    for line in lines:
        prefix = next((p for p in hits if line.startswith(p)), None)  # at most one does
        if prefix is None:
            kept.append(line)
            continue
        hits[prefix] += 1
        if prefix in _REPLACE:
            kept.append(_REPLACE[prefix](line))
    if not all(hits.values()):
        return None
    return "\n".join(kept)


PRUNED_UA = prune(UA)
PRUNED_UA_STYLESHEET = (
    None if PRUNED_UA is None else weasyprint.CSS(string=PRUNED_UA, counter_style=CounterStyle())
)


def needs_full_ua(root: ET.Element) -> bool:
    """Whether the tree has an element or attribute whose user-agent rules were dropped."""
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag in DROPPED_TAGS:
            return True
        if element.attrib and not DROPPED_ATTRIBUTES.isdisjoint(element.attrib):
            return True
    return False
