"""The CPO assigns the interview panel; home pages point people to what is next."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, AuditEvent, Interview
from app.models.base import utcnow
from app.scores import score_for
from assessments.evidence import band_sentence
from tests.fixtures.builders import (
    add_interview,
    all_ratings,
    make_assessment,
    new_stream,
    panel_scene,
    published_role,
)


def _interviewers(app: Flask, assessment_id: int) -> dict[str, str]:
    with app.app_context():
        return {
            i.interviewer.name: i.status
            for i in db.session.scalars(
                select(Interview).where(Interview.assessment_id == assessment_id)
            )
        }


def test_cpo_assigns_a_panel_of_cpo_and_interviewers(app: Flask, browser_as, make_user) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    tom = make_user("interviewer", name="Tom Okafor")
    make_user("interviewer", name="Mei Lin")
    make_user("hr", name="Hannah Price")
    candidate = make_user("exec", name="Laura Byrne")
    with app.app_context():
        assessment = make_assessment(candidate.id, published_role(), new_stream())
        db.session.commit()
        assessment_id = assessment.id
    browser = browser_as(cpo)
    page = browser.get(f"/assessments/{assessment_id}/panel")
    labels = [label.get_text() for label in page.select(".govuk-checkboxes__label")]
    assert labels == ["Mei Lin", "Priya Raman", "Tom Okafor"]  # no HR, no execs
    assert page.find("legend").get_text(strip=True) == "Who interviews Laura Byrne?"

    response = browser.post(
        f"/assessments/{assessment_id}/panel",
        {"members": [str(cpo.id), str(tom.id)]},
        follow=True,
        status=200,
    )
    assert "Interview panel saved: 2 members" in response.get_data(as_text=True)
    assert _interviewers(app, assessment_id) == {"Priya Raman": "draft", "Tom Okafor": "draft"}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "panel.assign"))
        assert event.old_value["panel"] == []
        assert event.new_value["panel"] == [
            f"Priya Raman <{cpo.email}>",
            f"Tom Okafor <{tom.email}>",
        ]
    # The new member finds it under their interviews.
    assert "Laura Byrne" in browser_as(tom).get("/interviews").get_text()


def test_removing_a_member_who_has_not_submitted_deletes_their_draft(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    browser = browser_as(scene.cpo)
    # Only Mei (submitted) is sent: her box is disabled, so browsers omit it; Tom is unticked.
    page = browser.get(f"/assessments/{scene.assessment_id}/panel")
    mei_box = page.find("input", attrs={"value": str(scene.mei.id)})
    assert mei_box.has_attr("disabled") and mei_box.has_attr("checked")
    browser.post(f"/assessments/{scene.assessment_id}/panel", {})
    assert _interviewers(app, scene.assessment_id) == {"Mei Lin": "submitted"}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "panel.assign"))
        assert event.old_value["removed_drafts"] == [scene.tom.email]


def test_a_submitted_member_cannot_be_taken_off(app: Flask, make_user) -> None:
    from app.interviews import panels

    with app.app_context():
        scene = panel_scene(make_user)
        assessment = db.session.get(Interview, scene.mei_interview_id).assessment
        try:
            panels.assign_panel(assessment, [scene.tom.id], None)
        except panels.PanelError as exc:
            assert str(exc) == ("Mei Lin has submitted their interview, so they stay on the panel")
        else:
            raise AssertionError("expected a PanelError")


def test_only_panel_roles_can_be_chosen(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    hr = make_user("hr")
    page = browser_as(scene.cpo).post(
        f"/assessments/{scene.assessment_id}/panel",
        {"members": [str(scene.tom.id), str(hr.id)]},
        status=400,
    )
    assert "Choose panel members from the list" in page.get_data(as_text=True)
    assert _interviewers(app, scene.assessment_id) == {
        "Mei Lin": "submitted",
        "Tom Okafor": "draft",
    }


def test_interviewer_home_lists_interviews_to_do_with_urgency(
    app: Flask, browser_as, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        interview = db.session.get(Interview, scene.tom_interview_id)
        interview.assigned_at = utcnow() - timedelta(days=15)
        db.session.commit()
    page = browser_as(scene.tom).get("/")
    card = page.find("a", string="Interview Sarah Whitfield for Customer onboarding").find_parent(
        "li"
    )
    assert "sl-overdue" in card["class"]
    assert "Assigned 15 days ago" in card.get_text()
    # Mei has submitted: nothing to do.
    titles = [a.get_text() for a in browser_as(scene.mei).get("/").select(".sl-card__title")]
    assert not any(t.startswith("Interview ") for t in titles)


def test_cpo_home_asks_to_calibrate_then_to_decide(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        assessment = db.session.get(Interview, scene.mei_interview_id).assessment
        version = assessment.role_version
        third = make_user("interviewer", name="Ana Silva")
        add_interview(assessment, third.id, all_ratings(version, 3))
        db.session.commit()
    cpo = browser_as(scene.cpo)
    titles = [h.get_text(strip=True) for h in cpo.get("/").select(".sl-card__title")]
    assert "Calibrate: 2 interviews submitted for Sarah Whitfield" in titles

    with app.app_context():
        tom = db.session.get(Interview, scene.tom_interview_id)
        tom.status = "submitted"
        db.session.commit()
    home = cpo.get("/")
    titles = [h.get_text(strip=True) for h in home.select(".sl-card__title")]
    assert "Record a decision for Sarah Whitfield" in titles
    assert not any(t.startswith("Calibrate") for t in titles)
    # The step says what the score rests on and why its band, as the results page does.
    card = next(c for c in home.select(".sl-card") if "Record a decision for" in c.get_text())
    with app.app_context():
        result = score_for(db.session.get(Interview, scene.mei_interview_id).assessment)
    text = card.get_text(" ", strip=True)
    assert "Rests on 3 of 3 interviews · self-assessment submitted" in text
    assert f"{result.band_label}: {band_sentence(result)}" in text
    assert text.count(f"{result.readiness:.1f}%") == 1, "the readiness figure is said once"


def _waiting_for_a_panel(app: Flask, make_user, count: int) -> None:  # type: ignore[no-untyped-def]
    people = [make_user("exec", name=f"Waiting {n}") for n in range(count)]
    with app.app_context():
        version = published_role()
        stream = new_stream("Customer onboarding")
        for person in people:
            make_assessment(person.id, version, stream, self_ratings=all_ratings(version, 2))
        db.session.commit()


def _titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.get_text(strip=True) for h in page.select(".sl-card__title")]


def test_cpo_home_names_a_few_candidates_waiting_for_a_panel(
    app: Flask, browser_as, make_user
) -> None:
    _waiting_for_a_panel(app, make_user, 5)
    titles = _titles(browser_as("cpo").get("/"))
    assert [t for t in titles if t.startswith("Assign")] == [
        f"Assign an interview panel for Waiting {n} for Customer onboarding" for n in range(5)
    ]


def test_candidates_waiting_for_a_panel_are_named_longest_waiting_first(
    app: Flask, browser_as, make_user
) -> None:
    _waiting_for_a_panel(app, make_user, 3)
    with app.app_context():  # nominated in the opposite order to their rows
        for days, assessment in enumerate(db.session.scalars(select(Assessment))):
            assessment.created_at = utcnow() - timedelta(days=days)
        db.session.commit()
    titles = _titles(browser_as("cpo").get("/"))
    assert [t for t in titles if t.startswith("Assign")] == [
        f"Assign an interview panel for Waiting {n} for Customer onboarding" for n in (2, 1, 0)
    ]


def test_cpo_home_sums_up_many_candidates_waiting_for_a_panel(
    app: Flask, browser_as, make_user
) -> None:
    _waiting_for_a_panel(app, make_user, 6)
    page = browser_as("cpo").get("/")
    titles = _titles(page)
    assert not any(t.startswith("Assign") for t in titles)
    summary = page.find("a", string="6 self-assessments submitted, ready for interviews")
    assert summary["href"] == "/candidates?status=self-submitted"
