"""Bulk exports on the worker: one task per document then the ZIP; idempotent, cancellable."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, CoachingPlan, ExportItem, ExportJob, TaskRun, User
from app.models.base import utcnow
from app.queue import after_commit
from app.reports import exports, tasks
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser

SignIn = Callable[[str], Browser]


def _job(app: Flask, email: str, refs: list[str], *, queue: bool = False) -> int:
    """An export started by `email`, built at once (queue=True) or left waiting for a worker."""
    with app.app_context():
        owner = db.session.scalars(select(User).where(User.email == email)).one()
        job = exports.create_export(owner, refs)
        if queue:
            tasks.queue_export(job.id)
        db.session.commit()
        return job.id


def _refs(scenario: Scenario) -> list[str]:
    return [
        f"plan:{scenario.sarah_plan}",
        f"readiness:{scenario.david_assessment}",
        f"plan:{scenario.david_plan}",
    ]


def _state(app: Flask, job_id: int) -> ExportJob:
    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        db.session.expunge(job)
        return job


def test_each_document_is_a_task_then_one_builds_the_zip(app: Flask, scenario: Scenario) -> None:
    job_id = _job(app, scenario.hr, _refs(scenario), queue=True)
    job = _state(app, job_id)
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    with app.app_context():
        names = sorted(
            zipfile.ZipFile(io.BytesIO(db.session.get(ExportJob, job_id).result)).namelist()
        )
        runs = [r.description for r in db.session.scalars(select(TaskRun).order_by(TaskRun.id))]
    assert names == [
        "coaching-plan-david-mensah-v1.pdf",
        "coaching-plan-sarah-whitfield-v1.pdf",
        "readiness-report-david-mensah-product-director-v1.pdf",
    ]
    assert runs == [
        f"Bulk export {job_id}: queue its documents",
        f"Bulk export {job_id}: document 1",
        f"Bulk export {job_id}: document 2",
        f"Bulk export {job_id}: document 3",
        f"Bulk export {job_id}: build the ZIP",
    ]


def test_running_a_step_twice_does_no_harm(app: Flask, scenario: Scenario) -> None:
    job_id = _job(app, scenario.hr, _refs(scenario))
    with app.app_context():
        assert exports.begin(job_id) == [0, 1, 2]
        assert exports.render_item(job_id, 0) is False
        assert exports.render_item(job_id, 0) is False  # again: already done, counts nothing
        assert exports.render_item(job_id, 1) is False
        assert exports.render_item(job_id, 2) is True  # the last one says so, once
        assert exports.render_item(job_id, 2) is False
        db.session.commit()
        assert exports.begin(job_id) == []
        exports.build_archive(job_id)
        exports.build_archive(job_id)  # a finished export is left as it is
        db.session.commit()
    job = _state(app, job_id)
    assert (job.status, job.done) == ("done", 3)


def test_the_owner_cancels_and_the_remaining_documents_are_not_rendered(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    job_id = _job(app, scenario.hr, _refs(scenario))
    hr = sign_in_as(scenario.hr)
    page = hr.get(f"/reports/exports/{job_id}")
    form = page.find("form", action=f"/reports/exports/{job_id}/cancel")
    assert form.find("button").get_text(strip=True) == "Cancel this export"
    hr.post(f"/reports/exports/{job_id}/cancel")
    page = hr.get(f"/reports/exports/{job_id}")
    assert page.find("h1").get_text(strip=True) == "Download cancelled"
    assert "The export was cancelled." in page.get_text()
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert page.find("form", action=f"/reports/exports/{job_id}/cancel") is None
    # A document task still on the queue stops without rendering.
    with app.app_context():
        after_commit(tasks.render_export_document, job_id, 0)
        db.session.commit()
        run = db.session.scalars(select(TaskRun)).one()
        assert run.status == "cancelled"
        assert db.session.scalars(select(ExportItem).where(ExportItem.done)).all() == []
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "reports.export_cancel")
        ).one()
        assert event.actor.email == scenario.hr


def test_only_the_owner_or_an_admin_may_cancel(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    job_id = _job(app, scenario.hr, _refs(scenario))
    sign_in_as(scenario.cpo).post(f"/reports/exports/{job_id}/cancel", status=403)
    assert _state(app, job_id).status == "queued"
    admin = sign_in_as(scenario.admin)
    page = admin.get("/admin/tasks")
    row = page.find("th", string=f"Export {job_id}").find_parent("tr")
    assert "Hannah Price" in row.get_text()
    assert "0 of 3 documents" in row.get_text()
    response = admin.post(f"/reports/exports/{job_id}/cancel")
    assert response.location == "/admin/tasks"
    assert _state(app, job_id).status == "cancelled"
    assert admin.get("/admin/tasks").find("th", string=f"Export {job_id}") is None


def test_a_finished_export_cannot_be_cancelled(
    app: Flask, scenario: Scenario, sign_in_as: SignIn
) -> None:
    job_id = _job(app, scenario.hr, _refs(scenario), queue=True)
    hr = sign_in_as(scenario.hr)
    assert (
        hr.get(f"/reports/exports/{job_id}").find("form", action=lambda a: a and "cancel" in a)
        is None
    )
    page = hr.post(f"/reports/exports/{job_id}/cancel", follow=True, status=200)
    assert "nothing to cancel" in page.get_data(as_text=True)
    assert _state(app, job_id).status == "done"


def test_a_document_withdrawn_after_it_was_ticked_fails_the_export_with_the_reason(
    app: Flask, scenario: Scenario
) -> None:
    job_id = _job(app, scenario.hr, _refs(scenario))
    with app.app_context():
        db.session.get(CoachingPlan, scenario.david_plan).status = "draft"
        tasks.queue_export(job_id)
        db.session.commit()
    job = _state(app, job_id)
    assert job.status == "failed"
    assert "no longer available" in job.error


def test_a_step_that_keeps_failing_fails_the_export(
    app: Flask, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(exports, "render_pdf", broken)
    job_id = _job(app, scenario.hr, _refs(scenario), queue=True)
    job = _state(app, job_id)
    assert (job.status, job.error) == ("failed", exports.FAILED_MESSAGE)
    with app.app_context():
        failed = db.session.scalars(select(TaskRun).where(TaskRun.status == "failed")).all()
        assert [r.error for r in failed] == ["OSError: disk full"]


def test_an_export_that_lost_its_tasks_is_started_again(app: Flask, scenario: Scenario) -> None:
    job_id = _job(app, scenario.hr, _refs(scenario))  # never queued, as if a worker died
    assert tasks.resume_stalled_exports.call_local() == 0  # not stale yet
    with app.app_context():
        db.session.get(ExportJob, job_id).heartbeat_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        after_commit(tasks.resume_stalled_exports)
        db.session.commit()
    assert _state(app, job_id).status == "done"


def test_old_exports_are_purged(app: Flask, scenario: Scenario) -> None:
    old = _job(app, scenario.hr, _refs(scenario))
    new = _job(app, scenario.hr, _refs(scenario))
    with app.app_context():
        db.session.get(ExportJob, old).created_at = utcnow() - timedelta(hours=25)
        db.session.commit()
        after_commit(tasks.purge_old_exports)
        db.session.commit()
        assert list(db.session.scalars(select(ExportJob.id))) == [new]
        assert {i.job_id for i in db.session.scalars(select(ExportItem))} == {new}
