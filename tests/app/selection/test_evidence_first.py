"""Evidence first: every band and readiness says what it rests on; no figure without evidence."""

from __future__ import annotations

import re

from flask import Flask

from app.extensions import db
from tests.fixtures.builders import add_interview, make_assessment, new_stream, publish_mini_role
from tests.fixtures.pdf import pdf_text


def _scene(
    app: Flask,
    make_user,
    *,
    submitted: int,
    assigned: int = 3,
    self_in: bool = True,
    stream: str = "Payments and billing",
):  # type: ignore[no-untyped-def]
    """David Mensah on the mini role; the first `submitted` of `assigned` interviews are in."""
    cpo = make_user("cpo", name="Priya Raman")
    candidate = make_user("exec", name="David Mensah")
    panel = [make_user("interviewer", name=f"Panel {n}") for n in range(assigned)]
    ratings = [
        {"a": 2, "b": 2, "c": 3, "d": 2},
        {"a": 3, "b": 2, "c": 3, "d": 2},
        {"a": 2, "b": 2, "c": 3, "d": 2},
    ]
    with app.app_context():
        version = publish_mini_role()
        value_stream = new_stream(stream)
        assessment = make_assessment(
            candidate.id,
            version,
            value_stream,
            self_ratings={"a": 3, "b": 2, "c": 3, "d": 2},
            self_status="submitted" if self_in else "draft",
        )
        for n, member in enumerate(panel):
            if n < submitted:
                add_interview(assessment, member.id, ratings[n])
            else:
                add_interview(assessment, member.id, status="draft", recommendation=None)
        db.session.commit()
        return assessment.id, value_stream.id, cpo, panel


def _stats(page):  # type: ignore[no-untyped-def]
    return {
        tile.dt.get_text(strip=True): tile.select_one("dd").get_text(" ", strip=True)
        for tile in page.select(".sl-stat")
    }


def test_results_with_no_panel_evidence_say_not_scored_yet(
    app: Flask, browser_as, make_user
) -> None:
    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=0)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    text = page.get_text(" ", strip=True)
    assert not re.search(r"(?<![\d.])0\.0%", text)
    assert page.select_one(".sl-rests-on").get_text(" ", strip=True) == (
        "Not scored yet: 0 of 3 interviews · self-assessment submitted"
    )
    assert page.select(".sl-band") == []
    assert "Download the readiness report" not in text


def test_results_say_what_the_score_rests_on_and_why_the_band(
    app: Flask, browser_as, make_user
) -> None:
    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=3)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    assert page.select_one(".sl-rests-on").get_text(" ", strip=True) == (
        "Rests on 3 of 3 interviews · self-assessment submitted"
    )
    # a: (2 + 3 + 2) / 3 = 2.33, gap 0.67; readiness 91.1
    assert _stats(page)["Readiness"] == "91.1%"
    assert page.select_one(".sl-band-reason").get_text(" ", strip=True) == (
        "91.1% would be Ready now, but Competency A, a must-have, is 0.67 below the bar."
    )
    assert _stats(page)["Must-haves met"] == "1 of 2"
    must = page.find("h2", string="Must-haves").find_next("table")
    first = [td.get_text(" ", strip=True) for td in must.select("tbody tr")[0].select("td")]
    assert first == ["3", "2, 3, 2 → 2.3", "Unmet 0.67 below the bar"]
    table = page.find("caption", string="Every competency").parent
    row_a = [td.get_text(" ", strip=True) for td in table.select("tbody tr")[0].select("td")]
    assert row_a[3] == "2, 3, 2 → 2.3"


def test_one_interview_rests_on_one_rater(app: Flask, browser_as, make_user) -> None:
    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=1, self_in=False)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    assert page.select_one(".sl-rests-on").get_text(" ", strip=True) == (
        "Rests on 1 of 3 interviews · no self-assessment yet · rests on one rater"
    )


def test_record_a_decision_is_secondary_until_the_panel_is_complete(
    app: Flask, browser_as, make_user
) -> None:
    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=2)
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    button = page.find("a", string="Record a decision")
    assert "govuk-button--secondary" in button["class"]
    assert "1 of 3 interviews is still to come" in page.select_one(".sl-actions-note").get_text(
        " ", strip=True
    )

    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=3, stream="Savings")
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    button = page.find("a", string="Record a decision")
    assert "govuk-button--secondary" not in button["class"]


def test_readiness_report_link_for_those_allowed(app: Flask, browser_as, make_user) -> None:
    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=2)
    for who in (cpo, "hr", "admin"):
        browser = browser_as(who)
        page = browser.get(f"/assessments/{assessment_id}/results")
        link = page.find("a", string="Download the readiness report (PDF)")
        assert link is not None, who
        response = browser.client.get(link["href"])
        assert response.mimetype == "application/pdf"
        text = pdf_text(response.get_data())
        assert "David Mensah" in text and "Rests on 2 of 3 interviews" in text
    # The CPO on the panel, own interview still a draft: the results and the link are held back.
    with app.app_context():
        from app.models import Assessment, Interview

        assessment = db.session.get(Assessment, assessment_id)
        draft = next(i for i in assessment.interviews if i.status == "draft")
        draft.interviewer_id = cpo.id
        db.session.commit()
    page = browser_as(cpo).get(f"/assessments/{assessment_id}/results")
    assert page.find("a", string="Download the readiness report (PDF)") is None
    assert Interview is not None


def test_no_page_shows_a_score_without_panel_evidence(app: Flask, browser_as, make_user) -> None:
    """The decision page, calibration and the assessment page say "Not scored yet", never 0.0%."""
    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=0)
    browser = browser_as(cpo)
    for url in (
        f"/assessments/{assessment_id}/decision",
        f"/assessments/{assessment_id}/calibration",
        f"/assessments/{assessment_id}",
    ):
        page = browser.get(url)
        text = page.get_text(" ", strip=True)
        assert not re.search(r"(?<![\d.])0\.0%", text), url
        assert "Not scored yet" in text, url
        assert page.select(".sl-band") == [], url


def test_pages_with_a_band_explain_it(app: Flask, browser_as, make_user) -> None:
    assessment_id, _stream, cpo, _panel = _scene(app, make_user, submitted=1)
    browser = browser_as(cpo)
    reason = "86.7% would be Ready now, but Competency A, a must-have, is 1 below the bar."
    for url in (
        f"/assessments/{assessment_id}/decision",
        f"/assessments/{assessment_id}/calibration",
        f"/assessments/{assessment_id}",
    ):
        text = browser.get(url).get_text(" ", strip=True)
        assert reason in text, url
        assert "1 of 3 interviews · self-assessment submitted · rests on one rater" in text, url
