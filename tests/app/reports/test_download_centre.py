"""HR's download centre: the list, its filters, one or several documents, long exports."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import CoachingPlan, ExportJob, RoleVersion
from app.models.base import utcnow
from app.reports import exports
from tests.fixtures import builders as b
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_text
from tests.fixtures.queries import count_queries

SignIn = Callable[[str], Browser]


def listed(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(candidate, document) of each row of the documents table."""
    rows = []
    for tr in page.select("table.sl-report-table tbody tr"):
        candidate = tr.find("th").get_text(strip=True)
        kind = tr.find_all("td")[1].get_text(" ", strip=True)
        rows.append((candidate, kind.split(" Plan v")[0].split(" Product")[0]))
    return rows


def test_lists_issued_plans_and_scored_reports_only(scenario: Scenario, sign_in_as: SignIn) -> None:
    page = sign_in_as(scenario.hr).get("/reports")
    rows = listed(page)
    assert sorted(rows) == sorted(
        [
            ("Sarah Whitfield", "Readiness report"),
            ("David Mensah", "Readiness report"),
            ("Laura Byrne", "Readiness report"),
            ("Sarah Whitfield", "Coaching plan"),
            ("David Mensah", "Coaching plan"),
        ]
    )  # no draft plan, no unscored candidate (James)
    assert page.find("h1").get_text(strip=True) == "Download centre"
    links = [a["href"] for a in page.select("table.sl-report-table a")]
    assert f"/reports/plans/{scenario.sarah_plan}/coaching-plan.pdf" in links
    shortlist = f"/reports/streams/{scenario.stream_id}/roles/{scenario.version_id}/shortlist.pdf"
    assert page.find("a", href=shortlist) is not None
    assert page.find("a", href=f"/reports/roles/{scenario.version_id}/interview-guide.pdf")


def test_labels_use_the_name_in_the_version_not_the_roles_current_name(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    # The list reads each version's name out of its stored JSON in SQL; a version published
    # under another name must keep it, as its PDFs do.
    with app.app_context():
        version = db.session.get(RoleVersion, scenario.version_id)
        version.content = {**version.content, "name": "Product Director <v1 name>"}
        version.definition.name = "Renamed role"
        db.session.commit()
        expected = version.label
    assert expected == "Product Director <v1 name> v1"
    page = sign_in_as(scenario.hr).get("/reports")
    roles = {
        tr.find_all("td")[1].get_text(" ", strip=True)
        for tr in page.select("table.sl-report-table tbody tr")
    }
    assert f"Readiness report {expected}" in roles
    assert any(r.startswith("Coaching plan") and r.endswith(f"· {expected}") for r in roles)
    shortlist = page.find("h2", string="Shortlists").find_next("table").find("tbody")
    assert shortlist.find_all("td")[0].get_text(strip=True) == expected
    assert page.find("a", string=f"Interview guide for {expected} (PDF)") is not None


def test_filters_by_value_stream_status_and_date(scenario: Scenario, sign_in_as: SignIn) -> None:
    hr = sign_in_as(scenario.hr)
    savings = listed(hr.get(f"/reports?stream={scenario.other_stream_id}"))
    assert savings == [("Laura Byrne", "Readiness report")]
    plans = listed(hr.get("/reports?status=issued"))
    assert sorted(plans) == [
        ("David Mensah", "Coaching plan"),
        ("Sarah Whitfield", "Coaching plan"),
    ]
    selected = listed(hr.get("/reports?status=selected"))
    assert selected == [("Sarah Whitfield", "Readiness report")]
    only_reports = listed(hr.get("/reports?kind=readiness&status=awaiting-decision"))
    assert sorted(only_reports) == [
        ("David Mensah", "Readiness report"),
        ("Laura Byrne", "Readiness report"),
    ]
    # Plans were issued on 1 Nov 2026, interviews submitted on 28 Oct, Sarah decided 30 Oct.
    on_31_oct = "date_from-day=31&date_from-month=10&date_from-year=2026"
    assert sorted(listed(hr.get(f"/reports?{on_31_oct}"))) == [
        ("David Mensah", "Coaching plan"),
        ("Sarah Whitfield", "Coaching plan"),
    ]
    assert listed(hr.get("/reports?date_from=2026-10-29&date_to=2026-10-30")) == [
        ("Sarah Whitfield", "Readiness report")
    ]
    page = hr.get("/reports?stream=999999")
    assert "No documents match these filters." in page.get_text()


def test_bad_dates_are_explained(scenario: Scenario, sign_in_as: SignIn) -> None:
    hr = sign_in_as(scenario.hr)
    page = hr.get("/reports?date_from-day=31&date_from-month=11&date_from-year=2026")
    assert page.title.get_text().startswith("Error:")
    link = page.select_one(".govuk-error-summary a")
    assert link.get_text() == "The from date must be a real date"
    assert link["href"] == "#date_from-day"
    page = hr.get(
        "/reports?date_from-day=10&date_from-month=11&date_from-year=2026"
        "&date_to-day=1&date_to-month=11&date_to-year=2026"
    )
    assert "The to date must be the same as or after the from date" in page.get_text()
    # What was typed stays in the boxes.
    assert [page.find("input", id=f"date_to-{p}")["value"] for p in ("day", "month", "year")] == [
        "1",
        "11",
        "2026",
    ]
    page = hr.get("/reports?date_from-day=10&date_from-year=2026")
    assert page.select_one(".govuk-error-summary a").get_text() == (
        "The from date must include a month"
    )


def test_queries_do_not_grow_with_the_rows(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    hr = sign_in_as(scenario.hr)
    hr.get("/reports")
    with count_queries(app) as few:
        hr.get("/reports")
    with app.app_context():
        version = b.published_role()
        stream = b.report_stream("Payments")
        for _ in range(4):
            a = b.scored_assessment(b.person("exec"), version, stream, decision="selected")
            b.plan(a)
        db.session.commit()
    with count_queries(app) as many:
        page = hr.get("/reports")
    assert len(listed(page)) == 5 + 8
    assert len(many) == len(few)


def test_one_or_several_ticked_documents_download_as_a_zip(
    scenario: Scenario, sign_in_as: SignIn
) -> None:
    hr = sign_in_as(scenario.hr)
    response = hr.post(
        "/reports",
        {"documents": [f"plan:{scenario.sarah_plan}", f"readiness:{scenario.david_assessment}"]},
        status=200,
    )
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = sorted(archive.namelist())
    assert names == [
        "coaching-plan-sarah-whitfield-v1.pdf",
        "readiness-report-david-mensah-product-director-v1.pdf",
    ]
    assert "David Mensah" in pdf_text(archive.read(names[1]))


def test_nothing_ticked_is_an_error(scenario: Scenario, sign_in_as: SignIn) -> None:
    response = sign_in_as(scenario.hr).post("/reports?status=issued", {}, status=200)
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert "Select at least one document to download" in html


def test_a_draft_plan_cannot_be_smuggled_into_a_zip(scenario: Scenario, sign_in_as: SignIn) -> None:
    response = sign_in_as(scenario.hr).post(
        "/reports", {"documents": [f"plan:{scenario.laura_draft}"]}, status=200
    )
    assert response.mimetype == "text/html"
    assert "no longer available" in response.get_data(as_text=True)


@pytest.fixture
def many_plans(app: Flask, scenario: Scenario) -> list[str]:
    """Fourteen issued plans: a bulk export long enough to run in the background."""
    with app.app_context():
        version = b.published_role()
        stream = b.report_stream("Payments")
        for _ in range(12):
            a = b.scored_assessment(b.person("exec"), version, stream, decision="selected")
            b.plan(a)
        db.session.commit()
        return [f"plan:{p.id}" for p in db.session.query(CoachingPlan).filter_by(status="issued")]


def test_a_long_export_runs_in_the_background_with_progress(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, many_plans: list[str]
) -> None:
    hr = sign_in_as(scenario.hr)
    response = hr.post("/reports", {"documents": many_plans, "all": ""})
    assert response.location.startswith("/reports/exports/")
    progress = hr.get(response.location)
    assert progress.find("meta", attrs={"http-equiv": "refresh"}) or "ready" in progress.get_text()
    job_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        exports.wait_for_export(job_id, timeout=180)
    done = hr.get(response.location)
    assert done.find("h1").get_text(strip=True) == "Your download is ready"
    assert done.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert "14 of 14 ready (100%)" in done.get_text()
    link = done.find("a", string=lambda s: s and s.startswith("Download streamlead-documents-"))
    zipped = hr.client.get(link["href"])
    assert zipped.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(zipped.get_data())).namelist()) == 14
    # The bulk export filled the cache: downloading one of them now renders nothing.
    assert (
        hr.client.get(f"/reports/plans/{scenario.sarah_plan}/coaching-plan.pdf").status_code == 200
    )


def test_download_all_shown(app: Flask, scenario: Scenario, sign_in_as: SignIn) -> None:
    response = sign_in_as(scenario.hr).post(
        f"/reports?stream={scenario.other_stream_id}", {"all": "1"}, status=200
    )
    names = zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()
    assert names == ["readiness-report-laura-byrne-product-director-v1.pdf"]


def test_only_the_person_who_started_an_export_sees_it(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    with app.app_context():
        from app.models import User

        hr = db.session.query(User).filter_by(email=scenario.hr).one()
        job = exports.create_export(hr, [f"plan:{scenario.sarah_plan}"])
        db.session.commit()
        job_id = job.id
    sign_in_as(scenario.hr).get(f"/reports/exports/{job_id}")
    sign_in_as(scenario.cpo).get(f"/reports/exports/{job_id}", 403)
    sign_in_as(scenario.cpo).get(f"/reports/exports/{job_id}/download", 403)
    sign_in_as(scenario.sarah).get(f"/reports/exports/{job_id}", 403)


def test_an_export_whose_worker_died_says_so(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    with app.app_context():
        from app.models import User

        hr = db.session.query(User).filter_by(email=scenario.hr).one()
        job = exports.create_export(hr, [f"plan:{scenario.sarah_plan}"])
        job.status = "running"
        job.heartbeat_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        job_id = job.id
    page = sign_in_as(scenario.hr).get(f"/reports/exports/{job_id}")
    assert "The export stopped before it finished" in page.get_text()
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None
    with app.app_context():
        assert db.session.get(ExportJob, job_id).status == "running"


def test_bulk_downloads_are_audited(app: Flask, scenario: Scenario, sign_in_as: SignIn) -> None:
    from app.models import AuditEvent

    refs = [f"plan:{scenario.sarah_plan}", f"readiness:{scenario.david_assessment}"]
    sign_in_as(scenario.hr).post("/reports", {"documents": refs}, status=200)
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="reports.export").one()
        assert event.actor.email == scenario.hr
        assert event.new_value == {"documents": refs}
        assert event.summary == "2 documents downloaded as one ZIP"
