"""Every document kind, for every role: the PDF shows exactly what that audience may read.

Each private field is seeded with a unique marker; the test downloads every document (and the
bulk ZIP) as every role, extracts the PDF text and checks each marker is present where the
role may read it and absent everywhere else, so the test fails in both directions.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from app.extensions import db
from app.models import CalibrationNote, ExportJob, Interview, InterviewRating, User
from app.reports import exports
from app.reports.documents import num
from app.reports.tasks import queue_export
from app.roles import lifecycle
from app.scores import score_for
from assessments.role_files import load_default_role
from tests.fixtures import builders as b
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser
from tests.fixtures.pdf import pdf_text

ROLES = ("admin", "cpo", "cpo_on_panel", "interviewer", "exec_owner", "other_exec", "hr")
STAFF = {"admin", "cpo", "hr"}

# Marker groups: which private fields a marker stands for.
PANEL = {"MKPANELSTRTOM", "MKPANELWEAKTOM", "MKPANELSTRIVY", "MKPANELWEAKIVY"}
DECISION = {"MKDECISIONRATIONALE"}
REVIEW = {"MKREVIEWNOTES", "MKREVIEWRATIONALE", "MKFAILFASTREASON"}
# Never printed in any document: a draft interview's texts, rating evidence, calibration notes.
NEVER = {"MKDRAFTSTRENGTH", "MKRATINGEVIDENCE", "MKCALIBRATIONNOTE"}
ALL_MARKERS = PANEL | DECISION | REVIEW | NEVER


@dataclass(frozen=True)
class World:
    """Emails by role and the ids of the documents."""

    emails: dict[str, str]
    assessment: int
    issued_plan: int
    draft_plan: int
    stream: int
    version: int
    draft_version: int
    readiness_figure: str


@pytest.fixture
def world(app: Flask) -> World:
    """Sarah assessed by Tom and Ivy (submitted) and a second CPO whose interview is a draft."""
    with app.app_context():
        people = {
            "admin": b.person("admin", "Alex Admin", password=PASSWORD),
            "cpo": b.person("cpo", "Priya Raman", password=PASSWORD),
            "cpo_on_panel": b.person("cpo", "Carl Panel", password=PASSWORD),
            "interviewer": b.person("interviewer", "Tom Okafor", password=PASSWORD),
            "exec_owner": b.person("exec", "Sarah Whitfield", password=PASSWORD),
            "other_exec": b.person("exec", "David Mensah", password=PASSWORD),
            "hr": b.person("hr", "Hannah Price", password=PASSWORD),
        }
        ivy = b.person("interviewer", "Ivy Chen")
        version = b.published_role(people["cpo"])
        home = b.report_stream("Home buying")
        a = b.scored_assessment(
            people["exec_owner"],
            version,
            home,
            panel=[b.PANEL_A, b.PANEL_B],
            panel_members=[people["interviewer"], ivy],
            decision="selected",
        )
        a.decision_rationale = "MKDECISIONRATIONALE"
        for interview in a.interviews:
            who = "TOM" if interview.interviewer_id == people["interviewer"].id else "IVY"
            interview.strengths = f"MKPANELSTR{who}"
            interview.weaknesses = f"MKPANELWEAK{who}"
            interview.ratings[0].notes = "MKRATINGEVIDENCE"
        draft = Interview(
            assessment=a,
            interviewer=people["cpo_on_panel"],
            status="draft",
            strengths="MKDRAFTSTRENGTH",
        )
        draft.ratings.append(InterviewRating(competency_key="value-and-pnl", level=1, notes=""))
        db.session.add(draft)
        db.session.add(
            CalibrationNote(
                assessment_id=a.id, competency_key="value-and-pnl", note="MKCALIBRATIONNOTE"
            )
        )
        issued = b.plan(a, issued_by=people["cpo"])
        first = b.review(issued, reviewer=people["cpo"])
        first.notes = "MKREVIEWNOTES"
        first.rationale = "MKREVIEWRATIONALE"
        late = b.review(issued, day=90, decision=None, reviewer=people["cpo"])
        late.fail_fast = True
        late.fail_fast_reasons = ["MKFAILFASTREASON"]
        late.held_on = date(2026, 11, 30)
        draft_plan = b.plan(a, status="draft", number=2)
        draft_version = lifecycle.add_version(load_default_role(), publish=False, actor=None)
        b.scored_assessment(b.person("exec"), draft_version, home)
        db.session.flush()
        figure = f"{num(score_for(a).readiness, 1)}%"
        db.session.commit()
        return World(
            emails={role: user.email for role, user in people.items()},
            assessment=a.id,
            issued_plan=issued.id,
            draft_plan=draft_plan.id,
            stream=home.id,
            version=version.id,
            draft_version=draft_version.id,
            readiness_figure=figure,
        )


@pytest.fixture
def as_role(app: Flask, world: World) -> Callable[[str], Browser]:
    """A signed-in Browser for one of the world's roles."""
    from tests.fixtures.client import sign_in

    def factory(role: str) -> Browser:
        client = app.test_client()
        assert sign_in(client, world.emails[role]).status_code == 302
        return Browser(client)

    return factory


def _urls(w: World) -> dict[str, str]:
    return {
        "readiness": f"/reports/assessments/{w.assessment}/readiness-report.pdf",
        "plan_issued": f"/reports/plans/{w.issued_plan}/coaching-plan.pdf",
        "plan_draft": f"/reports/plans/{w.draft_plan}/coaching-plan.pdf",
        "shortlist": f"/reports/streams/{w.stream}/roles/{w.version}/shortlist.pdf",
        "guide": f"/reports/roles/{w.version}/interview-guide.pdf",
    }


def _allowed(role: str, kind: str) -> set[str] | None:
    """The markers this role reads in this document, or None when the download is refused."""
    staff = role in STAFF
    if kind == "readiness":
        return PANEL | DECISION if staff else None
    if kind in ("plan_issued", "plan_draft"):
        if staff or role == "cpo_on_panel":
            return set(REVIEW)
        return set() if role == "exec_owner" and kind == "plan_issued" else None
    if kind == "shortlist":
        return set() if staff or role == "cpo_on_panel" else None
    if kind == "guide":
        return set() if role not in ("exec_owner", "other_exec") else None
    raise AssertionError(kind)


def _leaks(text: str, allowed: set[str]) -> list[str]:
    """Markers that are shown but forbidden, or allowed but missing."""
    shown = {m for m in ALL_MARKERS if m in text}
    return sorted(f"leaked {m}" for m in shown - allowed) + sorted(
        f"missing {m}" for m in allowed - shown
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_document_shows_its_audience_only_what_it_may_read(
    world: World, as_role: Callable[[str], Browser], role: str
) -> None:
    browser = as_role(role)
    problems = []
    for kind, url in _urls(world).items():
        allowed = _allowed(role, kind)
        response = browser.client.get(url)
        if allowed is None:
            if response.status_code != 403:
                problems.append(f"{kind}: {response.status_code}, expected 403")
            continue
        if response.status_code != 200:
            problems.append(f"{kind}: {response.status_code}, expected 200")
            continue
        text = pdf_text(response.get_data())
        problems += [f"{kind}: {p}" for p in _leaks(text, allowed)]
        if kind == "shortlist":
            sees_scores = role in STAFF
            if (world.readiness_figure in text) != sees_scores:
                problems.append(f"shortlist: readiness figure shown={not sees_scores}")
            if not sees_scores and "held back until you submit your interview" not in text:
                problems.append("shortlist: no note that a candidate is held back")
    assert problems == []


def test_a_panel_member_with_a_draft_gets_a_clear_refusal_for_the_readiness_report(
    world: World, as_role: Callable[[str], Browser]
) -> None:
    page = as_role("cpo_on_panel").get(_urls(world)["readiness"], 403)
    assert "submit your own interview" in page.get_text()


def _zip_texts(body: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(body))
    return {
        name: pdf_text(archive.read(name)) if name.endswith(".pdf") else archive.read(name).decode()
        for name in archive.namelist()
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_bulk_zip_holds_only_what_the_role_may_read(
    world: World, as_role: Callable[[str], Browser], role: str
) -> None:
    refs = [f"readiness:{world.assessment}", f"plan:{world.issued_plan}"]
    browser = as_role(role)
    response = browser.client.post("/reports", data={"documents": refs})
    if role not in STAFF and role != "cpo_on_panel":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    files = _zip_texts(response.get_data())
    pdfs = {n: t for n, t in files.items() if n.endswith(".pdf")}
    if role in STAFF:
        assert len(pdfs) == 2
        assert _leaks(" ".join(pdfs.values()), PANEL | DECISION | REVIEW) == []
    else:
        assert [n for n in pdfs if n.startswith("readiness")] == []
        assert _leaks(" ".join(pdfs.values()), REVIEW) == []
        manifest = files["held-back.txt"]
        assert "Readiness report: Sarah Whitfield" in manifest
        assert "until you submit your interview" in manifest


def test_the_download_centre_lists_only_what_the_viewer_may_read(
    world: World, as_role: Callable[[str], Browser]
) -> None:
    ref = f"readiness:{world.assessment}"
    draft_shortlist = f"/roles/{world.draft_version}/shortlist.pdf"
    assert ref in str(as_role("cpo").get("/reports"))
    assert draft_shortlist in str(as_role("cpo").get("/reports"))
    panel_page = str(as_role("cpo_on_panel").get("/reports"))
    assert ref not in panel_page
    hr_page = str(as_role("hr").get("/reports"))
    assert ref in hr_page
    assert draft_shortlist not in hr_page


def test_hr_gets_no_shortlist_for_a_draft_role_version(
    world: World, as_role: Callable[[str], Browser]
) -> None:
    url = f"/reports/streams/{world.stream}/roles/{world.draft_version}/shortlist.pdf"
    assert as_role("hr").client.get(url).status_code == 403
    assert as_role("cpo").client.get(url).status_code == 200


def test_a_background_export_holds_back_what_its_owner_may_not_read(
    app: Flask, world: World
) -> None:
    with app.app_context():
        owner = db.session.query(User).filter_by(email=world.emails["cpo_on_panel"]).one()
        job = exports.create_export(
            owner, [f"readiness:{world.assessment}", f"plan:{world.issued_plan}"]
        )
        queue_export(job.id)
        db.session.commit()  # the queue runs the export's tasks at once in tests
        job_id = job.id
    with app.app_context():
        finished = db.session.get(ExportJob, job_id)
        assert finished.status == "done", finished.error
        files = _zip_texts(finished.result)
    assert sorted(n.split("-")[0] for n in files) == ["coaching", "held"]
    assert _leaks(" ".join(files.values()), REVIEW) == []


def test_an_exec_and_staff_never_share_a_cached_plan(
    world: World, as_role: Callable[[str], Browser]
) -> None:
    url = _urls(world)["plan_issued"]
    staff = pdf_text(as_role("hr").client.get(url).get_data())
    own = pdf_text(as_role("exec_owner").client.get(url).get_data())
    again = pdf_text(as_role("hr").client.get(url).get_data())
    assert "MKREVIEWNOTES" in staff and "MKREVIEWNOTES" in again
    assert "MKREVIEWNOTES" not in own


@dataclass(frozen=True)
class _Seat:
    interviewer_id: int
    status: str


@dataclass(frozen=True)
class _Panel:
    interviews: tuple[_Seat, ...]


@pytest.mark.parametrize(
    ("role", "seat", "expected"),
    [
        ("cpo", None, True),
        ("hr", None, True),
        ("admin", None, True),
        ("interviewer", None, False),
        ("exec", None, False),
        ("cpo", "draft", False),
        ("cpo", "submitted", True),
        ("interviewer", "draft", False),
        ("interviewer", "submitted", True),
    ],
)
def test_independence_is_one_object_rule_of_the_policy(
    role: str, seat: str | None, expected: bool
) -> None:
    from app.policy import may
    from app.reports.documents import Operator

    viewer = Operator(id=7, role=role)
    panel = _Panel((_Seat(7, seat),) if seat else (_Seat(8, "submitted"),))
    assert may(viewer, "panel.view_input", panel) is expected
    assert may(viewer, "panel.view_input") is False  # never answered without the assessment
