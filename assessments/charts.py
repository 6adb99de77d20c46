"""Server-made SVG charts that look the same in the browser and in WeasyPrint PDFs.

The SVG is self-contained: no scripts, no external references, no CSS classes (only presentation
attributes), so the same string can be inlined in a page or a PDF template. Colours come from the
Okabe-Ito colour-blind safe palette, and every series also differs without colour: the panel bar
is solid, the self bar is hatched, the stakeholders' bar (when stakeholder feedback was asked for)
is dotted and ends in a ring, the required level is a dashed line with a diamond, and every bar
carries its number as text. A stakeholder mean under the anonymity threshold is never drawn:
the chart says "fewer than N ratings" instead.
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
STAKEHOLDER_COLOUR = (
    "#009E73"  # Okabe-Ito bluish green, 3.4:1 on white; dotted, so greyscale tells it
)
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
# A third bar (stakeholders) makes each row taller; the bars sit closer, so thirteen
# competencies still fit one A4 page in the readiness report.
_ROW_HEIGHT_THREE = 66
# Where each bar starts below the row's top: self, panel (and stakeholders).
_BARS_TWO = (8, 28)
_BARS_THREE = (6, 25, 44)
_BOTTOM = 46
_NAME_CHARS = 30
_MAX_SCALE = max(RATING_SCALE)


def _x(level: float) -> float:
    return _PLOT_X0 + (_PLOT_X1 - _PLOT_X0) * level / _MAX_SCALE


def _num(value: float) -> str:
    # 3.0 -> "3", 2.50 -> "2.5", 2.67 -> "2.67": the figures people see elsewhere.
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class StakeholderSeries:
    """The stakeholders' perspective: asked about `asked`, a mean shown from `minimum` ratings."""

    minimum: int
    asked: frozenset[str]

    def words(self, score: CompetencyScore) -> str:
        """The stakeholders' figure as text: the mean and how many rated, or why there is none."""
        if score.key not in self.asked:
            return "not asked"
        if score.stakeholder is None:
            return f"fewer than {self.minimum} ratings"
        return f"{_num(score.stakeholder)} ({score.stakeholder_count} ratings)"


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
    seed = repr(
        (title, [(c.key, c.self_rating, c.ratings, c.stakeholder) for c in result.competencies])
    )
    return "c" + hashlib.sha256(seed.encode()).hexdigest()[:10]


def _name_lines(name: str) -> list[str]:
    lines = textwrap.wrap(name, _NAME_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), _NAME_CHARS, placeholder=" …")]
    return lines


def _describe(score: CompetencyScore, stakeholders: StakeholderSeries | None = None) -> str:
    own = "not rated" if score.self_rating is None else str(score.self_rating)
    if score.panel is None:
        panel = "not assessed"
    else:
        panel = f"{_num(score.panel)} (ratings {', '.join(map(str, score.ratings))})"
    others = f", stakeholders {stakeholders.words(score)}" if stakeholders is not None else ""
    must = ", must-have" if score.must_have else ""
    return f"{score.name}: self {own}, panel {panel}{others}, required {score.required}{must}."


def _summary(result: ScoreResult, stakeholders: StakeholderSeries | None = None) -> str:
    coverage = _num(result.coverage * 100)
    series = (
        "Self rating, panel level, stakeholders' mean and required level"
        if stakeholders is not None
        else "Self rating, panel level and required level"
    )
    head = (
        f"{result.band_label}: readiness {_num(result.readiness)}% with {coverage}% of the"
        f" weight assessed. {series} on a 0 to 4 scale."
    )
    return " ".join([head, *(_describe(c, stakeholders) for c in result.competencies)])


def stakeholder_patterns(uid: str) -> list[str]:
    """The dotted fill of the stakeholders' bars (shared with the phone chart)."""
    return [
        f'<pattern id="{uid}-dots" patternUnits="userSpaceOnUse" width="5" height="5">',
        '<rect width="5" height="5" fill="#ffffff"/>',
        f'<circle cx="2.5" cy="2.5" r="1.3" fill="{STAKEHOLDER_COLOUR}"/>',
        "</pattern>",
    ]


def ring(x: float, y: float) -> str:
    """The marker at the end of a stakeholders' bar: a ring, unlike the required diamond."""
    return (
        f'<circle cx="{_num(x)}" cy="{_num(y)}" r="5" fill="#ffffff"'
        f' stroke="{STAKEHOLDER_COLOUR}" stroke-width="2.5"/>'
    )


def _legend(uid: str, stakeholders: bool = False) -> list[Mark]:
    y = 54
    if stakeholders:
        # Four entries: the legend starts under the title to leave room for the third series.
        x0 = _LABEL_X
        return [
            f'<rect x="{x0}" y="{y - 10}" width="22" height="12" fill="url(#{uid}-hatch)"'
            f' stroke="{SELF_COLOUR}" stroke-width="1.5"/>',
            _text(x0 + 28, y, "Self rating", size=12),
            f'<rect x="{x0 + 120}" y="{y - 10}" width="22" height="12" fill="{PANEL_COLOUR}"/>',
            _text(x0 + 148, y, "Panel level", size=12),
            f'<rect x="{x0 + 240}" y="{y - 10}" width="22" height="12" fill="url(#{uid}-dots)"'
            f' stroke="{STAKEHOLDER_COLOUR}" stroke-width="1.5"/>',
            ring(x0 + 262, y - 4),
            _text(x0 + 274, y, "Stakeholders' mean", size=12),
            f'<line x1="{x0 + 418}" y1="{y - 14}" x2="{x0 + 418}" y2="{y + 4}"'
            f' stroke="{REQUIRED_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>',
            _diamond(x0 + 418, y - 5),
            _text(x0 + 429, y, "Required level", size=12),
        ]
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


def _stakeholder_bar(
    y: float, score: CompetencyScore, stakeholders: StakeholderSeries, uid: str
) -> list[Mark]:
    if score.stakeholder is None:
        # No bar and no figure under the threshold: the words sit where the bar would be.
        return [
            _text(
                _PLOT_X0 + 4,
                y + 11,
                f"Stakeholders {stakeholders.words(score)}",
                size=12,
                fill=MUTED_COLOUR,
                italic=True,
            )
        ]
    x = _x(score.stakeholder)
    parts: list[Mark] = []
    if x > _PLOT_X0:
        parts.append(
            f'<rect x="{_PLOT_X0}" y="{_num(y)}" width="{_num(x - _PLOT_X0)}" height="14"'
            f' fill="url(#{uid}-dots)" stroke="{STAKEHOLDER_COLOUR}" stroke-width="1.5"/>'
        )
    parts.append(ring(x, y + 7))
    parts.append(_text(_VALUE_X, y + 11, f"Stakeholders {_num(score.stakeholder)}", size=12))
    return parts


def _row(
    score: CompetencyScore,
    top: float,
    uid: str,
    described: bool,
    stakeholders: StakeholderSeries | None = None,
) -> list[Mark]:
    parts: list[Mark] = [
        f"<g><title>{escape(_describe(score, stakeholders))}</title>" if described else "<g>"
    ]
    lines = _name_lines(score.name)
    for i, line in enumerate(lines):
        parts.append(_text(_LABEL_X, top + 17 + 15 * i, line, bold=True))
    note = f"Required {score.required}" + (" · must-have" if score.must_have else "")
    parts.append(_text(_LABEL_X, top + 17 + 15 * len(lines), note, size=11, fill=MUTED_COLOUR))
    bars: tuple[int, ...] = _BARS_TWO if stakeholders is None else _BARS_THREE
    parts += _bar(
        top + bars[0],
        score.self_rating,
        "Self",
        "not rated",
        f"url(#{uid}-hatch)",
        f' stroke="{SELF_COLOUR}" stroke-width="1.5"',
    )
    parts += _bar(top + bars[1], score.panel, "Panel", "not assessed", PANEL_COLOUR, "")
    bottom = top + 48
    if stakeholders is not None:
        parts += _stakeholder_bar(top + bars[2], score, stakeholders, uid)
        # Without a stakeholder bar its row holds words: the required line stops above them.
        bottom = top + bars[2 if score.stakeholder is not None else 1] + 16
    x = _x(score.required)
    parts.append(
        f'<line x1="{_num(x)}" y1="{top + 5}" x2="{_num(x)}" y2="{bottom}"'
        f' stroke="{REQUIRED_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>'
    )
    parts.append(_diamond(x, top + 5))
    parts.append("</g>")
    return parts


def _marks(
    result: ScoreResult,
    title: str,
    described: bool = True,
    stakeholders: StakeholderSeries | None = None,
) -> tuple[list[Mark], int]:
    # Undescribed (PDFs): no <desc> or row tooltips, which a PDF never shows; the title stays
    # as the figure's alternative text, and the labels are the text itself.
    uid = _uid(result, title)
    labelled_by = f"{uid}-title {uid}-desc" if described else f"{uid}-title"
    rows = max(len(result.competencies), 1)
    row_height = _ROW_HEIGHT if stakeholders is None else _ROW_HEIGHT_THREE
    plot_bottom = _TOP + rows * row_height
    height = plot_bottom + _BOTTOM
    parts: list[Mark] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{labelled_by}"'
        ' font-family="Helvetica, Arial, sans-serif">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        *(
            [f'<desc id="{uid}-desc">{escape(_summary(result, stakeholders))}</desc>']
            if described
            else []
        ),
        "<defs>",
        f'<pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6"'
        ' patternTransform="rotate(45)">',
        '<rect width="6" height="6" fill="#ffffff"/>',
        f'<rect width="3" height="6" fill="{SELF_COLOUR}"/>',
        "</pattern>",
        *(stakeholder_patterns(uid) if stakeholders is not None else []),
        "</defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        _text(_LABEL_X, 26, title, size=16, bold=True),
        *_legend(uid, stakeholders is not None),
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
        top = _TOP + i * row_height
        if i:
            parts.append(
                f'<line x1="{_LABEL_X}" y1="{top}" x2="{WIDTH - _LABEL_X}" y2="{top}"'
                ' stroke="#e5e6e7" stroke-width="1"/>'
            )
        parts += _row(score, top, uid, described, stakeholders)
    if not result.competencies:
        parts.append(_text(_PLOT_X0, _TOP + 20, "No competencies to show", fill=MUTED_COLOUR))
    parts.append("</svg>")
    return parts, height


def competency_chart_svg(
    result: ScoreResult, *, title: str, stakeholders: StakeholderSeries | None = None
) -> str:
    """Horizontal bars per competency: self rating, panel level (and the stakeholders' mean
    when given) and required level on 0-4."""
    marks, _height = _marks(result, title, stakeholders=stakeholders)
    return "\n".join(m.svg() if isinstance(m, Label) else m for m in marks)


def competency_chart_parts(
    result: ScoreResult, *, title: str, stakeholders: StakeholderSeries | None = None
) -> ChartParts:
    """The same chart as `competency_chart_svg`, its text returned as labels instead of <text>.

    WeasyPrint lays out SVG text one character at a time, so PDFs set the labels as HTML
    over the graphics instead.
    """
    marks, height = _marks(result, title, described=False, stakeholders=stakeholders)
    svg = "".join(m for m in marks if isinstance(m, str))
    labels = [m for m in marks if isinstance(m, Label)]
    return ChartParts(svg=svg, labels=labels, width=WIDTH, height=height)
