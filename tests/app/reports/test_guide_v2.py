"""The printed interview guide of a schema v2 role: probes and the four-level key under each
question, evidence examples under the levels, counter-indicators per competency."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.roles import transfer
from tests.fixtures.pdf import pdf_pages
from tests.fixtures.role_v2 import ROLE_V2_YAML


def guide_pdf(app: Flask, browser_as) -> bytes:
    with app.app_context():
        version, _ = transfer.import_yaml(ROLE_V2_YAML, publish=True)
        db.session.commit()
        version_id = version.id
    response = browser_as("interviewer").client.get(
        f"/reports/roles/{version_id}/interview-guide.pdf"
    )
    assert response.status_code == 200
    return response.get_data()


def test_the_guide_prints_probes_the_scoring_key_and_counter_indicators(
    app: Flask, browser_as
) -> None:
    pages = pdf_pages(guide_pdf(app, browser_as))
    planning = next(p for p in pages if "Test planning" in p and "Probes" in p)
    assert "Probes What made you change it? Who disagreed?" in planning
    assert "Listen for 1 Awareness Followed a plan someone else changed." in planning
    assert "4 Expert Changed how plans are made so others change them too." in planning
    assert "Showed a plan they wrote for a login page." in planning
    text = " ".join(pages)
    assert "Counter-indicators Blames testers when a release fails." in text
    assert "Picks tools to follow fashion." in text
    assert "Why this weight: Planning decides what every later test is worth." in text
    # A question written as plain text still prints, without probes.
    assert "Describe a release you stopped." in text
