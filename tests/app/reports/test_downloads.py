"""Who may download what, the cache that serves unchanged documents, and the time limit."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import CoachingPlan, RenderedDocument
from app.reports import pdf as pdf_module
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_text

SignIn = Callable[[str], Browser]


def plan_url(plan_id: int) -> str:
    return f"/reports/plans/{plan_id}/coaching-plan.pdf"


def cached_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RenderedDocument)) or 0


def test_exec_downloads_only_their_own_issued_plan(scenario: Scenario, sign_in_as: SignIn) -> None:
    sarah = sign_in_as(scenario.sarah)
    response = sarah.client.get(plan_url(scenario.sarah_plan))
    assert response.status_code == 200
    assert "Sarah Whitfield" in pdf_text(response.get_data())
    sarah.get(plan_url(scenario.david_plan), 403)  # another exec's plan
    laura = sign_in_as(scenario.laura)
    laura.get(plan_url(scenario.laura_draft), 403)  # her own plan, still a draft


def test_staff_download_any_plan_including_drafts(scenario: Scenario, sign_in_as: SignIn) -> None:
    for email in (scenario.hr, scenario.cpo, scenario.admin):
        browser = sign_in_as(email)
        for plan_id in (scenario.david_plan, scenario.laura_draft):
            assert browser.client.get(plan_url(plan_id)).status_code == 200


def test_reports_are_for_staff_only(scenario: Scenario, sign_in_as: SignIn) -> None:
    readiness = f"/reports/assessments/{scenario.sarah_assessment}/readiness-report.pdf"
    shortlist = f"/reports/streams/{scenario.stream_id}/roles/{scenario.version_id}/shortlist.pdf"
    for email in (scenario.sarah, scenario.interviewer):
        browser = sign_in_as(email)
        browser.get(readiness, 403)
        browser.get(shortlist, 403)
        browser.get("/reports", 403)
    sign_in_as(scenario.interviewer).get(plan_url(scenario.sarah_plan), 403)
    sign_in_as(scenario.sarah).get(f"/reports/roles/{scenario.version_id}/interview-guide.pdf", 403)


def test_anonymous_visitors_are_sent_to_sign_in(scenario: Scenario, anonymous: Browser) -> None:
    response = anonymous.client.get(plan_url(scenario.sarah_plan))
    assert response.status_code == 302 and response.location.startswith("/login")


def test_unchanged_plan_is_served_from_the_cache(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    hr = sign_in_as(scenario.hr)
    first = hr.client.get(plan_url(scenario.sarah_plan)).get_data()
    assert cached_count(app) == 1

    def no_rendering(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("an unchanged document must not be rendered again")

    monkeypatch.setattr(pdf_module, "render_pdf", no_rendering)
    second = sign_in_as(scenario.cpo).client.get(plan_url(scenario.sarah_plan)).get_data()
    assert second == first
    assert cached_count(app) == 1


def test_any_change_to_the_plan_gives_a_fresh_pdf(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    hr = sign_in_as(scenario.hr)
    before = hr.client.get(plan_url(scenario.sarah_plan)).get_data()
    with app.app_context():
        plan = db.session.get(CoachingPlan, scenario.sarah_plan)
        content = dict(plan.content)
        goals = [dict(g) for g in content["goals"]]
        goals[0]["actions"] = ["Shadow the finance business partner at every month-end close."]
        content["goals"] = goals
        plan.content = content
        db.session.commit()
    after = hr.client.get(plan_url(scenario.sarah_plan)).get_data()
    assert after != before
    assert "Shadow the finance business partner at every month-end close." in pdf_text(after)
    assert "Shadow the finance business partner" not in pdf_text(before)
    assert cached_count(app) == 1  # the changed plan's PDF replaced the old one


def test_a_ticked_induction_task_also_gives_a_fresh_pdf(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    from app.models import InductionTask

    hr = sign_in_as(scenario.hr)
    before = hr.client.get(plan_url(scenario.sarah_plan)).get_data()
    assert "3 of 5 done" in pdf_text(before)
    with app.app_context():
        task = db.session.scalar(
            select(InductionTask).where(InductionTask.done.is_(False)).limit(1)
        )
        task.done = True
        db.session.commit()
    assert "4 of 5 done" in pdf_text(hr.client.get(plan_url(scenario.sarah_plan)).get_data())


def test_a_slow_render_answers_try_again_and_is_kept_for_the_next_request(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_render = pdf_module.render_pdf

    def slow_render(*args: object, **kwargs: object) -> bytes:
        time.sleep(0.5)
        return real_render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_module, "render_pdf", slow_render)
    monkeypatch.setitem(app.config, "PDF_RENDER_TIMEOUT", 0.05)
    hr = sign_in_as(scenario.hr)
    response = hr.client.get(plan_url(scenario.sarah_plan))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "The document is still being prepared" in response.get_data(as_text=True)
    pdf_module.wait_for_renders()
    assert cached_count(app) == 1
    monkeypatch.setattr(pdf_module, "render_pdf", lambda *a, **k: pytest.fail("rendered twice"))
    again = hr.client.get(plan_url(scenario.sarah_plan))
    assert again.status_code == 200
    assert "Sarah Whitfield" in pdf_text(again.get_data())
