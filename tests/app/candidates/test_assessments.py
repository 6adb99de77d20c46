"""Nominating execs, the candidates list, the assessment page and exec profiles."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AccountToken, Assessment, AuditEvent, User
from tests.fixtures.builders import answer, count, full_answers, make_stream, nominate, publish_role
from tests.fixtures.client import parse
from tests.fixtures.queries import count_queries


def _nominate_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"candidate": "", "new_name": "", "new_email": ""}
    data.update(overrides)
    return data


def test_nominate_form_defaults_to_the_latest_product_director_version(
    app: Flask, browser_as
) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app)
    page = browser_as("cpo").get(f"/candidates/nominate?stream={stream_id}")
    assert page.select_one("#role_version option[selected]")["value"] == str(version_id)
    assert page.select_one("#role_version option[selected]").get_text() == (
        "Product Director (value stream) v1"
    )
    assert page.select_one("#value_stream option[selected]")["value"] == str(stream_id)


def test_cpo_nominates_an_existing_exec(app: Flask, browser_as, make_user) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app)
    candidate = make_user("exec", name="Laura Byrne")
    cpo = browser_as("cpo")
    response = cpo.post(
        "/candidates/nominate",
        _nominate_data(candidate=candidate.id, value_stream=stream_id, role_version=version_id),
    )
    page = cpo.get(response.location)
    assert page.h1.get_text() == "Laura Byrne"
    assert "Laura Byrne nominated for Customer onboarding." in page.get_text()
    assert page.select_one(".sl-page-header .govuk-tag").get_text() == "Invited"
    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        assert (
            assessment.candidate_id,
            assessment.value_stream_id,
            assessment.role_version_id,
        ) == (candidate.id, stream_id, version_id)
        assert db.session.query(AuditEvent).filter_by(action="assessment.nominate").count() == 1


def test_cpo_creates_a_new_exec_on_the_spot_with_an_invite_link(app: Flask, browser_as) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app)
    response = browser_as("cpo").post(
        "/candidates/nominate",
        _nominate_data(
            candidate="new",
            new_name="James Carter",
            new_email="James.Carter@Example.org",
            value_stream=stream_id,
            role_version=version_id,
        ),
        status=200,
    )
    page = parse(response)
    assert page.h1.get_text(strip=True) == "James Carter nominated"
    link = page.find("input", id="account-link")["value"]
    assert "/account/set-password/" in link
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "james.carter@example.org"))
        assert user is not None and user.role == "exec" and user.password_hash is None
        assert (
            db.session.query(AccountToken).filter_by(user_id=user.id, purpose="invite").count() == 1
        )
        assert db.session.query(Assessment).filter_by(candidate_id=user.id).count() == 1


def test_a_duplicate_open_assessment_is_refused(app: Flask, browser_as, make_user) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app)
    candidate = make_user("exec", name="Laura Byrne")
    nominate(app, candidate, stream_id)
    response = browser_as("cpo").post(
        "/candidates/nominate",
        _nominate_data(candidate=candidate.id, value_stream=stream_id, role_version=version_id),
        status=200,
    )
    summary = parse(response).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert (
        "Laura Byrne already has an open assessment for Customer onboarding against "
        "Product Director (value stream) v1 (invited)." in summary
    )
    assert count(app, Assessment) == 1


def test_nominate_form_says_what_is_missing(app: Flask, browser_as, make_user) -> None:
    publish_role(app)
    make_stream(app)
    existing = make_user("exec")
    cpo = browser_as("cpo")
    page = parse(cpo.post("/candidates/nominate", _nominate_data(role_version=""), status=200))
    assert [a.get_text() for a in page.select(".govuk-error-summary a")] == [
        "Choose an executive, or choose 'Someone not in Streamlead yet' and enter their name "
        "and email",
        "Choose the value stream they are nominated for",
        "Choose a published role version",
    ]
    page = parse(
        cpo.post(
            "/candidates/nominate",
            _nominate_data(candidate=existing.id, new_email="someone@example.org"),
            status=200,
        )
    )
    assert "clear the name and email" in page.select_one(".govuk-error-summary").get_text()
    assert page.find("input", attrs={"name": "new_email"})["value"] == "someone@example.org"
    page = parse(
        cpo.post(
            "/candidates/nominate",
            _nominate_data(candidate="new", new_email="not an email"),
            status=200,
        )
    )
    assert [a.get_text() for a in page.select(".govuk-error-summary a")][:2] == [
        "Enter the new executive's full name",
        "Enter an email address in the correct format, like name@example.org",
    ]
    assert count(app, Assessment) == 0


def test_only_the_cpo_nominates(app: Flask, browser_as) -> None:
    browser_as("admin").get("/candidates/nominate", status=403)
    browser_as("hr").get("/candidates/nominate", status=403)


def test_candidate_list_filters_by_status_and_stream(app: Flask, browser_as, make_user) -> None:
    onboarding = make_stream(app, name="Customer onboarding")
    payments = make_stream(app, name="Payments and billing")
    sarah = nominate(app, make_user("exec", name="Sarah Whitfield"), onboarding)
    nominate(app, make_user("exec", name="David Mensah"), payments)
    answer(app, sarah, full_answers(), submit=True)
    hr = browser_as("hr")

    def names(url: str) -> list[str]:
        return [th.a.get_text() for th in hr.get(url).select("tbody th[scope=row]")]

    assert names("/candidates") == ["David Mensah", "Sarah Whitfield"]
    assert names("/candidates?status=self-submitted") == ["Sarah Whitfield"]
    assert names(f"/candidates?stream={payments}") == ["David Mensah"]
    page = hr.get("/candidates")
    sarah_row = page.select("tbody tr")[1].get_text(" ", strip=True)
    assert "Self-assessment submitted" in sarah_row


def test_candidate_list_runs_the_same_number_of_queries_for_more_rows(
    app: Flask, browser_as, make_user
) -> None:
    stream_id = make_stream(app)
    first = nominate(app, make_user("exec"), stream_id)
    answer(app, first, full_answers())
    hr = browser_as("hr")
    with count_queries(app) as few:
        hr.get("/candidates")
    for n in range(4):
        other = nominate(app, make_user("exec"), make_stream(app, name=f"Stream {n}"))
        answer(app, other, full_answers(), submit=n % 2 == 0)
    with count_queries(app) as many:
        page = hr.get("/candidates")
    assert len(page.select("tbody tr")) == 5
    assert len(many) == len(few)


def test_assessment_page_shows_experience_against_what_the_stream_needs(
    app: Flask, browser_as, make_user
) -> None:
    stream_id = make_stream(
        app, functions=["Product management", "Engineering", "Commercial and P&L"]
    )
    candidate = make_user("exec", name="David Mensah")
    assessment_id = nominate(app, candidate, stream_id)
    me = browser_as(candidate)
    me.post(
        f"/people/{candidate.id}/profile",
        {
            "current_role": "Finance Director",
            "business_area": "Finance",
            "exp-product-management": "none",
            "exp-user-experience-and-design": "none",
            "exp-engineering": "none",
            "exp-data-and-analytics": "some",
            "exp-delivery-and-agile-coaching": "none",
            "exp-commercial-and-p-l": "deep",
        },
    )
    page = browser_as("cpo").get(f"/assessments/{assessment_id}")
    rows = {
        tr.th.get_text(strip=True): tr.td.get_text(strip=True)
        for tr in page.select("table")[0].select("tbody tr")
    }
    assert rows == {
        "Product management": "None: gap",
        "Engineering": "None: gap",
        "Commercial and P&L": "Deep",
    }
    assert "experience in 1 of 3 functions (1 deep, 0 some)" in page.get_text(" ", strip=True)
    assert "Gaps: Product management, Engineering." in page.get_text(" ", strip=True)
    assert "Finance Director, Finance" in page.get_text()
    assert len(page.select("tr.sl-gap")) == 2


def test_an_exec_sees_only_their_own_assessment(app: Flask, browser_as, make_user) -> None:
    stream_id = make_stream(app)
    mine = make_user("exec")
    theirs = make_user("exec")
    my_assessment = nominate(app, mine, stream_id)
    their_assessment = nominate(app, theirs, stream_id)
    me = browser_as(mine)
    assert "Start your self-assessment" in me.get(f"/assessments/{my_assessment}").get_text()
    me.get(f"/assessments/{their_assessment}", status=403)
    me.get(f"/assessments/{their_assessment}/self", status=403)
    me.get("/candidates", status=403)
    browser_as("interviewer").get(f"/assessments/{my_assessment}", status=403)


def test_cpo_sets_the_stream_of_an_assessment_without_one(
    app: Flask, browser_as, make_user
) -> None:
    version_id = publish_role(app)
    stream_id = make_stream(app)
    candidate = make_user("exec")
    with app.app_context():
        assessment = Assessment(candidate_id=candidate.id, role_version_id=version_id)
        db.session.add(assessment)
        db.session.commit()
        assessment_id, version = assessment.id, assessment.version
    cpo = browser_as("cpo")
    page = cpo.get(f"/assessments/{assessment_id}")
    assert (
        page.select_one(".sl-summary, .govuk-summary-list")
        .get_text(" ", strip=True)
        .count("Not set yet")
        == 1
    )
    cpo.post(
        f"/assessments/{assessment_id}/stream", {"value_stream": stream_id, "version": version + 5}
    )
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).value_stream_id is None
    cpo.post(
        f"/assessments/{assessment_id}/stream", {"value_stream": stream_id, "version": version}
    )
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).value_stream_id == stream_id


# ---------------------------------------------------------------------------
# Exec profile


def test_exec_edits_their_own_profile(app: Flask, browser_as, make_user) -> None:
    publish_role(app)
    me = make_user("exec")
    browser = browser_as(me)
    page = browser.get(f"/people/{me.id}/profile")
    legends = [lg.get_text(strip=True) for lg in page.select("legend")]
    assert legends[:2] == ["Product management", "User experience and design"]
    first = page.select_one("input#exp-product-management")
    assert first["value"] == "none" and first.has_attr("checked")
    browser.post(
        f"/people/{me.id}/profile",
        {
            "current_role": "Head of Marketing",
            "business_area": "Marketing",
            "exp-product-management": "some",
            "exp-user-experience-and-design": "some",
            "exp-engineering": "none",
            "exp-data-and-analytics": "deep",
            "exp-delivery-and-agile-coaching": "none",
            "exp-commercial-and-p-l": "some",
        },
    )
    page = browser.get(f"/people/{me.id}/profile")
    assert page.find("input", attrs={"name": "current_role"})["value"] == "Head of Marketing"
    checked = {i["name"]: i["value"] for i in page.select("input[type=radio][checked]")}
    assert checked["exp-data-and-analytics"] == "deep"
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="profile.update").one()
        assert event.new_value["experience"]["Data and analytics"] == "deep"


def test_profile_errors_and_bad_choices_are_explained(app: Flask, browser_as, make_user) -> None:
    publish_role(app)
    me = make_user("exec")
    response = browser_as(me).post(
        f"/people/{me.id}/profile",
        {"current_role": "", "business_area": "Ops", "exp-product-management": "expert"},
        status=200,
    )
    messages = [a.get_text() for a in parse(response).select(".govuk-error-summary a")]
    assert messages[:2] == [
        "Enter the current role",
        "Choose none, some or deep for Product management",
    ]


def test_profile_access(app: Flask, browser_as, make_user) -> None:
    me = make_user("exec")
    other = make_user("exec")
    hr_user = make_user("hr")
    browser_as(me).get(f"/people/{other.id}/profile", status=403)
    browser_as("cpo").get(f"/people/{other.id}/profile")
    browser_as("admin").get(f"/people/{other.id}/profile")
    browser_as("hr").get(f"/people/{other.id}/profile", status=403)
    browser_as("cpo").get(f"/people/{hr_user.id}/profile", status=404)


def test_other_areas_add_sections_to_the_assessment_page(
    app: Flask, browser_as, make_user, monkeypatch
) -> None:
    from app import sections

    seen = []

    def interviews(assessment, viewer):  # type: ignore[no-untyped-def]
        seen.append(viewer.role)
        if viewer.role != "cpo":
            return None
        return sections.AssessmentSection("Interviews", "candidates/_macros.html", {"n": 2})

    monkeypatch.setattr(sections, "_SECTIONS", [(30, interviews)])
    assessment_id = nominate(app, make_user("exec"))
    page = browser_as("cpo").get(f"/assessments/{assessment_id}")
    assert [h.get_text() for h in page.select(".sl-assessment-section h2")] == ["Interviews"]
    assert (
        browser_as("hr").get(f"/assessments/{assessment_id}").select(".sl-assessment-section") == []
    )
    assert seen == ["cpo", "hr"]
