"""The download centre in pages: filters kept across pages, every page reachable without
JavaScript, and bulk downloads of documents from several pages or of all that match."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from flask import Flask

from app.extensions import db
from app.models import ExportJob
from app.reports import listing
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser

SignIn = Callable[[str], Browser]


@pytest.fixture
def two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of two, so the scenario's five documents fill three pages."""
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)


def refs(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [box["value"] for box in page.select("input[name=documents][type=checkbox]")]


def test_documents_come_in_pages_newest_first_each_once(
    scenario: Scenario, sign_in_as: SignIn, two_a_page: None
) -> None:
    hr = sign_in_as(scenario.hr)
    first = hr.get("/reports")
    assert "5 documents" in first.find("h2", class_="govuk-fieldset__heading").get_text(
        " ", strip=True
    )
    assert "Page 1 of 3" in first.find("h2", class_="govuk-fieldset__heading").get_text(
        " ", strip=True
    )
    pages = [refs(first), refs(hr.get("/reports?page=2")), refs(hr.get("/reports?page=3"))]
    assert [len(p) for p in pages] == [2, 2, 1]
    seen = [r for p in pages for r in p]
    assert sorted(seen) == sorted(
        [
            f"plan:{scenario.sarah_plan}",
            f"plan:{scenario.david_plan}",
            f"readiness:{scenario.sarah_assessment}",
            f"readiness:{scenario.david_assessment}",
            f"readiness:{scenario.laura_assessment}",
        ]
    )
    # Plans were issued on 1 Nov, after every interview and decision: newest first.
    assert all(r.startswith("plan:") for r in pages[0])
    # A page beyond the end shows the last page rather than nothing.
    assert refs(hr.get("/reports?page=99")) == pages[2]


def test_page_links_keep_the_filters_and_work_without_javascript(
    scenario: Scenario, sign_in_as: SignIn, two_a_page: None
) -> None:
    hr = sign_in_as(scenario.hr)
    dates = "date_from-day=1&date_from-month=1&date_from-year=2026"
    page = hr.get(f"/reports?kind=readiness&{dates}")
    nav = page.find("nav", attrs={"aria-label": "Document list pages"})
    assert nav is not None
    following = nav.find("a", rel="next")["href"]
    for kept in ("kind=readiness", "date_from-day=1", "date_from-month=1", "date_from-year=2026"):
        assert kept in following
    assert "page=2" in following
    second = hr.get(following)
    assert second.find("nav", attrs={"aria-label": "Document list pages"}).find("a", rel="prev")
    assert sorted(refs(page) + refs(second)) == sorted(
        f"readiness:{a}"
        for a in (scenario.sarah_assessment, scenario.david_assessment, scenario.laura_assessment)
    )


def test_documents_ticked_on_different_pages_download_together(
    scenario: Scenario, sign_in_as: SignIn, two_a_page: None
) -> None:
    hr = sign_in_as(scenario.hr)
    one = refs(hr.get("/reports"))[0]
    other = refs(hr.get("/reports?page=3"))[0]
    response = hr.post("/reports?page=3", {"documents": [one, other]}, status=200)
    assert response.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()) == 2


def test_download_all_that_match_takes_every_page(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, two_a_page: None
) -> None:
    hr = sign_in_as(scenario.hr)
    page = hr.get("/reports?kind=readiness")
    button = page.find("button", attrs={"name": "all"})
    assert button.get_text(strip=True) == "Download all 3 that match as ZIP"
    # From the first page, the export takes the three readiness reports of both pages.
    response = hr.post("/reports?kind=readiness", {"all": "1"})
    job_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        assert sorted(job.documents) == sorted(
            f"readiness:{a}"
            for a in (
                scenario.sarah_assessment,
                scenario.david_assessment,
                scenario.laura_assessment,
            )
        )
