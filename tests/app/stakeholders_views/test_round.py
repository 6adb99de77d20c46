"""Stakeholder results show only once the feedback round closes (issue 18, differencing).

While any invitation is open, no page or PDF shows a stakeholder mean, count, concern or
comment: someone who saw the results before and after one more answer, and knew who had just
answered, could read that person's levels and comment off the difference. Once the round has
closed (every link answered, expired or withdrawn, or the CPO closed it), the results show
under the usual threshold rules and nobody more can be asked."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, StakeholderInvitation
from tests.app.reports.test_prerender import ahead, renders  # noqa: F401 - fixtures
from tests.app.stakeholders_views.scene import FIVE, add_responses, build
from tests.fixtures.pdf import pdf_text

WAITING = "results appear when the feedback round closes"


def _text(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.get_text(" ", strip=True))


def _headers(page, caption: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        th.get_text(strip=True)
        for th in page.find("caption", string=caption).parent.select("thead th")
    ]


def test_three_answers_in_an_open_round_show_nothing_until_the_cpo_closes_it(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, FIVE[:3], closed=False)
    cpo = browser_as(scene.cpo)
    url = f"/assessments/{scene.assessment_id}/results"
    page = cpo.get(url)
    text = _text(page)
    assert f"3 of 4 stakeholders have answered; {WAITING}." in text
    assert "Stakeholders" not in _headers(page, "Every competency")
    assert "Stakeholders 1.3" not in text and "from 3 ratings" not in text
    assert "ZEBRA" not in text
    assert page.find("h2", string="Stakeholder concerns") is None
    assert "Stakeholder concern" not in text  # the flag would tell as much as the mean
    # A fourth answer while the round is open changes nothing but the count.
    with app.app_context():
        add_responses(scene.assessment_id, FIVE[3:4], pending=False)
        db.session.commit()
    text = _text(cpo.get(url))
    assert f"4 of 5 stakeholders have answered; {WAITING}." in text
    assert "ZEBRA" not in text and "from 4 ratings" not in text

    manage = cpo.get(f"/assessments/{scene.assessment_id}/stakeholders")
    button = manage.find("a", string="Close feedback and show results")
    confirm = cpo.get(button["href"])
    assert "This cannot be undone." in _text(confirm)
    assert "The 1 unanswered link stops working" in _text(confirm)
    cpo.post(button["href"], {}, follow=True, status=200)

    page = cpo.get(url)
    text = _text(page)
    assert WAITING not in text
    assert "4 stakeholders answered (of 5 asked)." in text
    assert "Stakeholders" in _headers(page, "Every competency")
    assert "1.25 from 4 ratings" in text  # a: 1, 1, 2, 1
    assert "ZEBRA-ONE pushes finished plans onto the team" in text
    with app.app_context():
        pending = db.session.scalar(
            select(StakeholderInvitation).where(StakeholderInvitation.submitted_at.is_(None))
        )
        assert pending.draft == {}
        events = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "stakeholder.close")
        ).all()
        assert events == ["stakeholder.close"]


def test_the_open_round_message_on_calibration_the_exec_page_and_the_pdf(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, FIVE, decision="selected", closed=False)
    waiting = f"5 of 6 stakeholders have answered; {WAITING}."
    cpo = browser_as(scene.cpo)

    page = cpo.get(f"/assessments/{scene.assessment_id}/calibration")
    text = _text(page)
    assert waiting in text
    assert "Stakeholders" not in _headers(page, "Ratings side by side")
    assert "ZEBRA" not in text and "1.4" not in text
    assert "Stakeholders 1.4" not in str(page.select_one(".sl-chart__wide svg"))

    section = (
        browser_as(scene.candidate)
        .get(f"/assessments/{scene.assessment_id}")
        .find(id="stakeholder-feedback")
    )
    text = _text(section)
    assert waiting in text
    assert "ZEBRA" not in text and "1.4" not in text

    response = cpo.client.get(f"/reports/assessments/{scene.assessment_id}/readiness-report.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.get_data()).split())
    assert waiting in text
    assert "Stakeholders 1.4" not in text and "1.4 (5)" not in text
    assert "ZEBRA" not in text and "Stakeholder concerns" not in text
    assert "Competency A: panel 3, stakeholders" not in text

    # The coaching plan's goals follow the same rule: no goal from an open round's mean.
    from app.coaching.plans import goal_inputs
    from app.models import Assessment

    with app.app_context():
        inputs = goal_inputs(db.session.get(Assessment, scene.assessment_id))
    assert all(i.stakeholder is None and not i.stakeholder_concern for i in inputs)


def test_closing_rerenders_the_readiness_report(
    app: Flask,
    make_user,
    browser_as,
    ahead: None,  # noqa: F811
    renders: list[str],  # noqa: F811
) -> None:
    scene = build(app, make_user, FIVE, closed=False)
    title = "Readiness report: Dana Quist, Mini Product Director v1"
    assert title in renders
    renders.clear()
    browser_as(scene.cpo).post(
        f"/assessments/{scene.assessment_id}/stakeholders/close", {}, follow=True, status=200
    )
    assert renders == [title]
    response = browser_as(scene.cpo).client.get(
        f"/reports/assessments/{scene.assessment_id}/readiness-report.pdf"
    )
    assert "1.4 (5)" in pdf_text(response.get_data())
    assert renders == [title], "the download is the PDF rendered on closing"


def test_only_the_cpo_may_close_the_round(app: Flask, make_user, browser_as) -> None:
    scene = build(app, make_user, FIVE, closed=False)
    url = f"/assessments/{scene.assessment_id}/stakeholders/close"
    for role in ("admin", "hr", "interviewer"):
        browser = browser_as(role)
        assert browser.client.get(url).status_code == 403
        assert browser.client.post(url).status_code == 403
    exec_browser = browser_as(scene.candidate)
    assert exec_browser.client.post(url).status_code == 403
    with app.app_context():
        from app.models import Assessment

        assert db.session.get(Assessment, scene.assessment_id).stakeholder_closed_at is None
    # Closing twice says so, and changes nothing.
    cpo = browser_as(scene.cpo)
    cpo.post(url, {}, follow=True, status=200)
    again = cpo.post(url, {}, follow=True, status=200)
    assert "is already closed" in again.get_data(as_text=True)


def test_the_demo_shows_sarahs_closed_round_and_keeps_davids_open(app: Flask) -> None:
    """Sarah: all five answered, so the concern shows. David: two of three, the third given
    more time, so his round is open and nothing shows."""
    from app.demo import load_demo
    from app.interviews.demo import latest_assessment
    from tests.app.test_route_policy import DEMO_LOGIN
    from tests.fixtures.builders import PASSWORD
    from tests.fixtures.client import Browser, sign_in

    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        sarah = latest_assessment("exec1@example.org")
        david = latest_assessment("exec2@example.org")
        assert sarah is not None and david is not None
        sarah_id, david_id = sarah.id, david.id
    cpo = Browser(app.test_client())
    assert sign_in(cpo.client, DEMO_LOGIN["cpo"]).status_code == 302
    text = _text(cpo.get(f"/assessments/{sarah_id}/results"))
    assert "5 stakeholders answered." in text
    assert "stakeholders 1.4 from 5 ratings" in text  # the concern the panel missed
    text = _text(cpo.get(f"/assessments/{david_id}/results"))
    assert f"2 of 3 stakeholders have answered; {WAITING}." in text
    assert "Talks to the engineers only through their manager." not in text
    manage = cpo.get(f"/assessments/{david_id}/stakeholders")
    assert manage.find("a", string="Close feedback and show results")
    with app.app_context():
        from tests.fixtures.app import _empty_tables

        _empty_tables()
