"""Each document is offered where it is read, to those the policy lets read it, and the link
serves that reader's version of it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, ProgressReview, User
from tests.fixtures.builders import Scenario, add_interview
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_text

SignIn = Callable[[str], Browser]
PLAN_LINK = "Download the plan (PDF)"
MY_PLAN_LINK = "Download my plan (PDF)"
REVIEW_LINK = "Download the plan with its reviews (PDF)"
GUIDE_LINK = "Print a blank guide (PDF)"
# Written at the day-30 review for the CPO: the staff copy carries it, the exec's never does.
REVIEW_NOTES = "Good start; the P&L walkthrough is done."


def _pdf(browser: Browser, page, text: str) -> str:  # type: ignore[no-untyped-def]
    link = page.find("a", string=text)
    assert link is not None, text
    response = browser.client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return pdf_text(response.get_data())


def test_staff_download_the_plan_from_its_page(scenario: Scenario, sign_in_as: SignIn) -> None:
    for email in (scenario.cpo, scenario.hr, scenario.admin):
        browser = sign_in_as(email)
        page = browser.get(f"/assessments/{scenario.sarah_assessment}/plan")
        assert page.find("a", string=MY_PLAN_LINK) is None
        text = _pdf(browser, page, PLAN_LINK)
        assert "Sarah Whitfield" in text and REVIEW_NOTES in text, email


def test_an_exec_downloads_their_own_version_of_their_plan(
    scenario: Scenario, sign_in_as: SignIn
) -> None:
    sarah = sign_in_as(scenario.sarah)
    page = sarah.get(f"/assessments/{scenario.sarah_assessment}/plan")
    assert page.find("a", string=PLAN_LINK) is None
    text = _pdf(sarah, page, MY_PLAN_LINK)
    assert "Sarah Whitfield" in text
    assert REVIEW_NOTES not in text  # the exec's version: no CPO working notes
    # Another exec's plan page is not theirs to read, so no link either.
    sarah.get(f"/assessments/{scenario.david_assessment}/plan", 403)


def test_review_pages_offer_the_plan_with_its_reviews(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    with app.app_context():
        review_id = db.session.scalar(select(ProgressReview.id))
    url = f"/assessments/{scenario.sarah_assessment}/reviews/{review_id}"
    for email in (scenario.cpo, scenario.hr, scenario.admin):
        browser = sign_in_as(email)
        text = _pdf(browser, browser.get(url), REVIEW_LINK)
        assert "Review history" in text and REVIEW_NOTES in text, email
    sign_in_as(scenario.sarah).get(url, 403)


def test_the_kit_offers_a_blank_guide(app: Flask, scenario: Scenario, sign_in_as: SignIn) -> None:
    with app.app_context():
        tom = db.session.scalar(select(User).where(User.email == scenario.interviewer))
        james = db.session.get(Assessment, scenario.unscored_assessment)
        interview_id = add_interview(james, tom, status="draft", recommendation=None).id
        db.session.commit()
    tom_browser = sign_in_as(scenario.interviewer)
    page = tom_browser.get(f"/interviews/{interview_id}")
    text = _pdf(tom_browser, page, GUIDE_LINK)
    assert "Interview guide" in text
    # A blank guide names no candidate: it is the role's questions, to take notes on paper.
    assert "James Carter" not in text
