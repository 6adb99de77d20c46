"""Admins export everything about a person, and anonymise or delete a candidate."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Assessment,
    AuditEvent,
    Interview,
    InterviewRating,
    SelfAssessment,
    SelfRating,
    User,
    UserSession,
)
from app.roles.lifecycle import add_version
from assessments.role_files import load_default_role
from tests.fixtures.client import parse


@pytest.fixture
def candidate(app: Flask, make_user) -> dict[str, int]:
    exec_user = make_user("exec", name="Sarah Whitfield", email="sarah@example.org")
    other = make_user("exec", name="Other Person", email="other@example.org")
    interviewer = make_user("interviewer", name="Tom Okafor")
    with app.test_request_context():
        version = add_version(load_default_role(), publish=True, actor=None)
        ids = {}
        for person in (exec_user, other):
            assessment = Assessment(candidate_id=person.id, role_version=version)
            db.session.add(assessment)
            db.session.flush()
            sa = SelfAssessment(assessment=assessment, status="submitted")
            sa.ratings.append(
                SelfRating(
                    competency_key="value-and-pnl", level=3, evidence=f"Evidence by {person.name}"
                )
            )
            interview = Interview(
                assessment=assessment, interviewer_id=interviewer.id, status="submitted"
            )
            interview.ratings.append(
                InterviewRating(
                    competency_key="value-and-pnl", level=2, notes=f"Notes on {person.name}"
                )
            )
            db.session.add_all([sa, interview])
            ids[person.email] = assessment.id
        db.session.commit()
    return {"user": exec_user.id, "other": other.id, "assessment": ids["sarah@example.org"]}


def test_export_contains_their_records_and_nobody_elses(browser_as, candidate) -> None:
    admin = browser_as("admin")
    response = admin.client.get(f"/admin/users/{candidate['user']}/personal-data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    records = data["records"]
    assert data["person"] == "sarah@example.org"
    assert "password_hash" not in records["user"][0]
    assert [r["evidence"] for r in records["self_rating"]] == ["Evidence by Sarah Whitfield"]
    assert [r["notes"] for r in records["interview_rating"]] == ["Notes on Sarah Whitfield"]
    assert "Other Person" not in json.dumps(data)


def test_anonymise_removes_identity_and_free_text_but_keeps_levels(
    app: Flask, browser_as, candidate
) -> None:
    admin = browser_as("admin")
    url = f"/admin/users/{candidate['user']}/anonymise"
    page = parse(admin.post(url, {"confirm_email": "wrong@example.org"}, status=200))
    assert (
        "Type sarah@example.org exactly to confirm"
        in page.select_one(".govuk-error-summary").get_text()
    )
    admin.post(url, {"confirm_email": "Sarah@Example.org"})
    with app.app_context():
        user = db.session.get(User, candidate["user"])
        assert user.name == f"Anonymised candidate {user.id}" and not user.active
        assert "sarah" not in user.email
        ratings = (
            db.session.query(SelfRating)
            .join(SelfAssessment)
            .filter(SelfAssessment.assessment_id == candidate["assessment"])
            .all()
        )
        assert [(r.level, r.evidence) for r in ratings] == [(3, "")]
        notes = (
            db.session.query(InterviewRating)
            .join(Interview)
            .filter(Interview.assessment_id == candidate["assessment"])
            .all()
        )
        assert [(r.level, r.notes) for r in notes] == [(2, "")]
        assert (
            not db.session.query(AuditEvent)
            .filter(AuditEvent.summary.contains("sarah@example.org"))
            .count()
        )
        assert db.session.query(AuditEvent).filter_by(action="person.anonymise").count() == 1
        other = db.session.query(SelfRating).filter_by(evidence="Evidence by Other Person").count()
        assert other == 1


def test_delete_removes_the_candidate_and_everything_about_them(
    app: Flask, browser_as, candidate
) -> None:
    admin = browser_as("admin")
    admin.post(f"/admin/users/{candidate['user']}/delete", {"confirm_email": "sarah@example.org"})
    with app.app_context():
        assert db.session.get(User, candidate["user"]) is None
        assert db.session.get(Assessment, candidate["assessment"]) is None
        assert db.session.query(SelfRating).count() == 1  # the other candidate's
        assert db.session.query(InterviewRating).count() == 1
        assert db.session.query(AuditEvent).filter_by(action="person.delete").count() == 1


def test_only_candidates_can_be_removed(app: Flask, browser_as, make_user) -> None:
    hr = make_user("hr", email="hr-person@example.org")
    admin = browser_as("admin")
    page = parse(
        admin.post(
            f"/admin/users/{hr.id}/delete", {"confirm_email": "hr-person@example.org"}, status=200
        )
    )
    assert "Only candidate executives can be anonymised or deleted" in page.get_text()
    with app.app_context():
        assert db.session.get(User, hr.id) is not None


def test_export_lists_unsent_form_input_without_its_values(
    app: Flask, browser_as, candidate
) -> None:
    from app.models import SavedInput

    with app.app_context():
        db.session.add(
            SavedInput(
                user_id=candidate["user"],
                path="/assessments/1/self/value",
                data={"evidence-value-and-pnl": ["My private draft"], "password": ["hunter2"]},
            )
        )
        db.session.commit()
    admin = browser_as("admin")
    response = admin.client.get(f"/admin/users/{candidate['user']}/personal-data.json")
    body = response.get_data(as_text=True)
    assert "My private draft" not in body and "hunter2" not in body
    records = json.loads(body)["records"]
    assert "saved_input" not in records
    (unsent,) = records["unsent_form_input"]
    assert unsent["page"] == "/assessments/1/self/value"
    assert set(unsent) == {"page", "kept_at"}


def test_anonymising_one_person_leaves_other_peoples_audit_records_alone(
    app: Flask, browser_as, make_user
) -> None:
    from app import audit

    david = make_user("exec", name="David", email="david@example.org")
    mensah = make_user("exec", name="David Mensah", email="tom.david@example.org")
    cpo = make_user("cpo", name="Chief Officer")
    with app.test_request_context():
        cpo_user = db.session.get(User, cpo.id)
        audit.record("note", "Coaching plan v1 for David Mensah edited", obj=mensah, actor=cpo_user)
        audit.record("note", "Invite for tom.david@example.org", obj=mensah, actor=cpo_user)
        audit.record("note", "Panel for David Mensah set by Chief Officer", actor=cpo_user)
        audit.record(
            "note",
            "Compared David (david@example.org) with David Mensah",
            obj=david,
            actor=cpo_user,
        )
        db.session.commit()
    admin = browser_as("admin")
    admin.post(f"/admin/users/{david.id}/anonymise", {"confirm_email": "david@example.org"})
    with app.app_context():
        summaries = {e.summary for e in db.session.query(AuditEvent).filter_by(action="note")}
    assert summaries == {
        "Coaching plan v1 for David Mensah edited",
        "Invite for tom.david@example.org",
        "Panel for David Mensah set by Chief Officer",
        "Compared [anonymised] ([anonymised]) with David Mensah",
    }


def test_export_lists_their_sign_in_sessions_without_the_token_hash(
    app: Flask, browser_as, candidate
) -> None:
    with app.app_context():
        person = db.session.get(User, candidate["user"])
        db.session.expunge(person)
    browser_as(person)  # a real sign-in writes a session record for Sarah
    admin = browser_as("admin")
    response = admin.client.get(f"/admin/users/{candidate['user']}/personal-data.json")
    data = json.loads(response.get_data(as_text=True))
    sessions = data["records"]["sign_in_sessions"]
    assert len(sessions) == 1 and sessions[0]["ended"] is None
    assert "token_hash" not in json.dumps(data)
    with app.app_context():
        (token_hash,) = db.session.scalars(
            select(UserSession.token_hash).where(UserSession.user_id == candidate["user"])
        )
    assert token_hash not in json.dumps(data)


def test_anonymise_deletes_their_session_records(app: Flask, browser_as, candidate) -> None:
    with app.app_context():
        person = db.session.get(User, candidate["user"])
        db.session.expunge(person)
    sarah = browser_as(person)
    admin = browser_as("admin")
    admin.post(
        f"/admin/users/{candidate['user']}/anonymise", {"confirm_email": "sarah@example.org"}
    )
    with app.app_context():
        left = db.session.scalars(
            select(UserSession).where(UserSession.user_id == candidate["user"])
        ).all()
    assert left == []
    assert sarah.client.get("/").status_code == 302  # her open session is gone too


def _stakeholders(app: Flask, candidate: dict[str, int], cpo_id: int) -> None:
    from datetime import timedelta

    from app.models import StakeholderComment, StakeholderInvitation, StakeholderRating
    from app.models.base import utcnow

    with app.app_context():
        a_id = candidate["assessment"]
        now = utcnow()
        db.session.add_all(
            [
                StakeholderInvitation(
                    assessment_id=a_id,
                    email="peer@partner.example.com",
                    relationship="business-peer",
                    token_hash="a" * 64,
                    created_by_id=cpo_id,
                    expires_at=now + timedelta(days=7),
                    draft={"levels": {"value-and-pnl": 1}, "comments": {"value-and-pnl": "Draft"}},
                ),
                StakeholderInvitation(
                    assessment_id=a_id,
                    email="team@partner.example.com",
                    relationship="digital-team",
                    created_by_id=cpo_id,
                    expires_at=now,
                    submitted_at=now,
                ),
                StakeholderRating(assessment_id=a_id, competency_key="value-and-pnl", level=1),
                StakeholderComment(
                    assessment_id=a_id, competency_key="value-and-pnl", text="Said by a peer"
                ),
            ]
        )
        db.session.commit()


def test_no_export_reveals_a_stakeholders_answers(
    app: Flask, browser_as, make_user, candidate
) -> None:
    cpo = make_user("cpo", email="cpo@example.org")
    _stakeholders(app, candidate, cpo.id)
    admin = browser_as("admin")
    theirs = admin.client.get(f"/admin/users/{candidate['user']}/personal-data.json")
    text = theirs.get_data(as_text=True)
    records = json.loads(text)["records"]
    # The candidate's export: their own records and how many were asked and answered; nothing
    # about who was asked or what anyone said.
    assert "self_rating" in records
    assert records["stakeholder_feedback_requested"] == [
        {
            "assessment_id": candidate["assessment"],
            "stakeholders_asked": 2,
            "stakeholders_answered": 1,
        }
    ]
    for leak in ("stakeholder_rating", "stakeholder_comment", "partner.example.com"):
        assert leak not in text, leak
    for leak in ("Said by a peer", "Draft"):
        assert leak not in text, leak
    # The CPO's export says they asked, and when; the invitees' details are the invitees' own.
    sent = admin.client.get(f"/admin/users/{cpo.id}/personal-data.json").get_data(as_text=True)
    invitations = json.loads(sent)["records"]["stakeholder_invitations_sent"]
    assert [i["assessment_id"] for i in invitations] == [candidate["assessment"]] * 2
    for leak in (
        "stakeholder_rating",
        "stakeholder_comment",
        "partner.example.com",
        "Said by a peer",
        "Draft",
        "a" * 64,
    ):
        assert leak not in sent, leak


def test_anonymising_a_candidate_blanks_stakeholder_comments_and_drafts(
    app: Flask, browser_as, make_user, candidate
) -> None:
    from app.admin import personal_data
    from app.models import StakeholderComment, StakeholderInvitation, StakeholderRating

    cpo = make_user("cpo", email="cpo@example.org")
    _stakeholders(app, candidate, cpo.id)
    with app.test_request_context():
        user = db.session.get(User, candidate["user"])
        personal_data.anonymise(user)
        db.session.commit()
        texts = [c.text for c in db.session.scalars(select(StakeholderComment))]
        assert texts == [personal_data.REDACTED]
        assert all(i.draft == {} for i in db.session.scalars(select(StakeholderInvitation)))
        # Levels stay for aggregate figures, like the panel's.
        assert [r.level for r in db.session.scalars(select(StakeholderRating))] == [1]
