"""Documents rendered before anyone asks: a download right after a change is a cache hit.

Tasks run at once, in process (TASK_QUEUE_IMMEDIATE), so "the worker has run" is simply "the
commit has returned". Every render is counted, so a test can tell a cache hit (no render in
the request) from a render that happened to be fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import CoachingPlan, InductionTask, RenderedDocument, User, ValueStream
from app.reports import pdf as pdf_module
from app.reports import prerender, tasks
from tests.fixtures.builders import Scenario
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_text

SignIn = Callable[[str], Browser]


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The title of every PDF rendered from now on, in the request or by a task."""
    titles: list[str] = []
    real = pdf_module.render_pdf

    def counting(html: str, *, title: str, author: str, fetcher: object = None) -> bytes:
        titles.append(title)
        return real(html, title=title, author=author, fetcher=fetcher)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_module, "render_pdf", counting)
    return titles


@pytest.fixture
def ahead(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Render documents ahead, as the worker does in production (the suite turns it off)."""
    monkeypatch.setitem(app.config, "PDF_PRERENDER", True)
    yield


def render_everything(app: Flask) -> None:
    """What a worker does after a deploy: bring every document up to date."""
    with app.app_context():
        tasks.refresh_kinds(list(prerender.KINDS))


def stored(app: Flask) -> dict[tuple[str, str], str]:
    """(document, audience) -> key of every stored PDF."""
    with app.app_context():
        rows = db.session.execute(
            select(RenderedDocument.ref, RenderedDocument.audience, RenderedDocument.key)
        )
        return {(ref, audience): key for ref, audience, key in rows}


def stored_pdf(app: Flask, ref: str, audience: str) -> bytes:
    with app.app_context():
        pdf = db.session.scalar(
            select(RenderedDocument.pdf).where(
                RenderedDocument.ref == ref, RenderedDocument.audience == audience
            )
        )
        assert pdf is not None, (ref, audience)
        return bytes(pdf)


def download(browser: Browser, url: str) -> bytes:
    response = browser.client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data()


def plan_url(plan_id: int) -> str:
    return f"/reports/plans/{plan_id}/coaching-plan.pdf"


def readiness_url(assessment_id: int) -> str:
    return f"/reports/assessments/{assessment_id}/readiness-report.pdf"


def shortlist_url(s: Scenario) -> str:
    return f"/reports/streams/{s.stream_id}/roles/{s.version_id}/shortlist.pdf"


def guide_url(s: Scenario) -> str:
    return f"/reports/roles/{s.version_id}/interview-guide.pdf"


def test_everything_the_download_centre_offers_is_rendered_for_each_audience(
    app: Flask, scenario: Scenario, ahead: None, renders: list[str]
) -> None:
    render_everything(app)
    s = scenario
    assert set(stored(app)) == {
        (f"readiness:{s.sarah_assessment}", "staff"),
        (f"readiness:{s.david_assessment}", "staff"),
        (f"readiness:{s.laura_assessment}", "staff"),
        (f"plan:{s.sarah_plan}", "staff"),
        (f"plan:{s.sarah_plan}", "exec"),
        (f"plan:{s.david_plan}", "staff"),
        (f"plan:{s.david_plan}", "exec"),
        (f"shortlist:{s.stream_id}:{s.version_id}", "staff"),
        (f"shortlist:{s.other_stream_id}:{s.version_id}", "staff"),
        (f"guide:{s.version_id}", "panel"),
    }  # Laura's draft plan and James's unscored assessment have nothing to render ahead
    assert len(renders) == 10
    render_everything(app)  # idempotent: nothing changed, nothing is rendered again
    assert len(renders) == 10


def test_a_download_right_after_a_change_is_a_cache_hit(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, ahead: None, renders: list[str]
) -> None:
    render_everything(app)
    with app.app_context():
        task = db.session.scalar(
            select(InductionTask).where(InductionTask.done.is_(False)).limit(1)
        )
        assessment_id, task_id = task.checklist.assessment_id, task.id
    sarah = sign_in_as(scenario.sarah)
    before = len(renders)
    sarah.post(
        f"/assessments/{assessment_id}/induction/tasks/{task_id}/tick",
        {f"task-{task_id}-note": "Met the finance partner"},
    )
    # The tick changed both copies of Sarah's plan, and nothing else.
    assert renders[before:] == ["Coaching plan v1: Sarah Whitfield"] * 2

    after = len(renders)
    staff = pdf_text(download(sign_in_as(scenario.hr), plan_url(scenario.sarah_plan)))
    own = pdf_text(download(sarah, plan_url(scenario.sarah_plan)))
    assert len(renders) == after, "the downloads rendered instead of using the worker's PDFs"
    assert "4 of 5 done" in staff and "4 of 5 done" in own
    assert "Good start; the P&L walkthrough is done." in staff  # the CPO's review notes
    assert "Good start" not in own  # never in the exec's copy


def test_exec_and_staff_copies_are_separate_rows_never_mixed(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, ahead: None, renders: list[str]
) -> None:
    render_everything(app)
    ref = f"plan:{scenario.sarah_plan}"
    keys = stored(app)
    assert keys[(ref, "staff")] != keys[(ref, "exec")]
    assert "Good start" in pdf_text(stored_pdf(app, ref, "staff"))
    assert "Good start" not in pdf_text(stored_pdf(app, ref, "exec"))
    count = len(renders)
    # Each reader is served their own audience's row, whoever asked first.
    assert download(sign_in_as(scenario.sarah), plan_url(scenario.sarah_plan)) == stored_pdf(
        app, ref, "exec"
    )
    for email in (scenario.hr, scenario.cpo, scenario.admin):
        assert download(sign_in_as(email), plan_url(scenario.sarah_plan)) == stored_pdf(
            app, ref, "staff"
        )
    assert len(renders) == count


def test_a_document_whose_content_changed_is_replaced_not_duplicated(
    app: Flask, scenario: Scenario, ahead: None, renders: list[str]
) -> None:
    render_everything(app)
    ref = f"plan:{scenario.david_plan}"
    before = stored(app)
    with app.app_context():
        plan = db.session.get(CoachingPlan, scenario.david_plan)
        content = dict(plan.content)
        content["mentor"] = {**content.get("mentor", {}), "name": "Imogen Ashworth"}
        plan.content = content
        db.session.commit()
    after = stored(app)
    assert set(after) == set(before)  # one row per document and audience, still
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {(ref, "staff"), (ref, "exec")}
    assert "Imogen Ashworth" in pdf_text(stored_pdf(app, ref, "exec"))


def test_a_change_that_is_rolled_back_renders_nothing(
    app: Flask, scenario: Scenario, ahead: None, renders: list[str]
) -> None:
    render_everything(app)
    count = len(renders)
    with app.app_context():
        db.session.get(ValueStream, scenario.stream_id).name = "Renamed, then not"
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert len(renders) == count


def test_a_stream_renamed_rerenders_its_documents_and_moving_a_candidate_both_shortlists(
    app: Flask, scenario: Scenario, ahead: None, renders: list[str]
) -> None:
    render_everything(app)
    s = scenario
    count = len(renders)
    with app.app_context():
        db.session.get(ValueStream, s.other_stream_id).name = "Savings and investments"
        db.session.commit()
    # Laura's readiness report and the Savings shortlist name the stream (her plan is a draft).
    assert sorted(renders[count:]) == [
        "Readiness report: Laura Byrne, Product Director (value stream) v1",
        "Shortlist: Savings and investments, Product Director (value stream) v1",
    ]
    count = len(renders)
    with app.app_context():
        from app.models import Assessment

        db.session.get(Assessment, s.david_assessment).value_stream_id = s.other_stream_id
        db.session.commit()
    shortlists = sorted(t for t in renders[count:] if t.startswith("Shortlist"))
    assert shortlists == [
        "Shortlist: Home buying, Product Director (value stream) v1",
        "Shortlist: Savings and investments, Product Director (value stream) v1",
    ]
    home = pdf_text(stored_pdf(app, f"shortlist:{s.stream_id}:{s.version_id}", "staff"))
    assert "David Mensah" not in home


def test_a_renamed_person_is_renamed_in_their_documents_but_a_sign_in_renders_nothing(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, ahead: None, renders: list[str]
) -> None:
    render_everything(app)
    count = len(renders)
    sign_in_as(scenario.sarah)  # writes last_login_at and a session record
    assert len(renders) == count
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == scenario.sarah))
        user.name = "Sarah Whitfield-Jones"
        db.session.commit()
    ref = f"readiness:{scenario.sarah_assessment}"
    assert "Sarah Whitfield-Jones" in pdf_text(stored_pdf(app, ref, "staff"))
    plan = pdf_text(stored_pdf(app, f"plan:{scenario.sarah_plan}", "exec"))
    assert "Sarah Whitfield-Jones" in plan


def test_imported_ratings_render_the_readiness_reports_they_score(
    app: Flask, tmp_path: pytest.TempPathFactory, ahead: None, renders: list[str]
) -> None:
    from tests.app.candidates.test_import import GOOD, _run
    from tests.fixtures.builders import publish_role

    publish_role(app)
    assert renders == ["Interview guide: Product Director (value stream) v1"]  # published
    renders.clear()
    result = _run(app, tmp_path, "\n".join(GOOD) + "\n")  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    # Written in bulk statements, not row by row: the listener still names the assessments.
    assert sorted(renders) == [
        "Readiness report: David, Product Director (value stream) v1",
        "Readiness report: Sarah, Product Director (value stream) v1",
    ]


def test_a_deleted_candidate_takes_their_documents_along(
    app: Flask, scenario: Scenario, ahead: None, renders: list[str]
) -> None:
    from app.admin import personal_data

    render_everything(app)
    s = scenario
    with app.app_context():
        david = db.session.scalar(select(User).where(User.email == s.david))
        personal_data.delete_candidate(david)
        db.session.commit()
    refs = {ref for ref, _ in stored(app)}
    assert f"readiness:{s.david_assessment}" not in refs
    assert f"plan:{s.david_plan}" not in refs
    home = pdf_text(stored_pdf(app, f"shortlist:{s.stream_id}:{s.version_id}", "staff"))
    assert "Sarah Whitfield" in home and "David Mensah" not in home


def test_data_as_of_is_the_time_of_the_last_change_it_shows(
    app: Flask, scenario: Scenario, ahead: None, renders: list[str]
) -> None:
    from app.models import Assessment

    # After everything the scenario wrote (its stakeholder answers are stamped when loaded).
    moment = datetime(2030, 1, 15, 9, 41, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False), app.app_context():
        db.session.get(Assessment, scenario.sarah_assessment).decision_rationale = "Why."
        db.session.commit()
    readiness = pdf_text(stored_pdf(app, f"readiness:{scenario.sarah_assessment}", "staff"))
    assert "Data as of 15 Jan 2030, 09:41 GMT" in readiness


@pytest.mark.parametrize("kind", ["readiness", "shortlist", "guide"])
def test_a_cached_pdf_stays_valid_across_midnight(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, renders: list[str], kind: str
) -> None:
    url = {
        "readiness": readiness_url(scenario.sarah_assessment),
        "shortlist": shortlist_url(scenario),
        "guide": guide_url(scenario),
    }[kind]
    today = datetime.now(UTC).date()
    with time_machine.travel(datetime.combine(today, time(23, 58), UTC), tick=False):
        first = download(sign_in_as(scenario.cpo), url)
    count = len(renders)
    with time_machine.travel(datetime.combine(today + timedelta(days=1), time(0, 2), UTC)):
        again = download(sign_in_as(scenario.cpo), url)
    assert len(renders) == count, "the document was rendered again after midnight"
    assert again == first


def test_the_daily_sweep_rerenders_a_plan_whose_checkpoint_became_overdue(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, ahead: None, renders: list[str]
) -> None:
    today = date.today()
    with app.app_context():  # David's day-30 checkpoint falls due today
        db.session.get(CoachingPlan, scenario.david_plan).start_date = today - timedelta(days=30)
        db.session.commit()
    with app.app_context():
        assert tasks.keep_documents_current.call_local() == prerender.KINDS  # first run: everything
    ref = f"plan:{scenario.david_plan}"
    assert "Overdue since" not in pdf_text(stored_pdf(app, ref, "staff"))
    with app.app_context():
        assert tasks.keep_documents_current.call_local() == ()  # the same day: nothing to do
    count = len(renders)

    tomorrow = datetime.combine(today + timedelta(days=1), time(0, 7), UTC)
    with time_machine.travel(tomorrow, tick=False):
        with app.app_context():
            assert tasks.keep_documents_current.call_local() == ("plan",)
        # Only plans move with the date, and David's has: both of its copies.
        swept = renders[count:]
        assert swept.count("Coaching plan v1: David Mensah") == 2
        assert all(title.startswith("Coaching plan") for title in swept)
        text = pdf_text(download(sign_in_as(scenario.hr), plan_url(scenario.david_plan)))
        assert renders[count:] == swept  # served as the sweep left it
        assert f"Overdue since {today.day} {today:%b %Y}" in text
        assert "Overdue: no review recorded" in text


def test_a_new_organisation_name_rerenders_every_document_once(
    app: Flask, scenario: Scenario, ahead: None, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        tasks.keep_documents_current.call_local()
    count = len(renders)
    assert count == 10
    monkeypatch.setitem(app.config, "ORGANISATION_NAME", "Northwind Bank")
    with app.app_context():
        assert tasks.keep_documents_current.call_local() == prerender.KINDS
        assert (
            tasks.keep_documents_current.call_local() == ()
        )  # a second worker starting: no repeat
    assert len(renders) == 2 * count
    guide = pdf_text(stored_pdf(app, f"guide:{scenario.version_id}", "panel"))
    assert "NORTHWIND BANK" in guide


def test_every_table_is_either_watched_for_documents_or_shows_in_none(app: Flask) -> None:
    from app.reports import changes

    tables = {table.name for table in db.metadata.sorted_tables}
    watched = {model.__tablename__ for model in changes.TRACKED}  # type: ignore[attr-defined]
    assert watched == set(changes.BULK_KINDS)
    undecided = tables - watched - changes.UNSHOWN
    assert undecided == set(), "does a document show these? add them to TRACKED or UNSHOWN"
    assert not watched & changes.UNSHOWN


def test_the_prerender_command_brings_every_document_up_to_date(
    app: Flask, scenario: Scenario, renders: list[str]
) -> None:
    result = app.test_cli_runner().invoke(args=["report", "prerender"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("8 documents checked: 10 PDF(s) rendered")
    assert len(stored(app)) == 10
    again = app.test_cli_runner().invoke(args=["report", "prerender"])
    assert again.output.startswith("8 documents checked: 0 PDF(s) rendered")


def test_a_pdf_a_bulk_export_rendered_is_kept_as_its_documents_current_one(
    app: Flask, scenario: Scenario, sign_in_as: SignIn, renders: list[str]
) -> None:
    from app.models import ExportJob
    from app.reports import exports
    from app.reports.tasks import queue_export

    with app.app_context():
        hr = db.session.scalar(select(User).where(User.email == scenario.hr))
        job = exports.create_export(hr, [f"plan:{scenario.david_plan}"])
        queue_export(job.id)
        db.session.commit()  # the export's tasks run now, in process (immediate mode)
        job_id = job.id
    with app.app_context():
        assert db.session.get(ExportJob, job_id).status == "done"
    assert set(stored(app)) == {(f"plan:{scenario.david_plan}", "staff")}
    count = len(renders)
    download(sign_in_as(scenario.cpo), plan_url(scenario.david_plan))
    assert len(renders) == count
