"""The competency chart laid out for a phone: names above their bars, drawn 1:1 at 360 px.

The wide chart (`assessments.charts`) is 720 units across, so on a 390 px phone its labels
shrink to about 6 px. This layout is 360 units across, the width of a 390 px phone's page, so
every label keeps its size (12 px or more) there. Same marks, colours and description.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

from assessments.charts import (
    GRID_COLOUR,
    MUTED_COLOUR,
    PANEL_COLOUR,
    REQUIRED_COLOUR,
    SELF_COLOUR,
    STAKEHOLDER_COLOUR,
    Label,
    StakeholderSeries,
    _describe,
    _diamond,
    _num,
    _summary,
    _text,
    _uid,
    ring,
    stakeholder_patterns,
)
from assessments.model import RATING_SCALE
from assessments.scoring import CompetencyScore, ScoreResult

WIDTH = 360
_LEFT = 8
_PLOT_X0 = 16
_PLOT_X1 = 262
# The figures sit in their own column right of the plot, as in the wide chart.
_VALUE_X = 272
_LINE = 17
_BAR = 14
_MAX_SCALE = max(RATING_SCALE)


def _x(level: float) -> float:
    return _PLOT_X0 + (_PLOT_X1 - _PLOT_X0) * level / _MAX_SCALE


def _bar(y: float, value: float | None, label: str, missing: str, fill: str, stroke: str) -> str:
    if value is None:
        # No bar: the words sit where the bar would be, so the figures column stays narrow.
        return _text(
            _PLOT_X0 + 4, y + 11, f"{label} {missing}", size=12, fill=MUTED_COLOUR, italic=True
        ).svg()
    width = _x(value) - _PLOT_X0
    bar = (
        f'<rect x="{_PLOT_X0}" y="{_num(y)}" width="{_num(width)}" height="{_BAR}"'
        f' fill="{fill}"{stroke}/>'
        if width > 0
        else ""
    )
    return bar + _text(_VALUE_X, y + 11, f"{label} {_num(value)}", size=12).svg()


def _stakeholder_bar(
    y: float, score: CompetencyScore, stakeholders: StakeholderSeries, uid: str
) -> str:
    if score.stakeholder is None:
        return _text(
            _PLOT_X0 + 4,
            y + 11,
            f"Stakeholders {stakeholders.words(score)}",
            size=12,
            fill=MUTED_COLOUR,
            italic=True,
        ).svg()
    x = _x(score.stakeholder)
    bar = (
        f'<rect x="{_PLOT_X0}" y="{_num(y)}" width="{_num(x - _PLOT_X0)}" height="{_BAR}"'
        f' fill="url(#{uid}-dots)" stroke="{STAKEHOLDER_COLOUR}" stroke-width="1.5"/>'
        if x > _PLOT_X0
        else ""
    )
    # "Stakeholders 2.4" would run off a 360-unit chart: the legend says who "Others" are.
    label = _text(_VALUE_X, y + 11, f"Others {_num(score.stakeholder)}", size=12).svg()
    return bar + ring(x, y + _BAR / 2) + label


def _row(
    score: CompetencyScore,
    top: float,
    uid: str,
    stakeholders: StakeholderSeries | None = None,
) -> tuple[list[str], float]:
    """One competency's marks and the height they take."""
    parts = [f"<g><title>{escape(_describe(score, stakeholders))}</title>"]
    y = top + _LINE
    for line in textwrap.wrap(score.name, 40) or [""]:
        parts.append(_text(_LEFT, y, line, size=14, bold=True).svg())
        y += _LINE
    note = f"Required {score.required}" + (" · must-have" if score.must_have else "")
    parts.append(_text(_LEFT, y - 2, note, size=12, fill=MUTED_COLOUR).svg())
    bars = y + 6
    hatch = f"url(#{uid}-hatch)"
    parts.append(
        _bar(
            bars,
            score.self_rating,
            "Self",
            "not rated",
            hatch,
            f' stroke="{SELF_COLOUR}" stroke-width="1.5"',
        )
    )
    parts.append(_bar(bars + 20, score.panel, "Panel", "not assessed", PANEL_COLOUR, ""))
    extra = 0
    if stakeholders is not None:
        parts.append(_stakeholder_bar(bars + 40, score, stakeholders, uid))
        extra = 20
    x = _num(_x(score.required))
    parts.append(
        f'<line x1="{x}" y1="{_num(bars - 3)}" x2="{x}" y2="{_num(bars + 38 + extra)}"'
        f' stroke="{REQUIRED_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>'
    )
    parts.append(_diamond(_x(score.required), bars - 3))
    parts.append("</g>")
    return parts, bars + 44 + extra - top


def _stakeholder_legend(uid: str, y: float) -> list[str]:
    return [
        f'<rect x="{_LEFT}" y="{_num(y - 10)}" width="20" height="12" fill="url(#{uid}-dots)"'
        f' stroke="{STAKEHOLDER_COLOUR}" stroke-width="1.5"/>',
        ring(_LEFT + 20, y - 4),
        _text(_LEFT + 32, y, "Others: the stakeholders' mean", size=12).svg(),
    ]


def _legend(uid: str, y: float) -> list[str]:
    return [
        f'<rect x="{_LEFT}" y="{_num(y - 10)}" width="20" height="12" fill="url(#{uid}-hatch)"'
        f' stroke="{SELF_COLOUR}" stroke-width="1.5"/>',
        _text(_LEFT + 25, y, "Self rating", size=12).svg(),
        f'<rect x="{_LEFT + 110}" y="{_num(y - 10)}" width="20" height="12"'
        f' fill="{PANEL_COLOUR}"/>',
        _text(_LEFT + 135, y, "Panel level", size=12).svg(),
        f'<line x1="{_LEFT + 226}" y1="{_num(y - 13)}" x2="{_LEFT + 226}" y2="{_num(y + 3)}"'
        f' stroke="{REQUIRED_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>',
        _diamond(_LEFT + 226, y - 5),
        _text(_LEFT + 236, y, "Required level", size=12).svg(),
    ]


def competency_chart_phone_svg(
    result: ScoreResult, *, title: str, stakeholders: StakeholderSeries | None = None
) -> str:
    """The competency chart for a narrow screen, with the same description as the wide one."""
    uid = "n" + _uid(result, title)[1:]
    body: list[str] = []
    y = 0.0
    for line in textwrap.wrap(title, 38) or [""]:
        y += 20
        body.append(_text(_LEFT, y, line, size=16, bold=True).svg())
    y += 26
    body += _legend(uid, y)
    if stakeholders is not None:
        y += 20
        body += _stakeholder_legend(uid, y)
    plot_top = y + 14
    rows: list[str] = []
    top = plot_top
    for i, score in enumerate(result.competencies):
        if i:
            rows.append(
                f'<line x1="{_LEFT}" y1="{_num(top)}" x2="{WIDTH - _LEFT}" y2="{_num(top)}"'
                ' stroke="#e5e6e7" stroke-width="1"/>'
            )
        marks, height = _row(score, top, uid, stakeholders)
        rows += marks
        top += height
    if not result.competencies:
        rows.append(_text(_LEFT, top + 20, "No competencies to show", fill=MUTED_COLOUR).svg())
        top += 30
    plot_bottom = top
    grid: list[str] = []
    for level in range(_MAX_SCALE + 1):
        x = _num(_x(level))
        colour = MUTED_COLOUR if level == 0 else GRID_COLOUR
        grid.append(
            f'<line x1="{x}" y1="{_num(plot_top)}" x2="{x}" y2="{_num(plot_bottom)}"'
            f' stroke="{colour}" stroke-width="1"/>'
        )
        grid.append(_text(_x(level), plot_bottom + 16, str(level), size=12, centred=True).svg())
    # The scale's words would collide under ticks 62 units apart: they get a key of their own.
    words = [f"{level} {RATING_SCALE[level]}" for level in range(_MAX_SCALE + 1)]
    y = plot_bottom + 16
    for line in (" · ".join(words[:3]), " · ".join(words[3:])):
        y += 18
        grid.append(Label(_LEFT, y, line, 12, MUTED_COLOUR).svg())
    height = int(y + 12)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{uid}-title {uid}-desc"'
        ' font-family="Helvetica, Arial, sans-serif">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(_summary(result, stakeholders))}</desc>',
        "<defs>",
        f'<pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6"'
        ' patternTransform="rotate(45)">',
        '<rect width="6" height="6" fill="#ffffff"/>',
        f'<rect width="3" height="6" fill="{SELF_COLOUR}"/>',
        "</pattern>",
        *(stakeholder_patterns(uid) if stakeholders is not None else []),
        "</defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    return "\n".join([*head, *body, *grid, *rows, "</svg>"])
