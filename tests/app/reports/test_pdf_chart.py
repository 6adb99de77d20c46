"""The readiness chart in a PDF: SVG graphics, its labels as text where the SVG would draw them."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.reports.pdf import render_pdf
from app.reports.pdf_chart import CHART_WIDTH_MM, chart_html
from assessments.charts import competency_chart_parts
from assessments.model import Competency
from assessments.scoring import ScoreResult, score_assessment
from tests.fixtures.pdf import pdf_text

PT_PER_MM = 72 / 25.4
A4_HEIGHT_PT = 297 * PT_PER_MM
# print.css: the page's left and top margins; the chart is centred in the 176 mm text width.
LEFT_PT = (17 + (176 - CHART_WIDTH_MM) / 2) * PT_PER_MM
TOP_PT = 27 * PT_PER_MM


def comp(key: str, name: str, required: int, must_have: bool = False) -> Competency:
    return Competency(
        key=key,
        name=name,
        description="",
        lens="value",
        weight=1.0,
        required_level=required,
        must_have=must_have,
        levels={1: "a", 2: "b", 3: "c", 4: "d"},
        interview_questions=(),
        self_prompts=(),
    )


def result() -> ScoreResult:
    role = (
        comp("outcomes", "Owning value and the P&L", 3, must_have=True),
        comp("flow", "Flow and delivery health (e.g. DORA measures)", 2),
        comp("craft", "Quality <script> & craft", 2),
    )
    return score_assessment(role, {"outcomes": 3, "flow": None}, {"outcomes": [2, 3], "flow": [1]})


def page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Chart</title>'
        f'</head><body><div class="chart">{body}</div></body></html>'
    )


def text_runs(pdf: bytes) -> list[tuple[str, float, float]]:
    """Each run of text on page 1 with where its baseline starts, in points from the top left."""
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text, x, A4_HEIGHT_PT - y))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_pdf_chart_draws_no_svg_text_but_keeps_its_title() -> None:
    html = str(chart_html(result(), "Ada: self, panel and required levels"))
    svg = html[html.index("<svg") : html.index("</svg>")]
    # WeasyPrint lays out SVG text a character at a time: a quarter of a second per report.
    assert "<text" not in svg
    assert "<title" in svg and "Ada: self, panel and required levels" in svg  # the figure's Alt


def test_every_label_is_text_in_the_pdf_as_the_chart_shows_it() -> None:
    pdf = render_pdf(page(chart_html(result(), "Ada: self, panel")), title="t", author="a")
    text = pdf_text(pdf)
    for label in competency_chart_parts(result(), title="Ada: self, panel").labels:
        assert label.text in text
    assert "Quality <script> & craft" in text
    assert re.search(r"Self 3 Panel 2\.5\b", text)
    assert "Self not rated" in text and "Panel 1" in text


def test_labels_sit_where_the_svg_would_have_drawn_them() -> None:
    parts = competency_chart_parts(result(), title="Ada: self, panel")
    scale = CHART_WIDTH_MM * PT_PER_MM / parts.width
    pdf = render_pdf(page(chart_html(result(), "Ada: self, panel")), title="t", author="a")
    runs = text_runs(pdf)
    texts = [text for text, _x, _y in runs]
    checked = 0
    for label in parts.labels:
        if texts.count(label.text) != 1:  # shown twice ("Required 2"): which is which?
            continue
        _text, x, y = runs[texts.index(label.text)]
        # The baseline within a twentieth of a point of the SVG's; left-aligned text too.
        assert abs(y - (TOP_PT + label.y * scale)) < 0.05, label
        if not label.centred:
            assert abs(x - (LEFT_PT + label.x * scale)) < 0.05, label
        checked += 1
    assert checked >= len(parts.labels) * 3 // 4  # all but the few repeated texts
