"""The rater and calibration guide: a page raters find from the nav, the kit and calibration,
a section of the printed interview guide, and hints beside the calibration note boxes."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import Assessment
from tests.fixtures.builders import panel_scene
from tests.fixtures.pdf import pdf_text

GUIDE = "/interviews/rater-guide"


def test_raters_read_the_guide_and_others_may_not(app: Flask, browser_as) -> None:
    page = browser_as("interviewer").get(GUIDE)
    headings = [h.get_text(strip=True) for h in page.select("h2")]
    assert headings == [
        "Taking evidence notes",
        "Traps to check for before you rate",
        "Calibration rules",
    ]
    text = page.get_text(" ", strip=True)
    for words in (
        "Situation",
        "Behaviour",
        "Result",
        "Halo (or horns)",
        "Similar to me",
        "Rating by title or scope",
        "The most senior voice first",
        "Rate alone first",
        "Re-check, do not average",
        "The CPO speaks last",
    ):
        assert words in text, words
    assert page.select_one('.sl-nav__link[aria-current="page"]').get_text() == "Rater guide"
    browser_as("exec").get(GUIDE, status=403)


def test_kit_calibration_and_my_interviews_link_to_the_guide(
    app: Flask, make_user, browser_as
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    tom = browser_as(scene.tom)
    kit = tom.get(f"/interviews/{scene.tom_interview_id}")
    assert kit.select_one("#rater-guide-link a")["href"] == GUIDE
    assert "not adjectives" in kit.find(id="notes-value-and-pnl-hint").get_text()
    assert tom.get("/interviews").find("a", href=GUIDE) is not None
    calibration = browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}/calibration")
    assert calibration.select_one("#calibration-rules a")["href"] == f"{GUIDE}#calibration"
    hints = [h.get_text(" ", strip=True) for h in calibration.select(".sl-note-form .govuk-hint")]
    assert hints and all("rather than taking the average" in h for h in hints)
    assert all("The CPO gives a view last" in h for h in hints)


def test_the_printed_guide_has_the_rater_and_calibration_section(
    app: Flask, make_user, browser_as
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        version_id = db.session.get(Assessment, scene.assessment_id).role_version_id
    response = browser_as(scene.tom).client.get(f"/reports/roles/{version_id}/interview-guide.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data())
    assert "Rating fairly: notes, traps and calibration" in text
    assert "Re-check, do not average." in text
    assert "Rating by title or scope." in text
    assert "The CPO speaks last." in text
