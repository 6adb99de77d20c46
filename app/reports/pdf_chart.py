"""The competency chart in a PDF: the SVG's bars and lines, with its text set as HTML over them.

WeasyPrint lays out SVG text one character at a time: the chart's text cost ~75 ms of every
readiness report. Here the same chart (`competency_chart_parts`) keeps its graphics as SVG and
each label becomes an absolutely positioned line of HTML at the very point where the SVG drew
it, so the page looks the same, the labels cost ~55 ms, and their text is ordinary text in the
PDF (searchable, extractable, tagged). The baseline comes from the shipped font's metrics, so
tests/app/reports/test_pdf_chart.py fails if the fonts change and the labels would move.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from assessments.charts import Label, StakeholderSeries, competency_chart_parts
from assessments.scoring import ScoreResult

# 82 % of the A4 text width (210 mm less two 17 mm margins), the width the inline SVG had.
CHART_WIDTH_MM = 0.82 * (210 - 2 * 17)
_PT_PER_MM = 72 / 25.4
# With `line-height: 0` WeasyPrint puts a line's baseline (ascent - descent) / 2 below its top:
# Open Sans's ascender 2189 and descender 600 of 2048 units per em, in every shipped style.
_BASELINE_EM = (2189 - 600) / 2 / 2048
# Centred labels (the scale under the axis) get a box this wide, in chart units, around x.
_CENTRED_BOX = 120


def _percent(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") + "%"


def _style_class(label: Label) -> str:
    """A class name for the label's look, e.g. 'chart-12-505a5f-i-c'."""
    name = f"chart-{label.size}-{label.fill.lstrip('#')}"
    return (
        name
        + ("-b" if label.bold else "")
        + ("-i" if label.italic else "")
        + ("-c" if label.centred else "")
    )


def _style_rule(label: Label, width: int) -> str:
    # Sizes in em of the canvas's font size, which is one chart unit.
    rule = [f"font-size: {label.size}em", f"color: {label.fill}"]
    if label.bold:
        rule.append("font-weight: 700")
    if label.italic:
        rule.append("font-style: italic")
    if label.centred:
        rule.append(f"width: {_percent(100 * _CENTRED_BOX / width)}; text-align: center")
    return f".{_style_class(label)} {{ {'; '.join(rule)} }}"


def _label(label: Label, width: int, height: int) -> str:
    left = label.x - (_CENTRED_BOX / 2 if label.centred else 0)
    top = label.y - _BASELINE_EM * label.size
    position = f"left: {_percent(100 * left / width)}; top: {_percent(100 * top / height)}"
    if not label.centred:  # a set width spares WeasyPrint measuring the text to size the box
        position += f"; width: {_percent(100 * (width - left) / width)}"
    return f'<span class="{_style_class(label)}" style="{position}">{escape(label.text)}</span>'


def chart_html(
    result: ScoreResult, title: str, stakeholders: StakeholderSeries | None = None
) -> Markup:
    """The chart for a PDF template: a box of the chart's size holding the SVG and its labels."""
    parts = competency_chart_parts(result, title=title, stakeholders=stakeholders)
    width_pt = CHART_WIDTH_MM * _PT_PER_MM
    unit_pt = width_pt / parts.width
    rules = sorted({_style_rule(label, parts.width) for label in parts.labels})
    labels = "".join(_label(label, parts.width, parts.height) for label in parts.labels)
    return Markup(  # noqa: S704 - the SVG is ours and every label is escaped above
        f"<style>{' '.join(rules)}</style>\n"
        f'<div class="chart__canvas" style="width: {width_pt:.3f}pt;'
        f' height: {parts.height * unit_pt:.3f}pt; font-size: {unit_pt:.5f}pt">\n'
        f"{parts.svg}{labels}</div>"
    )
