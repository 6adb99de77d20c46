"""No page, PDF or export lets anyone work out who said what (issue 18).

With two responses no mean and no comment appears anywhere; with five, only means and
unattributed comments, and a stakeholder's name, email or relationship never shows beside a
level or a comment. Run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from flask import Flask, url_for
from sqlalchemy import select

from app.admin import backup
from app.demo import load_demo
from app.extensions import db
from app.models import StakeholderInvitation, User
from app.models.base import utcnow
from tests.app.stakeholders_views.scene import FIVE, TWO, build
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser, sign_in
from tests.fixtures.pdf import pdf_text

RELATIONSHIP_WORDS = ("Business peer", "Digital team member", "Senior stakeholder")


def _body(response: Any) -> str:
    """What a response says: a PDF's text, the text of a ZIP's PDFs, or the page itself."""
    data = response.get_data()
    response.close()  # a static file's handle, say
    if response.mimetype == "application/pdf":
        return pdf_text(data)
    if response.mimetype == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(data))
        return " ".join(pdf_text(archive.read(n)) for n in archive.namelist())
    return str(data.decode("utf-8", errors="replace"))


def _readiness_pdf(browser: Browser, assessment_id: int) -> str:
    response = browser.client.get(f"/reports/assessments/{assessment_id}/readiness-report.pdf")
    assert response.status_code == 200
    return pdf_text(response.get_data())


def test_readiness_report_with_five_shows_means_and_comments_without_names(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, FIVE)
    text = _readiness_pdf(browser_as(scene.cpo), scene.assessment_id)
    assert "5 stakeholders answered (of 6 asked)." in text
    assert "Stakeholders 1.4" in text  # the chart's label
    assert "1.4 (5)" in text  # the competency table
    assert "Competency A: panel 3, stakeholders 1.4 from 5 ratings." in text  # the concern
    for comment in scene.comments:
        assert comment in text
    for word in (*scene.names, *scene.emails, *RELATIONSHIP_WORDS):
        assert word not in text


def test_readiness_report_with_two_shows_no_mean_and_no_comment(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, TWO)
    text = _readiness_pdf(browser_as(scene.cpo), scene.assessment_id)
    assert "2 stakeholders answered (of 3 asked)." in text
    assert "Stakeholders fewer than 3 ratings" in text
    assert "Comments are shown once at least 3 stakeholders have answered." in text
    assert "Stakeholders 1.5" not in text and "1.5 (2)" not in text
    for word in (*scene.comments, *scene.names, *scene.emails, *RELATIONSHIP_WORDS):
        assert word not in text


def test_the_bulk_zip_export_holds_the_same_anonymous_report(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, TWO)
    response = browser_as("hr").post(
        "/reports", {"documents": [f"readiness:{scene.assessment_id}"]}, status=200
    )
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    (name,) = archive.namelist()
    text = pdf_text(archive.read(name))
    assert "2 stakeholders answered" in text
    for word in (*scene.comments, *scene.names, *scene.emails):
        assert word not in text


def _personal_data(browser: Browser, user_id: int) -> dict[str, Any]:
    response = browser.client.get(f"/admin/users/{user_id}/personal-data.json")
    assert response.status_code == 200
    records: dict[str, Any] = json.loads(response.get_data())["records"]
    return records


def test_no_personal_data_export_holds_an_answer(app: Flask, make_user, browser_as) -> None:
    for responses in (TWO, FIVE):
        scene = build(app, make_user, responses)
        admin = browser_as("admin")
        for user_id in (scene.candidate.id, scene.cpo.id):
            data = _personal_data(admin, user_id)
            raw = json.dumps(data)
            assert "stakeholder_rating" not in data and "stakeholder_comment" not in data
            for row in data.get("stakeholder_invitation", []):
                assert not {"draft", "token_hash"} & set(row)
            assert not any(comment in raw for comment in scene.comments)
        with app.app_context():
            from tests.fixtures.app import _empty_tables

            _empty_tables()


def test_a_draft_not_yet_submitted_shows_nowhere(app: Flask, make_user, browser_as) -> None:
    scene = build(app, make_user, FIVE)
    with app.app_context():
        invitation = db.session.scalar(
            select(StakeholderInvitation).where(StakeholderInvitation.submitted_at.is_(None))
        )
        invitation.draft = {"levels": {"a": 0}, "comments": {"a": "DRAFT-SECRET words"}}
        db.session.commit()
    cpo = browser_as(scene.cpo)
    for url in (
        f"/assessments/{scene.assessment_id}/results",
        f"/assessments/{scene.assessment_id}/calibration",
    ):
        assert "DRAFT-SECRET" not in cpo.client.get(url).get_data(as_text=True)
    assert "DRAFT-SECRET" not in _readiness_pdf(cpo, scene.assessment_id)
    admin = browser_as("admin")
    for user_id in (scene.candidate.id, scene.cpo.id):
        assert "DRAFT-SECRET" not in json.dumps(_personal_data(admin, user_id))


def test_the_backup_holds_unlinked_rows_only(app: Flask, make_user) -> None:
    scene = build(app, make_user, FIVE)
    with app.app_context():
        tables = backup.export_all()["tables"]
    # A backup is the whole database, to restore it (admin only, from the command line): it
    # holds the answers as the database does, with nothing that links one to a person or time.
    assert {tuple(sorted(r)) for r in tables["stakeholder_rating"]} == {
        ("assessment_id", "competency_key", "id", "level")
    }
    assert {tuple(sorted(r)) for r in tables["stakeholder_comment"]} == {
        ("assessment_id", "competency_key", "id", "text")
    }
    assert all(r["draft"] == {} for r in tables["stakeholder_invitation"])
    assert sorted(r["text"] for r in tables["stakeholder_comment"]) == sorted(scene.comments)


def _assessment_rules(app: Flask) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.arguments == {"assessment_id"}
    )


def _leaks(body: str, names: list[str], comments: list[str], shown: bool) -> list[str]:
    found = []
    if not shown:
        found += [f"comment {c!r}" for c in comments if c in body]
    named = [n for n in names if n in body]
    said = [c for c in comments if c in body]
    if named and said:
        found.append(f"{named[0]!r} beside {said[0]!r}")
    return found


def test_no_assessment_page_or_file_shows_answers_below_the_threshold_or_beside_a_name(
    app: Flask, make_user, browser_as
) -> None:
    for responses, shown in ((TWO, False), (FIVE, True)):
        scene = build(app, make_user, responses, decision="selected")
        viewers = [
            browser_as(scene.cpo),
            browser_as("admin"),
            browser_as("hr"),
            browser_as(scene.candidate),
        ]
        failures = []
        for endpoint in _assessment_rules(app):
            with app.test_request_context():
                url = url_for(endpoint, assessment_id=scene.assessment_id)
            for viewer in viewers:
                response = viewer.client.get(url)
                body = _body(response)
                words = [*scene.names, *scene.emails]
                failures += [
                    f"{url} as {viewer.user.role}: {leak}"  # type: ignore[union-attr]
                    for leak in _leaks(body, words, scene.comments, shown)
                ]
        assert failures == []
        with app.app_context():
            from tests.fixtures.app import _empty_tables

            _empty_tables()


def test_no_route_of_the_demo_shows_davids_comment_or_a_name_beside_a_comment(
    app: Flask,
) -> None:
    """Every GET route as each staff role and the exec, on the demo (Sarah 5, David 2)."""
    from app.selection.demo_stakeholders import DAVID_ASKED, SARAH_ASKED, SARAH_COMMENTS
    from tests.app.test_route_policy import DEMO_LOGIN, NOT_WALKED, SAMPLE_ARGS, _rules

    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    names = [n for _e, n, _r, _d in (*SARAH_ASKED, *DAVID_ASKED)] + [
        e for e, _n, _r, _d in (*SARAH_ASKED, *DAVID_ASKED)
    ]
    david_said = "Talks to the engineers only through their manager."
    sarah_said = [text for _key, text in SARAH_COMMENTS]
    failures = []
    for role in ("admin", "cpo", "hr", "exec", "interviewer"):
        browser = Browser(app.test_client())
        assert sign_in(browser.client, DEMO_LOGIN[role]).status_code == 302
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == DEMO_LOGIN[role]))
        for rule in _rules(app):
            if rule.endpoint in NOT_WALKED or "GET" not in (rule.methods or ()):
                continue
            with app.test_request_context():
                kwargs = SAMPLE_ARGS[rule.endpoint](user) if rule.arguments else {}
                url = url_for(rule.endpoint, **kwargs)
            response = browser.client.get(url)
            body = _body(response)
            if david_said in body:
                failures.append(f"{url} as {role}: David's comment below the threshold")
            failures += [
                f"{url} as {role}: {leak}" for leak in _leaks(body, names, sarah_said, True)
            ]
    assert failures == []
    assert utcnow()  # the demo loaded in this test's own tables, emptied after it
