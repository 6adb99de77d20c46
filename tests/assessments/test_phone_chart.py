"""The competency chart for a phone: the same facts as the wide chart, legible at 360 px."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assessments.charts import competency_chart_svg
from assessments.phone_chart import WIDTH, competency_chart_phone_svg
from tests.assessments.test_charts import SVG, parse, result, texts


def phone() -> ET.Element:
    return parse(competency_chart_phone_svg(result(), title="Ada & Bob <v2>: a long chart title"))


def test_drawn_one_to_one_on_a_phone_page_with_no_label_under_12_px() -> None:
    root = phone()
    assert root.get("width") == str(WIDTH) == "360"
    sizes = [float(t.get("font-size", "0")) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 12


def test_every_label_stays_inside_the_chart() -> None:
    # A generous estimate of each label's width: 0.62 em a character, bold or not.
    for t in phone().iter(f"{SVG}text"):
        text = "".join(t.itertext())
        x, size = float(t.get("x", "0")), float(t.get("font-size", "0"))
        width = 0.62 * size * len(text)
        left = x - width / 2 if t.get("text-anchor") == "middle" else x
        assert left >= 0 and left + width <= WIDTH + 12, (text, left, width)


def test_says_what_the_wide_chart_says() -> None:
    wide = parse(competency_chart_svg(result(), title="t"))
    narrow = parse(competency_chart_phone_svg(result(), title="t"))
    desc = f"{SVG}desc"
    assert wide.find(desc) is not None and narrow.find(desc) is not None
    assert "".join(wide.find(desc).itertext()) == "".join(narrow.find(desc).itertext())  # type: ignore[union-attr]
    for figure in ("Self 4", "Panel 2.5", "Self not rated", "Panel not assessed", "Panel 0"):
        assert figure in texts(narrow), figure
    # Both sit in one page: their ids differ.
    ids = {e.get("id") for e in wide.iter() if e.get("id")}
    assert ids and not ids & {e.get("id") for e in narrow.iter() if e.get("id")}
