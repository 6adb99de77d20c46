"""The competency chart: valid, self-contained, accessible SVG that tells missing from zero."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assessments.charts import competency_chart_parts, competency_chart_svg
from assessments.model import Competency
from assessments.scoring import ScoreResult, score_assessment

SVG = "{http://www.w3.org/2000/svg}"


def comp(key: str, name: str, *, required: int = 3, must_have: bool = False) -> Competency:
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


ROLE = (
    comp("outcomes", "Owning outcomes", must_have=True),
    comp("tricky", "Quality <script> & craft", required=2),
    comp("zero", "Coaching leaders", required=1),
)


def result() -> ScoreResult:
    # outcomes: self 4, panel (2 + 3) / 2 = 2.5; tricky: nothing; zero: self 0, panel 0
    return score_assessment(
        ROLE,
        {"outcomes": 4, "tricky": None, "zero": 0},
        {"outcomes": [2, 3], "zero": [0]},
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - parsing our own output, not untrusted input


def chart() -> ET.Element:
    return parse(competency_chart_svg(result(), title="Ada & Bob <v2>"))


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_parses_as_svg_with_accessible_title_and_description() -> None:
    root = chart()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == "Ada & Bob <v2>"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text is not None
    # 100 x (2.5/3 + 0/1) / 2 = 41.666.. -> 41.7 over the two assessed; coverage 2/3 -> 66.7%
    assert desc.text.startswith(
        "Insufficient evidence: readiness 41.7% with 66.7% of the weight assessed."
    )
    assert "Owning outcomes: self 4, panel 2.5 (ratings 2, 3), required 3, must-have." in desc.text
    assert "Coaching leaders: self 0, panel 0 (ratings 0), required 1." in desc.text


def test_names_are_escaped_and_shown() -> None:
    svg = competency_chart_svg(result(), title="Ada & Bob <v2>")
    assert "<script" not in svg
    assert "Quality &lt;script&gt; &amp; craft" in svg
    assert "Ada &amp; Bob &lt;v2&gt;" in svg
    shown = texts(parse(svg))
    assert "Owning outcomes" in shown
    assert "Quality <script> & craft" in shown
    assert "Coaching leaders" in shown
    tooltips = [t.text for t in parse(svg).iter(f"{SVG}title")]
    assert "Quality <script> & craft: self not rated, panel not assessed, required 2." in tooltips


def test_long_names_wrap_to_two_lines_and_keep_the_full_name_in_the_tooltip() -> None:
    name = "Managing flow across teams and the whole value stream end to end"
    scored = score_assessment((comp("flow", name),), {}, {"flow": [3]})
    root = parse(competency_chart_svg(scored, title="t"))
    shown = texts(root)
    assert "Managing flow across teams and" in shown
    assert "the whole value stream end …" in shown
    tooltips = [t.text for t in root.iter(f"{SVG}title")]
    assert f"{name}: self not rated, panel 3 (ratings 3), required 3." in tooltips


def test_missing_values_are_words_not_zero_bars() -> None:
    shown = texts(chart())
    assert "Self not rated" in shown
    assert "Panel not assessed" in shown
    # a real zero is a rating, shown as a number
    assert "Self 0" in shown
    assert "Panel 0" in shown
    assert "Self 4" in shown
    assert "Panel 2.5" in shown
    # bars: self 4 and panel 2.5 for outcomes only (zeros draw no bar, missing draw none)
    widths = sorted(
        float(r.get("width", "0")) for r in chart().iter(f"{SVG}rect") if r.get("height") == "14"
    )
    # the plot is 340 wide for 0..4: 2.5 -> 212.5, 4 -> 340
    assert widths == [212.5, 340.0]


def test_scale_legend_and_required_markers() -> None:
    root = chart()
    shown = texts(root)
    for label in [
        "0",
        "1",
        "2",
        "3",
        "4",
        "Counter-evidence",
        "Awareness",
        "Working",
        "Practitioner",
        "Expert",
    ]:
        assert label in shown
    for label in ["Self rating", "Panel level", "Required level"]:
        assert label in shown
    assert "Required 3 · must-have" in shown
    assert "Required 2" in shown
    # one dashed required marker per competency plus the legend's
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 4


def test_self_contained_and_sized_by_row_count() -> None:
    svg = competency_chart_svg(result(), title="t")
    for banned in ("<script", "href", "class=", "<style", "http://www.w3.org/1999/xlink"):
        assert banned not in svg
    root = parse(svg)
    # 80 above the rows, 56 per row, 46 for the scale: 80 + 3 x 56 + 46 = 294
    assert root.get("viewBox") == "0 0 720 294"
    one = score_assessment(ROLE[:1], {}, {})
    assert parse(competency_chart_svg(one, title="t")).get("viewBox") == "0 0 720 182"


def test_two_charts_do_not_share_ids() -> None:
    first = parse(competency_chart_svg(result(), title="Ada"))
    second = parse(competency_chart_svg(result(), title="Bob"))
    ids = {e.get("id") for e in first.iter() if e.get("id")}
    other = {e.get("id") for e in second.iter() if e.get("id")}
    assert len(ids) == 3
    assert not ids & other


def test_parts_are_the_same_chart_with_its_text_taken_out() -> None:
    # PDFs draw the graphics as SVG and set the labels as HTML over them.
    whole = chart()
    parts = competency_chart_parts(result(), title="Ada & Bob <v2>")
    graphics = parse(parts.svg)
    assert [label.text for label in parts.labels] == texts(whole)
    assert texts(graphics) == []
    # Everything drawn is there; what only describes (<desc>, the rows' tooltips) is not, since
    # a PDF never shows it. The chart's title stays: it is the PDF figure's alternative text.
    undrawn = {f"{SVG}text", f"{SVG}desc", f"{SVG}title"}
    drawn = [e.tag for e in whole.iter() if e.tag not in undrawn]
    assert [e.tag for e in graphics.iter() if e.tag != f"{SVG}title"] == drawn
    assert [t.text for t in graphics.iter(f"{SVG}title")] == ["Ada & Bob <v2>"]
    first = {(t.get("x"), t.get("y")): "".join(t.itertext()) for t in whole.iter(f"{SVG}text")}
    assert first[("12", "26")] == "Ada & Bob <v2>"
    assert parts.labels[0].x == 12 and parts.labels[0].y == 26 and parts.labels[0].bold
    assert (parts.width, parts.height) == (720, 294)
