"""What happens tells people: self-assessment submitted, panel complete, decision, plan issued
and fail-fast, each to the right people, once, linking to a page they can open, and with
nothing private in it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from app import localtime
from app.candidates import self_assessment
from app.candidates.listing import assessment_for_page
from app.coaching import plans
from app.extensions import db
from app.interviews import kit, panels
from app.models import Assessment, Interview, Notification, OutboxMessage, ProgressReview, User
from app.notifications import events
from assessments.scoring import BAND_LABELS
from tests.fixtures.builders import (
    ALL_KEYS,
    COACHING_PANEL,
    GOAL_ORDER,
    answer,
    nominate,
    panel_scene,
    selected_exec,
)
from tests.fixtures.dates import date_parts
from tests.fixtures.mail import SMTPServer

# Distinctive private text: none of it may reach any message or notification.
EVIDENCE = "EVIDENCE-ZQ7 my private example"
NOTE = "NOTE-ZQ7 interviewer's private evidence"
STRENGTH = "STRENGTH-ZQ7 runs a tight room"
WEAKNESS = "WEAKNESS-ZQ7 new to delivery measures"
RATIONALE = "RATIONALE-ZQ7 the P&L gap is too wide"
REVIEW_NOTES = "REVIEW-NOTES-ZQ7 struggling with the finance hand-over"
# Scores, readiness and the fail-fast figures are never named either.
SCORE_WORDS = (*BAND_LABELS.values(), "Blind spot", "Hidden strength", "%", "weighted gap")


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def messages(app: Flask, kind: str) -> list[dict[str, Any]]:
    """The outbox rows of one kind, oldest first, as plain data."""
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
        return [
            {
                "user_id": m.user_id,
                "to": m.to_address,
                "subject": m.subject,
                "text": m.text_body,
                "html": m.html_body,
                "status": m.status,
            }
            for m in rows
        ]


def notifications(app: Flask, kind: str) -> list[dict[str, Any]]:
    """The in-app notifications of one kind, oldest first, as plain data."""
    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(Notification.kind == kind).order_by(Notification.id)
        )
        return [
            {
                "user_id": n.user_id,
                "title": n.title,
                "link": n.link,
                "done_key": n.done_key,
                "done": n.done_at is not None,
            }
            for n in rows
        ]


def recipients(app: Flask, kind: str) -> list[int]:
    """Who was emailed this kind (user ids, oldest message first)."""
    return [m["user_id"] for m in messages(app, kind)]


def check_message(
    app: Flask,
    browser_as: Any,
    kind: str,
    user: User,
    *,
    subject: str,
    link: str,
    says: tuple[str, ...] = (),
    index: int = -1,
) -> dict[str, Any]:
    """The user's message of this kind: subject, both parts linking to BASE_URL + link, the
    words it should say, the same notification in the app, and a link they can open."""
    mine = [m for m in messages(app, kind) if m["user_id"] == user.id]
    assert mine, f"no {kind} message for {user.email}"
    message = mine[index]
    assert message["to"] == user.email
    assert message["subject"] == subject
    url = app.config["BASE_URL"].rstrip("/") + link
    assert url in message["text"]
    assert f'href="{url}"' in message["html"]
    html_text = _text(message["html"])
    flat_text = " ".join(message["text"].split())
    for words in says:
        assert words in flat_text, (words, message["text"])
        assert words in html_text, (words, html_text)
    in_app = [n for n in notifications(app, kind) if n["user_id"] == user.id]
    assert in_app[index]["title"] == subject
    assert in_app[index]["link"] == link
    # It is on their notifications page, and they can open the page it links to (not a 403).
    browser = browser_as(user)
    listed = browser.get("/notifications").select(".sl-notification__title a")
    assert (subject, link) in [(a.get_text(strip=True), a["href"]) for a in listed]
    browser.get(link)
    return message


def unread(browser: Any) -> list[str]:
    """The titles shown as unread on the signed-in person's notifications page."""
    page = browser.get("/notifications")
    return [
        item.select_one(".sl-notification__title a").get_text(strip=True)
        for item in page.select(".sl-notification--unread")
    ]


def assert_nothing_private(app: Flask, *secrets: str) -> None:
    """No message and no notification carries any of these, or any score word."""
    with app.app_context():
        outbox = list(db.session.scalars(select(OutboxMessage)))
        titles = [n.title for n in db.session.scalars(select(Notification))]
    raw = [part for m in outbox for part in (m.subject, m.text_body, m.html_body)] + titles
    # Score words are looked for in what people read (the HTML's styles hold "100%").
    read = [part for m in outbox for part in (m.subject, m.text_body, _text(m.html_body))]
    assert raw
    for secret in secrets:
        leaks = [p for p in raw if secret in p]
        assert not leaks, (secret, leaks[:1])
    for word in SCORE_WORDS:
        leaks = [p for p in read + titles if word in p]
        assert not leaks, (word, leaks[:1])


# --- Self-assessment submitted --------------------------------------------------------------


def test_self_submitted_tells_every_active_cpo_until_the_panel_is_arranged(
    app: Flask, make_user, browser_as
) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    second = make_user("cpo", name="Grace Holloway")
    make_user("cpo", name="Left Last Year", active=False)
    hr = make_user("hr")
    tom = make_user("interviewer", name="Tom Okafor")
    sarah = make_user("exec", name="Sarah Whitfield")
    assessment_id = nominate(app, sarah)
    answer(app, assessment_id, {k: (3, f"{EVIDENCE} {k}") for k in ALL_KEYS}, submit=True)

    assert recipients(app, "self.submitted") == [cpo.id, second.id]
    assert hr.id not in recipients(app, "self.submitted")
    for user in (cpo, second):
        check_message(
            app,
            browser_as,
            "self.submitted",
            user,
            subject="Sarah Whitfield submitted their self-assessment",
            link=f"/assessments/{assessment_id}",
            says=(
                "Sarah Whitfield has submitted their self-assessment for"
                f" Stream for {sarah.email}.",
                "Read what they said about themselves, then arrange their interview panel.",
            ),
        )
    assert not any(n["done"] for n in notifications(app, "self.submitted"))

    # Telling it again for the same submission sends nothing.
    with app.app_context():
        events.self_submitted(db.session.get(Assessment, assessment_id), None)
        db.session.commit()
    assert len(messages(app, "self.submitted")) == 2

    # Arranging the panel is what it asked for: it leaves "unread" for both CPOs.
    browser_as(cpo).post(f"/assessments/{assessment_id}/panel", {"members": [str(tom.id)]})
    assert all(n["done"] for n in notifications(app, "self.submitted"))

    # Reopened and resubmitted: news again, and the panel is already there.
    with app.app_context():
        self_assessment.reopen_self(
            assessment_for_page(assessment_id), actor=db.session.get(User, cpo.id)
        )
        db.session.commit()
    answer(app, assessment_id, {}, submit=True)
    assert recipients(app, "self.submitted") == [cpo.id, second.id, cpo.id, second.id]
    check_message(
        app,
        browser_as,
        "self.submitted",
        second,
        subject="Sarah Whitfield resubmitted their self-assessment",
        link=f"/assessments/{assessment_id}",
        says=("Their interview panel is already arranged",),
    )
    assert_nothing_private(app, EVIDENCE)


# --- All interviews submitted ---------------------------------------------------------------


def _submit(app: Flask, interview_id: int, user: User, *, submit: bool = True) -> None:
    with app.app_context():
        interview = panels.load_interview(interview_id)
        assert interview is not None
        if interview.status == "submitted":  # reopened, as a future "reopen" would
            interview.status = "draft"
        kit.save_interview(
            interview,
            {key: ("3", f"{NOTE} {key}") for key in ALL_KEYS},
            strengths=STRENGTH,
            weaknesses=WEAKNESS,
            recommendation="yes",
            submit=submit,
            actor=db.session.get(User, user.id),
        )
        db.session.commit()


def test_last_interview_submitted_tells_the_cpo_once_per_completion(
    app: Flask, make_user, browser_as
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)  # Mei has submitted, Tom's interview is a draft
    _submit(app, scene.tom_interview_id, scene.tom, submit=False)
    assert messages(app, "panel.complete") == []

    _submit(app, scene.tom_interview_id, scene.tom)
    link = f"/assessments/{scene.assessment_id}/calibration"
    assert recipients(app, "panel.complete") == [scene.cpo.id]
    check_message(
        app,
        browser_as,
        "panel.complete",
        scene.cpo,
        subject="All interviews of Sarah Whitfield submitted: ready for calibration",
        link=link,
        says=(
            "All 2 panel members have submitted their interviews of Sarah Whitfield for"
            " Customer onboarding.",
            "then record your decision",
        ),
    )

    # Reopened and submitted again: the same panel completes again, nobody is told twice.
    _submit(app, scene.tom_interview_id, scene.tom)
    assert recipients(app, "panel.complete") == [scene.cpo.id]

    # A member added later and submitted is new input to calibrate: told again.
    ana = make_user("interviewer", name="Ana Ortiz")
    browser_as(scene.cpo).post(
        f"/assessments/{scene.assessment_id}/panel",
        {"members": [str(scene.tom.id), str(scene.mei.id), str(ana.id)]},
    )
    with app.app_context():
        ana_interview = panels.own_interview(
            db.session.get(User, ana.id), db.session.get(Assessment, scene.assessment_id)
        )
        assert ana_interview is not None
        ana_interview_id = ana_interview.id
    _submit(app, ana_interview_id, ana)
    assert recipients(app, "panel.complete") == [scene.cpo.id, scene.cpo.id]
    check_message(
        app,
        browser_as,
        "panel.complete",
        scene.cpo,
        subject="All interviews of Sarah Whitfield submitted: ready for calibration",
        link=link,
        says=("All 3 panel members have submitted",),
    )
    assert not any(n["done"] for n in notifications(app, "panel.complete"))
    cpo = browser_as(scene.cpo)
    ready = "All interviews of Sarah Whitfield submitted: ready for calibration"
    assert unread(cpo).count(ready) == 2

    # Calibrating ends in a decision: recording it is what "ready for calibration" asked for.
    _decide(app, cpo, scene.assessment_id, "on-hold")
    assert all(n["done"] for n in notifications(app, "panel.complete"))
    assert ready not in unread(cpo)
    assert_nothing_private(
        app, NOTE, STRENGTH, WEAKNESS, RATIONALE, "Mei saw", "Strong with customers"
    )


def test_the_cpo_who_submits_the_last_interview_is_not_told_what_they_did(
    app: Flask, make_user
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        other = make_user("cpo", name="Grace Holloway")
        # Priya sits on the panel instead of Tom, and submits last.
        db.session.get(Interview, scene.tom_interview_id).interviewer_id = scene.cpo.id
        db.session.commit()
        interview_id = scene.tom_interview_id
    _submit(app, interview_id, scene.cpo)
    assert recipients(app, "panel.complete") == [other.id]


# --- The decision ---------------------------------------------------------------------------


def _version(app: Flask, assessment_id: int) -> str:
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment is not None
        return str(assessment.version)


def _decide(app: Flask, browser: Any, assessment_id: int, decision: str) -> None:
    data = {"version": _version(app, assessment_id), "decision": decision, "rationale": RATIONALE}
    if decision == "selected":
        data |= date_parts("start_date", localtime.today() + timedelta(days=10))
    browser.post(f"/assessments/{assessment_id}/decision", data)


@pytest.mark.parametrize(
    ("decision", "subject", "says"),
    [
        (
            "selected",
            "Congratulations: you have been selected for Customer onboarding",
            (
                "Priya Raman has decided to select you for the Product Director (value stream)"
                " role in Customer onboarding. Congratulations.",
                "your induction and coaching start on",
            ),
        ),
        (
            "not-selected",
            # The subject does not break the news: the message does, kindly.
            "An update on your assessment for Customer onboarding",
            (
                "Thank you for the time, thought and openness you gave to your"
                " self-assessment and your interviews.",
                "Priya Raman has decided not to offer you the Product Director (value stream)"
                " role in Customer onboarding at this time.",
                "it does not change the value of the work you do in your current role.",
                "What happens next: you continue in your current role. Priya Raman will be in"
                " touch to talk it through with you in person",
            ),
        ),
        (
            "on-hold",
            "An update on your assessment for Customer onboarding",
            (
                "Your assessment for the Product Director (value stream) role in Customer"
                " onboarding is on hold: no decision has been made yet.",
                "What happens next: there is nothing you need to do now.",
            ),
        ),
    ],
)
def test_the_decision_reaches_the_exec_in_kind_words_without_the_rationale(
    app: Flask, make_user, browser_as, decision: str, subject: str, says: tuple[str, ...]
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    _decide(app, browser_as(scene.cpo), scene.assessment_id, decision)
    assert recipients(app, "decision.made") == [scene.candidate.id]
    check_message(
        app,
        browser_as,
        "decision.made",
        scene.candidate,
        subject=subject,
        link=f"/assessments/{scene.assessment_id}",
        says=("Thank you for the time", *says),
    )
    assert_nothing_private(app, RATIONALE, "Mei saw", "Strong with customers")


def test_a_changed_decision_is_told_again_and_a_corrected_rationale_is_not(
    app: Flask, make_user, browser_as
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    cpo = browser_as(scene.cpo)
    page = cpo.get(f"/assessments/{scene.assessment_id}/decision")
    assert page.select_one("#decision-tells").get_text(" ", strip=True) == (
        "Saving a new or changed decision tells Sarah Whitfield by email and in Streamlead, in"
        " kind words and without your rationale, and links to their assessment page. Speak with"
        " them first if you can."
    )
    _decide(app, cpo, scene.assessment_id, "on-hold")
    _decide(app, cpo, scene.assessment_id, "on-hold")  # a corrected rationale
    assert len(messages(app, "decision.made")) == 1
    _decide(app, cpo, scene.assessment_id, "selected")
    assert recipients(app, "decision.made") == [scene.candidate.id, scene.candidate.id]
    check_message(
        app,
        browser_as,
        "decision.made",
        scene.candidate,
        subject="Congratulations: you have been selected for Customer onboarding",
        link=f"/assessments/{scene.assessment_id}",
        says=("This replaces the earlier update about your assessment.",),
    )


def test_not_selected_arrives_through_smtp_kindly_and_without_the_rationale(
    mail_app: Flask, smtp_server: SMTPServer, make_user, browser_as
) -> None:
    with mail_app.app_context():
        scene = panel_scene(make_user)
    _decide(mail_app, browser_as(scene.cpo), scene.assessment_id, "not-selected")
    [email] = smtp_server.messages
    assert email["To"] == scene.candidate.email
    assert email["Subject"] == "An update on your assessment for Customer onboarding"
    parts = {
        part.get_content_type(): part.get_content()
        for part in email.walk()
        if part.get_content_maintype() == "text"
    }
    assert set(parts) == {"text/plain", "text/html"}
    url = f"{mail_app.config['BASE_URL']}/assessments/{scene.assessment_id}"
    assert url in parts["text/plain"] and f'href="{url}"' in parts["text/html"]
    for part in (" ".join(parts["text/plain"].split()), _text(parts["text/html"])):
        assert "Hello Sarah Whitfield," in part
        assert "Thank you for the time, thought and openness" in part
        assert "What happens next: you continue in your current role." in part
        assert RATIONALE not in part and "Mei saw" not in part
    assert [m["status"] for m in messages(mail_app, "decision.made")] == ["sent"]


# --- Coaching plan issued -------------------------------------------------------------------


def _selected(app: Flask, exec_user: User, cpo: User, days_ago: int = 10) -> tuple[int, int]:
    """An exec selected with a draft plan v1; returns (assessment id, plan version)."""
    with app.app_context():
        assessment = selected_exec(
            db.session.get(User, exec_user.id),
            cpo=db.session.get(User, cpo.id),
            days_ago=days_ago,
            stream="Home buying",
        )
        assessment.decision_rationale = RATIONALE
        db.session.commit()
        return assessment.id, assessment.plans[0].version


def test_an_issued_plan_tells_the_exec_and_hr_each_with_their_own_link(
    app: Flask, make_user, browser_as
) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    hr = make_user("hr", name="Hannah Price")
    david = make_user("exec", name="David Mensah")
    assessment_id, version = _selected(app, david, cpo)
    browser_as(cpo).post(f"/assessments/{assessment_id}/plan/v1/issue", {"version": str(version)})

    # Not the CPO who issued it, nor anyone else.
    assert sorted(recipients(app, "plan.issued")) == sorted([david.id, hr.id])
    check_message(
        app,
        browser_as,
        "plan.issued",
        david,
        subject="Your coaching plan is ready",
        link=f"/assessments/{assessment_id}/plan",
        says=(
            "Priya Raman has issued your coaching plan for Home buying.",
            "your checkpoint reviews on days 30, 90 and 180",
        ),
    )
    check_message(
        app,
        browser_as,
        "plan.issued",
        hr,
        subject="Coaching plan v1 issued for David Mensah",
        link=f"/assessments/{assessment_id}/plan/v1",
        says=("Priya Raman has issued version 1 of the coaching plan for David Mensah",),
    )

    # A revised plan is news; issuing is told once per version.
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        draft = plans.revise_plan(assessment.plans[0], db.session.get(User, cpo.id))
        plans.issue_plan(draft, expected_version=draft.version, actor=None)
        events.plan_issued(draft, None)
        db.session.commit()
    assert len(messages(app, "plan.issued")) == 4
    check_message(
        app,
        browser_as,
        "plan.issued",
        david,
        subject="Your coaching plan has been updated",
        link=f"/assessments/{assessment_id}/plan",
        says=("The Chief Product Officer has issued version 2 of your coaching plan",),
    )
    assert_nothing_private(app, RATIONALE)


# --- Fail-fast warning ----------------------------------------------------------------------


def _review_data(day: int, **raised: int) -> dict[str, str]:
    levels = {key: COACHING_PANEL[key] for key in GOAL_ORDER} | {
        k.replace("_", "-"): v for k, v in raised.items()
    }
    return {
        "checkpoint_day": str(day),
        **date_parts("held_on", localtime.today()),
        "actual_load_share": "45",
        "notes": REVIEW_NOTES,
        **{f"rating_{i}": str(levels[key]) for i, key in enumerate(GOAL_ORDER)},
    }


def _issued(app: Flask, exec_user: User, cpo: User, days_ago: int) -> int:
    with app.app_context():
        assessment = selected_exec(
            db.session.get(User, exec_user.id),
            cpo=db.session.get(User, cpo.id),
            days_ago=days_ago,
            stream="Home buying",
        )
        plan = assessment.plans[0]
        plans.issue_plan(plan, expected_version=plan.version, actor=db.session.get(User, cpo.id))
        db.session.commit()
        return assessment.id


def test_a_fail_fast_review_warns_the_cpo_and_hr_until_it_is_decided(
    app: Flask, make_user, browser_as
) -> None:
    priya = make_user("cpo", name="Priya Raman")
    grace = make_user("cpo", name="Grace Holloway")
    hr = make_user("hr", name="Hannah Price")
    david = make_user("exec", name="David Mensah")
    assessment_id = _issued(app, david, priya, days_ago=90)
    browser_as(priya).post(
        f"/assessments/{assessment_id}/reviews/new", _review_data(90, value_and_pnl=2)
    )
    with app.app_context():
        review = db.session.scalar(select(ProgressReview))
        assert review is not None and review.fail_fast
        review_id, version = review.id, review.version
    link = f"/assessments/{assessment_id}/reviews/{review_id}"

    # Priya recorded it; the other CPO and HR are told; never the exec.
    assert sorted(recipients(app, "review.failfast")) == sorted([grace.id, hr.id])
    today = localtime.format_date(localtime.today(), long=True)
    check_message(
        app,
        browser_as,
        "review.failfast",
        grace,
        subject="Fail-fast warning: day 90 review of David Mensah",
        link=link,
        says=(
            f"The day 90 checkpoint review of David Mensah (Home buying), held on {today},"
            " raised a fail-fast warning",
            "Priya Raman decides what happens next (continue, extend the plan, pair with an"
            " experienced Product Director, return to the former role, or exit) and records it"
            " on the review page.",
        ),
    )
    check_message(
        app,
        browser_as,
        "review.failfast",
        hr,
        subject="Fail-fast warning: day 90 review of David Mensah",
        link=link,
        says=("HR may be needed to support what is decided",),
    )
    with app.app_context():
        review = db.session.get(ProgressReview, review_id)
        events.review_recorded(review, db.session.get(User, priya.id))
        db.session.commit()
    assert len(messages(app, "review.failfast")) == 2
    assert not any(n["done"] for n in notifications(app, "review.failfast"))

    browser_as(priya).post(
        f"{link}/decision",
        {"decision": "continue", "rationale": RATIONALE, "version": str(version)},
    )
    assert all(n["done"] for n in notifications(app, "review.failfast"))
    assert_nothing_private(app, REVIEW_NOTES, RATIONALE)


def test_a_review_on_track_warns_nobody(app: Flask, make_user, browser_as) -> None:
    priya = make_user("cpo", name="Priya Raman")
    make_user("hr")
    david = make_user("exec", name="David Mensah")
    assessment_id = _issued(app, david, priya, days_ago=90)
    browser_as(priya).post(
        f"/assessments/{assessment_id}/reviews/new",
        _review_data(90, value_and_pnl=2, technical_and_design_fluency=2),
    )
    assert messages(app, "review.failfast") == []


def test_the_decision_maker_is_asked_in_the_second_person(
    app: Flask, make_user, browser_as
) -> None:
    priya = make_user("cpo", name="Priya Raman")  # mentors and decides (the plan says so)
    grace = make_user("cpo", name="Grace Holloway")
    david = make_user("exec", name="David Mensah")
    assessment_id = _issued(app, david, priya, days_ago=90)
    browser_as(grace).post(
        f"/assessments/{assessment_id}/reviews/new", _review_data(90, value_and_pnl=2)
    )
    assert recipients(app, "review.failfast") == [priya.id]
    [message] = messages(app, "review.failfast")
    assert (
        "You decide what happens next: continue, extend the plan, pair with an experienced"
        " Product Director, return to the former role, or exit. Record the decision with its"
        " rationale on the review page." in " ".join(message["text"].split())
    )


def test_taking_the_last_draft_off_the_panel_completes_it(
    app: Flask, make_user, browser_as
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)  # Mei has submitted, Tom's interview is a draft
    grace = make_user("cpo", name="Grace Holloway")
    browser_as(scene.cpo).post(
        f"/assessments/{scene.assessment_id}/panel", {"members": [str(scene.mei.id)]}
    )
    # Priya changed the panel herself; the other CPO is told.
    assert recipients(app, "panel.complete") == [grace.id]
    check_message(
        app,
        browser_as,
        "panel.complete",
        grace,
        subject="All interviews of Sarah Whitfield submitted: ready for calibration",
        link=f"/assessments/{scene.assessment_id}/calibration",
        says=(
            "The one panel member has submitted their interview of Sarah Whitfield for"
            " Customer onboarding.",
        ),
    )


def test_the_policy_has_the_last_word_on_who_is_told(app: Flask, make_user) -> None:
    cpo = make_user("cpo", name="Priya Raman")
    hr = make_user("hr", name="Hannah Price")
    david = make_user("exec", name="David Mensah")
    with app.app_context():
        assessment = selected_exec(db.session.get(User, david.id), cpo=db.session.get(User, cpo.id))
        # A draft plan: the exec may not read it, so telling them about it is refused.
        events.plan_issued(assessment.plans[0], None)
        db.session.commit()
    assert recipients(app, "plan.issued") == [hr.id]
