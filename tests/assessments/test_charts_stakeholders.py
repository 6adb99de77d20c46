"""The chart's third series: the stakeholders' mean, or words under the anonymity threshold."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from assessments.charts import (
    STAKEHOLDER_COLOUR,
    StakeholderSeries,
    competency_chart_parts,
    competency_chart_svg,
)
from assessments.phone_chart import competency_chart_phone_svg
from assessments.scoring import ScoreResult
from tests.assessments.test_charts import SVG, result, texts

SERIES = StakeholderSeries(minimum=3, asked=frozenset({"outcomes", "tricky"}))


def with_stakeholders() -> ScoreResult:
    base = result()
    outcomes, tricky, zero = base.competencies
    return replace(
        base,
        competencies=(
            replace(outcomes, stakeholder=1.0, stakeholder_count=4),
            replace(tricky, stakeholder=None, stakeholder_count=2),
            zero,
        ),
    )


def test_third_series_has_a_legend_figures_and_words_below_the_threshold() -> None:
    svg = competency_chart_svg(with_stakeholders(), title="Ada", stakeholders=SERIES)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    labels = texts(root)
    assert "Stakeholders' mean" in labels
    assert "Stakeholders 1" in labels
    assert "Stakeholders fewer than 3 ratings" in labels  # two rated: no figure, no bar
    assert "Stakeholders not asked" in labels
    assert not any(label.startswith("Stakeholders 2") for label in labels)
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "stakeholders 1 (4 ratings)" in desc.text
    assert "stakeholders fewer than 3 ratings" in desc.text
    # Greyscale: a dotted pattern and a ring, not the colour alone.
    assert 'id="' in svg and "-dots" in svg
    assert f'stroke="{STAKEHOLDER_COLOUR}" stroke-width="2.5"' in svg  # the ring


def test_without_stakeholders_the_chart_is_unchanged() -> None:
    plain = competency_chart_svg(with_stakeholders(), title="Ada")
    assert "Stakeholders" not in plain and "-dots" not in plain


def test_the_pdf_parts_and_the_phone_layout_carry_the_series_too() -> None:
    parts = competency_chart_parts(with_stakeholders(), title="Ada", stakeholders=SERIES)
    words = [label.text for label in parts.labels]
    assert "Stakeholders 1" in words and "Stakeholders fewer than 3 ratings" in words
    assert all(label.x < parts.width for label in parts.labels)
    phone = ET.fromstring(  # noqa: S314
        competency_chart_phone_svg(with_stakeholders(), title="Ada", stakeholders=SERIES)
    )
    assert "Others 1" in texts(phone)
    assert "Others: the stakeholders' mean" in texts(phone)
