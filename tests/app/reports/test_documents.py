"""The four documents, downloaded as a user would, read back as text."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask

from app.extensions import db
from app.models import CoachingPlan, RoleVersion
from app.models.loaders import load_assessment_for_report
from app.scores import score_for
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_pages, pdf_text, squash

SignIn = Callable[[str], Browser]
CONFIDENTIAL = "Confidential — personnel information"
DATA_AS_OF = re.compile(
    r"Data as of \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} (?:[A-Z]{2,5}|UTC[+-][0-9:]+)"
)


def download(browser: Browser, url: str) -> bytes:
    response = browser.client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return response.get_data()


def assert_running_header_and_footer(pages: list[str], org: str, document_name: str) -> None:
    for number, text in enumerate(pages, start=1):
        assert org.upper() in text, number
        assert document_name in text, number
        assert CONFIDENTIAL in text, number
        assert f"Page {number} of {len(pages)}" in text, number
        # The time of the last change to what the document shows, never the render date.
        assert DATA_AS_OF.search(text), number
        assert "Generated" not in text, number


def test_readiness_report(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "ORGANISATION_NAME", "Northwind Bank")
    pdf = download(
        sign_in_as(scenario.cpo),
        f"/reports/assessments/{scenario.sarah_assessment}/readiness-report.pdf",
    )
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    assert len(pages) == 5
    assert_running_header_and_footer(pages, "Northwind Bank", "Readiness report · Sarah Whitfield")
    with app.app_context():
        a = load_assessment_for_report(scenario.sarah_assessment)
        assert a is not None
        result = score_for(a)
        names = [c.name for c in result.competencies]
    assert "Sarah Whitfield" in pages[0]
    assert "Ready with support" in pages[0]
    assert f"{result.readiness:.1f}%" in pages[0]  # 91.2%
    assert "Selected" in pages[0]
    assert "Product Director (value stream) v1" in pages[0]
    for name in names:
        assert name in text
    # Blind spots, experience and the hats missing around the leader.
    assert "Blind spots" in text and "Customer evidence and discovery: self 4, panel 2." in text
    assert "Commercial and P&L Deep" in text
    assert "UX and design, Data and analytics" in text


def test_coaching_plan(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "ORGANISATION_NAME", "Northwind Bank")
    pdf = download(
        sign_in_as(scenario.hr), f"/reports/plans/{scenario.sarah_plan}/coaching-plan.pdf"
    )
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    assert (
        len(pages) == 6
    )  # goals with owners and evidence, stretch goals, trade-offs with gains (issue 16)
    assert_running_header_and_footer(pages, "Northwind Bank", "Coaching plan v1 · Sarah Whitfield")
    with app.app_context():
        content = db.session.get(CoachingPlan, scenario.sarah_plan).content
    assert "Sarah Whitfield" in pages[0]
    assert content["goals"], "the scenario's plan has goals"
    for goal in content["goals"]:
        assert goal["name"] in text
        for action in goal["actions"]:
            assert squash(action if isinstance(action, str) else action["do"]) in text
    for checkpoint in content["checkpoints"]:
        assert checkpoint["title"] in text
        for criterion in checkpoint["success_criteria"]:
            assert squash(criterion) in text
    for tradeoff in content["tradeoffs"]:
        assert tradeoff["area"] in text
        assert squash(tradeoff.get("gain") or "–") in text
    assert "Decides at checkpoints" in text
    assert "Grace Holloway" in text
    assert "Month 1 60% 55%" in text  # planned and reported load
    assert "3 of 5 done, 2 overdue (60%)" in text
    assert "Day 30" in text and "Continue" in text and "On track at day 30." in text


def test_shortlist_ranks_candidates_side_by_side(scenario: Scenario, sign_in_as: SignIn) -> None:
    pdf = download(
        sign_in_as(scenario.cpo),
        f"/reports/streams/{scenario.stream_id}/roles/{scenario.version_id}/shortlist.pdf",
    )
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    assert "Home buying" in pages[0]
    # Ranking order: Sarah (ready with support) above David (lower readiness).
    assert text.index("1 Sarah Whitfield") < text.index("2 David Mensah")
    assert "1. Sarah Whitfield 2. David Mensah" in text  # the side-by-side column headers
    assert "Not scored yet" in text and "James Carter" in text
    assert "Laura Byrne" not in text  # assessed for another value stream


def test_blank_interview_guide(app: Flask, scenario: Scenario, sign_in_as: SignIn) -> None:
    pdf = download(
        sign_in_as(scenario.interviewer),
        f"/reports/roles/{scenario.version_id}/interview-guide.pdf",
    )
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    with app.app_context():
        role = db.session.get(RoleVersion, scenario.version_id).role
    # The cover with the scale, two pages of the rater and calibration guide (the second with
    # the summary), one per competency, one for the verdict.
    assert len(pages) == len(role.competencies) + 4
    assert "Rating fairly: notes, traps and calibration" in pages[1]
    for competency in role.competencies:
        assert competency.name in text
        for question in competency.interview_questions:
            assert squash(question.text) in text
        for descriptor in competency.levels.values():
            assert squash(descriptor) in text
    assert "0 Counter-evidence 1 Awareness 2 Working 3 Practitioner 4 Expert Not assessed" in text
    assert "Counter-evidence seen: the candidate showed the opposite of level 1." in text
    assert "Not covered in this interview." in text
    assert "Evidence and notes" in text


def test_draft_plan_is_marked_draft_on_every_page(scenario: Scenario, sign_in_as: SignIn) -> None:
    pages = pdf_pages(
        download(
            sign_in_as(scenario.cpo), f"/reports/plans/{scenario.laura_draft}/coaching-plan.pdf"
        )
    )
    assert all("DRAFT, NOT ISSUED" in text for text in pages)
    assert "has not been issued" in pages[0]


def test_unscored_assessment_has_no_readiness_report(
    scenario: Scenario, sign_in_as: SignIn
) -> None:
    browser = sign_in_as(scenario.cpo)
    browser.get(f"/reports/assessments/{scenario.unscored_assessment}/readiness-report.pdf", 404)


def test_pdf_text_is_real_text(scenario: Scenario, sign_in_as: SignIn) -> None:
    pdf = download(
        sign_in_as(scenario.hr), f"/reports/plans/{scenario.david_plan}/coaching-plan.pdf"
    )
    assert "David Mensah" in pdf_text(pdf)
