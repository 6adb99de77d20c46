"""Repeat downloads (app/reports/repeats.py): answered without building the document again,
but never with a document that has changed, and never to someone the policy refuses."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import delete, select

from app.extensions import db
from app.models import RenderedDocument, User
from tests.app.reports.test_prerender import download, plan_url, readiness_url, shortlist_url
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_text
from tests.fixtures.queries import count_queries

SignIn = Callable[[str], Browser]


def _counted(app: Flask, browser: Browser, url: str) -> tuple[int, bytes]:
    with count_queries(app) as statements:
        pdf = download(browser, url)
    return len(statements), pdf


def test_a_shortlist_downloaded_again_is_not_built_again(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    cpo = sign_in_as(scenario.cpo)
    url = shortlist_url(scenario)
    built, first = _counted(app, cpo, url)
    again, second = _counted(app, cpo, url)
    assert second == first
    assert "Sarah Whitfield" in pdf_text(second)
    # The sign-in check and the stored PDF: none of the document's own queries.
    assert again == 2 < built


def test_a_change_shows_in_the_next_download(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    cpo = sign_in_as(scenario.cpo)
    url = readiness_url(scenario.sarah_assessment)
    assert "Sarah Whitfield" in pdf_text(download(cpo, url))
    download(cpo, url)
    with app.app_context():
        sarah = db.session.scalar(select(User).where(User.email == scenario.sarah))
        sarah.name = "Sarah Whitfield-Jones"
        db.session.commit()
    assert "Sarah Whitfield-Jones" in pdf_text(download(cpo, url))


def test_a_stored_pdf_replaced_since_is_built_again(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    """The worker may replace or drop a stored PDF without any data changing (a new renderer
    version, say): the remembered answer is then not used."""
    hr = sign_in_as(scenario.hr)
    url = plan_url(scenario.sarah_plan)
    first = download(hr, url)
    with app.app_context():
        db.session.execute(delete(RenderedDocument))
        db.session.commit()
    built, again = _counted(app, hr, url)
    assert built > 2
    assert pdf_text(again) == pdf_text(first)


def test_each_reader_is_answered_as_the_policy_answers_them(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    """Sarah's own plan, downloaded by her, is remembered for her only."""
    url = plan_url(scenario.sarah_plan)
    sarah = sign_in_as(scenario.sarah)
    download(sarah, url)
    download(sarah, url)
    david = sign_in_as(scenario.david)
    assert david.client.get(url).status_code == 403
    assert david.client.get(url).status_code == 403


def test_a_message_waiting_for_the_next_page_does_not_stop_a_repeat(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    """A PDF shows no messages: one waiting in the session (a decision just recorded, say) does
    not make every download build its document again."""
    cpo = sign_in_as(scenario.cpo)
    with cpo.client.session_transaction() as session:
        session["_flashes"] = [("success", "Decision recorded for Sarah Whitfield.")]
    url = readiness_url(scenario.sarah_assessment)
    download(cpo, url)
    again, _pdf = _counted(app, cpo, url)
    assert again == 2
