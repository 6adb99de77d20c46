"""The CPO nominates a new exec, sits on their panel, interviews them and reads the result.

Every page the journey visits is checked with axe-core (no serious or critical violation).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Interview, User
from assessments.role_files import load_shipped_role
from tests.browser.live import LiveServer, assert_accessible

# A new nomination is on the latest published version: the demo publishes v2 last.
ROLE = load_shipped_role("product-director-v2.yaml")
STREAM = "Self-service support"
# Practitioner (3) everywhere, except two competencies below what the role needs.
RATINGS = {c.key: "3 Practitioner" for c in ROLE.competencies} | {
    "stakeholder-tension": "2 Working",
    "building-the-team": "1 Awareness",
}


def _visit(page: Page, link: str, role: str = "link") -> None:
    """Follow a link (or a link styled as a button), then check the page it leads to."""
    page.get_by_role(role, name=link, exact=True).click()  # type: ignore[arg-type]
    page.wait_for_load_state()
    assert_accessible(page)


def test_cpo_nominates_interviews_and_sees_the_band(page: Page, live_server: LiveServer) -> None:
    page.set_default_timeout(10_000)
    live_server.sign_in(page, "cpo@example.org")
    assert_accessible(page)

    # Nominate someone not yet in Streamlead for a value stream, from the stream's page.
    _visit(page, "Value streams")
    _visit(page, STREAM)
    _visit(page, "Nominate a candidate", role="button")
    expect(page.get_by_label("Value stream")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Executive").select_option(label="Someone not in Streamlead yet")
    page.get_by_label("Full name").fill("Nadia Okoro")
    page.get_by_label("Email address").fill("nadia.okoro@example.org")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nadia Okoro nominated")
    expect(page.locator(".govuk-panel__body")).to_contain_text(f"for {STREAM}")
    expect(page.get_by_label("Single-use invite link")).to_have_value(
        re.compile(r"/account/set-password/")
    )
    assert_accessible(page)

    # A panel of the CPO and Tom Okafor.
    _visit(page, "Go to Nadia Okoro's assessment")
    assessment_url = page.url
    _visit(page, "Assign an interview panel")
    page.get_by_label("Priya Raman").check()
    page.get_by_label("Tom Okafor").check()
    page.get_by_role("button", name="Save the panel").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Interview panel saved: 2 members."
    )
    assert_accessible(page)

    # The CPO's own interview: every competency rated with evidence, then submitted.
    page.goto(assessment_url)
    _visit(page, "Open your interview kit")
    for comp in ROLE.competencies:
        page.get_by_role("group", name=f"Your rating for {comp.name}").get_by_label(
            RATINGS[comp.key], exact=True
        ).check()
        page.get_by_label(f"Evidence for {comp.name}").fill(f"Nadia's example for {comp.name}.")
    page.get_by_label("Strengths").fill("Clear about outcomes; brings the team with her.")
    page.get_by_label("Weaknesses").fill("New to coaching product managers.")
    page.get_by_role("group", name="Your recommendation").get_by_label("Yes", exact=True).check()
    # Submitting is final, so it goes through checking the answers first.
    page.get_by_role("button", name="Check and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Submit interview").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Interview of Nadia Okoro submitted."
    )
    expect(
        page.get_by_role("heading", name="How the panel and the candidate rated")
    ).to_be_visible()
    expect(page.get_by_text("Still to submit: Tom Okafor.")).to_be_visible()
    assert_accessible(page)

    # Calibration and results, now that the CPO's own interview is in.
    page.goto(assessment_url)
    _visit(page, "Calibrate the panel's ratings")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calibrat")
    page.goto(assessment_url.rstrip("/") + "/results")
    assert_accessible(page)
    expect(page.locator(".sl-band").first).to_have_text("Ready with support")
    expect(page.get_by_text("94.2%").first).to_be_visible()

    with live_server.app.app_context():
        nadia = db.session.scalar(select(User).where(User.email == "nadia.okoro@example.org"))
        assert nadia is not None and nadia.role == "exec"
        mine = db.session.scalars(
            select(Interview)
            .join(User, Interview.interviewer_id == User.id)
            .where(User.email == "cpo@example.org", Interview.assessment.has(candidate_id=nadia.id))
        ).one()
        assert mine.status == "submitted" and mine.recommendation == "yes"
        assert len(mine.ratings) == len(ROLE.competencies)


def test_interview_draft_saves_without_javascript(browser, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    live_server.sign_in(page, "interviewer1@example.org")
    page.get_by_role("link", name=re.compile(r"^Interview Laura Byrne")).click()
    page.get_by_role("group", name="Your rating for Growing product people").get_by_label(
        "2 Working", exact=True
    ).check()
    page.get_by_label("Evidence for Growing product people").fill("Mentors two analysts.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Draft saved. Nothing is shared with the panel until you submit."
    )
    # No axe check here: axe-core is JavaScript. The same kit is checked in the journey above.
    with live_server.app.app_context():
        tom = db.session.scalar(select(User).where(User.email == "interviewer1@example.org"))
        laura = db.session.scalar(select(User).where(User.email == "exec3@example.org"))
        assert tom is not None and laura is not None
        interview = db.session.scalars(
            select(Interview).where(
                Interview.interviewer_id == tom.id,
                Interview.assessment.has(candidate_id=laura.id),
            )
        ).one()
        saved = {r.competency_key: (r.level, r.notes) for r in interview.ratings}
        assert interview.status == "draft"
        assert saved["growing-product-people"] == (2, "Mentors two analysts.")
    context.close()
