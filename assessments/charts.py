"""Server-made SVG charts that look the same in the browser and in WeasyPrint PDFs.

The SVG is self-contained: no scripts, no external references, no CSS classes (only presentation
attributes), so the same string can be inlined in a page or a PDF template. Colours come from the
Okabe-Ito colour-blind safe palette, and every series also differs without colour: the panel bar
is solid, the self bar is hatched, the required level is a dashed line with a diamond, and every
bar carries its number as text.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from assessments.model import RATING_SCALE
from assessments.scoring import CompetencyScore, ScoreResult

WIDTH = 720
PANEL_COLOUR = "#0072B2"  # Okabe-Ito blue, 5.2:1 on white
SELF_COLOUR = "#D55E00"  # Okabe-Ito vermillion, 3.9:1 on white (above 3:1 for graphics)
REQUIRED_COLOUR = "#0b0c0c"
TEXT_COLOUR = "#0b0c0c"
MUTED_COLOUR = "#505a5f"  # 7:1 on white, still readable for small print
GRID_COLOUR = "#b1b4b6"

_LABEL_X = 12
_PLOT_X0 = 250
_PLOT_X1 = 590
# Numbers sit in their own column so the required-level marker never runs through them.
_VALUE_X = 602
_TOP = 80
_ROW_HEIGHT = 56
_BOTTOM = 46
_NAME_CHARS = 30
_MAX_SCALE = max(RATING_SCALE)


def _x(level: float) -> float:
    return _PLOT_X0 + (_PLOT_X1 - _PLOT_X0) * level / _MAX_SCALE


def _num(value: float) -> str:
    # 3.0 -> "3", 2.50 -> "2.5", 2.67 -> "2.67": the figures people see elsewhere.
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Label:
    """One piece of the chart's text: where its baseline starts (or centres), and how it looks."""

    x: float
    y: float
    text: str
    size: int
    fill: str
    bold: bool = False
    italic: bool = False
    centred: bool = False

    def svg(self) -> str:
        """The label as an SVG <text> element."""
        attrs = [f'fill="{self.fill}"']
        if self.bold:
            attrs.append('font-weight="bold"')
        if self.italic:
            attrs.append('font-style="italic"')
        if self.centred:
            attrs.append('text-anchor="middle"')
        return (
            f'<text x="{_num(self.x)}" y="{_num(self.y)}" font-size="{self.size}"'
            f" {' '.join(attrs)}>{escape(self.text)}</text>"
        )


# A chart is drawn as a list of marks: SVG markup, or a label that becomes <text> on the pages
# and HTML beside the bars in PDFs (see `competency_chart_parts`).
Mark = str | Label


@dataclass(frozen=True)
class ChartParts:
    """The chart with its text taken out: SVG for the graphics, labels to set over it."""

    svg: str
    labels: list[Label]
    width: int
    height: int


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = 13,
    fill: str = TEXT_COLOUR,
    bold: bool = False,
    italic: bool = False,
    centred: bool = False,
) -> Label:
    return Label(x, y, content, size, fill, bold=bold, italic=italic, centred=centred)


def _uid(result: ScoreResult, title: str) -> str:
    # Several charts can sit in one HTML page; ids must not collide. Identical charts may share
    # ids because their definitions are identical too.
    seed = repr((title, [(c.key, c.self_rating, c.ratings) for c in result.competencies]))
    return "c" + hashlib.sha256(seed.encode()).hexdigest()[:10]


def _name_lines(name: str) -> list[str]:
    lines = textwrap.wrap(name, _NAME_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), _NAME_CHARS, placeholder=" …")]
    return lines


def _describe(score: CompetencyScore) -> str:
    own = "not rated" if score.self_rating is None else str(score.self_rating)
    if score.panel is None:
        panel = "not assessed"
    else:
        panel = f"{_num(score.panel)} (ratings {', '.join(map(str, score.ratings))})"
    must = ", must-have" if score.must_have else ""
    return f"{score.name}: self {own}, panel {panel}, required {score.required}{must}."


def _summary(result: ScoreResult) -> str:
    coverage = _num(result.coverage * 100)
    head = (
        f"{result.band_label}: readiness {_num(result.readiness)}% with {coverage}% of the"
        " weight assessed. Self rating, panel level and required level on a 0 to 4 scale."
    )
    return " ".join([head, *(_describe(c) for c in result.competencies)])


def _legend(uid: str) -> list[Mark]:
    y = 54
    return [
        f'<rect x="{_PLOT_X0}" y="{y - 10}" width="22" height="12" fill="url(#{uid}-hatch)"'
        f' stroke="{SELF_COLOUR}" stroke-width="1.5"/>',
        _text(_PLOT_X0 + 28, y, "Self rating", size=12),
        f'<rect x="{_PLOT_X0 + 120}" y="{y - 10}" width="22" height="12" fill="{PANEL_COLOUR}"/>',
        _text(_PLOT_X0 + 148, y, "Panel level", size=12),
        f'<line x1="{_PLOT_X0 + 251}" y1="{y - 14}" x2="{_PLOT_X0 + 251}" y2="{y + 4}"'
        f' stroke="{REQUIRED_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>',
        _diamond(_PLOT_X0 + 251, y - 5),
        _text(_PLOT_X0 + 262, y, "Required level", size=12),
    ]


def _diamond(x: float, y: float) -> str:
    corners = ((x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y))
    points = " ".join(f"{_num(px)},{_num(py)}" for px, py in corners)
    return f'<polygon points="{points}" fill="{REQUIRED_COLOUR}"/>'


def _bar(
    y: float, value: int | float | None, label: str, missing: str, fill: str, stroke: str
) -> list[Mark]:
    if value is None:
        return [
            _text(_VALUE_X, y + 11, f"{label} {missing}", size=12, fill=MUTED_COLOUR, italic=True)
        ]
    width = _x(value) - _PLOT_X0
    parts: list[Mark] = []
    if width > 0:
        parts.append(
            f'<rect x="{_PLOT_X0}" y="{_num(y)}" width="{_num(width)}" height="14" fill="{fill}"'
            f"{stroke}/>"
        )
    parts.append(_text(_VALUE_X, y + 11, f"{label} {_num(value)}", size=12))
    return parts


def _row(score: CompetencyScore, top: float, uid: str, described: bool) -> list[Mark]:
    parts: list[Mark] = [f"<g><title>{escape(_describe(score))}</title>" if described else "<g>"]
    lines = _name_lines(score.name)
    for i, line in enumerate(lines):
        parts.append(_text(_LABEL_X, top + 17 + 15 * i, line, bold=True))
    note = f"Required {score.required}" + (" · must-have" if score.must_have else "")
    parts.append(_text(_LABEL_X, top + 17 + 15 * len(lines), note, size=11, fill=MUTED_COLOUR))
    parts += _bar(
        top + 8,
        score.self_rating,
        "Self",
        "not rated",
        f"url(#{uid}-hatch)",
        f' stroke="{SELF_COLOUR}" stroke-width="1.5"',
    )
    parts += _bar(top + 28, score.panel, "Panel", "not assessed", PANEL_COLOUR, "")
    x = _x(score.required)
    parts.append(
        f'<line x1="{_num(x)}" y1="{top + 5}" x2="{_num(x)}" y2="{top + 48}"'
        f' stroke="{REQUIRED_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>'
    )
    parts.append(_diamond(x, top + 5))
    parts.append("</g>")
    return parts


def _marks(result: ScoreResult, title: str, described: bool = True) -> tuple[list[Mark], int]:
    # Undescribed (PDFs): no <desc> or row tooltips, which a PDF never shows; the title stays
    # as the figure's alternative text, and the labels are the text itself.
    uid = _uid(result, title)
    labelled_by = f"{uid}-title {uid}-desc" if described else f"{uid}-title"
    rows = max(len(result.competencies), 1)
    plot_bottom = _TOP + rows * _ROW_HEIGHT
    height = plot_bottom + _BOTTOM
    parts: list[Mark] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{labelled_by}"'
        ' font-family="Helvetica, Arial, sans-serif">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        *([f'<desc id="{uid}-desc">{escape(_summary(result))}</desc>'] if described else []),
        "<defs>",
        f'<pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6"'
        ' patternTransform="rotate(45)">',
        '<rect width="6" height="6" fill="#ffffff"/>',
        f'<rect width="3" height="6" fill="{SELF_COLOUR}"/>',
        "</pattern>",
        "</defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        _text(_LABEL_X, 26, title, size=16, bold=True),
        *_legend(uid),
    ]
    for level in range(_MAX_SCALE + 1):
        x = _num(_x(level))
        colour = MUTED_COLOUR if level == 0 else GRID_COLOUR
        parts.append(
            f'<line x1="{x}" y1="{_TOP - 6}" x2="{x}" y2="{plot_bottom}" stroke="{colour}"'
            ' stroke-width="1"/>'
        )
        parts.append(_text(_x(level), plot_bottom + 16, str(level), size=12, centred=True))
        parts.append(
            _text(
                _x(level),
                plot_bottom + 31,
                RATING_SCALE[level],
                size=11,
                fill=MUTED_COLOUR,
                centred=True,
            )
        )
    for i, score in enumerate(result.competencies):
        top = _TOP + i * _ROW_HEIGHT
        if i:
            parts.append(
                f'<line x1="{_LABEL_X}" y1="{top}" x2="{WIDTH - _LABEL_X}" y2="{top}"'
                ' stroke="#e5e6e7" stroke-width="1"/>'
            )
        parts += _row(score, top, uid, described)
    if not result.competencies:
        parts.append(_text(_PLOT_X0, _TOP + 20, "No competencies to show", fill=MUTED_COLOUR))
    parts.append("</svg>")
    return parts, height


def competency_chart_svg(result: ScoreResult, *, title: str) -> str:
    """Horizontal bars per competency: self rating, panel level and required level on 0-4."""
    marks, _height = _marks(result, title)
    return "\n".join(m.svg() if isinstance(m, Label) else m for m in marks)


def competency_chart_parts(result: ScoreResult, *, title: str) -> ChartParts:
    """The same chart as `competency_chart_svg`, its text returned as labels instead of <text>.

    WeasyPrint lays out SVG text one character at a time, so PDFs set the labels as HTML
    over the graphics instead.
    """
    marks, height = _marks(result, title, described=False)
    svg = "".join(m for m in marks if isinstance(m, str))
    labels = [m for m in marks if isinstance(m, Label)]
    return ChartParts(svg=svg, labels=labels, width=WIDTH, height=height)
