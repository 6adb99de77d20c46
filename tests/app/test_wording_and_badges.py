"""Small things everywhere: wording that fits who reads it, one must-have badge, a demo whose
dates follow its story."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from app import localtime
from app.demo import load_demo
from app.extensions import db
from app.models import Assessment, AuditEvent, RoleVersion, User
from tests.fixtures.builders import panel_scene, publish_role
from tests.fixtures.client import parse


def test_the_cpo_editing_an_execs_profile_reads_about_the_exec(
    app: Flask, browser_as, make_user
) -> None:
    publish_role(app)
    sarah = make_user("exec", name="Sarah Whitfield")
    page = browser_as("cpo").get(f"/people/{sarah.id}/profile")
    hints = page.get_text(" ", strip=True)
    assert "Sarah Whitfield's job title today" in hints
    assert "The part of the organisation Sarah Whitfield works in today" in hints
    assert "Your job title" not in hints and " you work in" not in hints
    response = browser_as("cpo").post(
        f"/people/{sarah.id}/profile",
        {"current_role": "Head of Ops", "business_area": "Ops", "exp-product-management": ""},
        status=200,
    )
    messages = [a.get_text() for a in parse(response).select(".govuk-error-summary a")]
    assert "Choose Sarah Whitfield's experience in Product management" in messages


def test_the_exec_reads_their_own_profile_in_the_second_person(
    app: Flask, browser_as, make_user
) -> None:
    publish_role(app)
    me = make_user("exec", name="Sarah Whitfield")
    text = browser_as(me).get(f"/people/{me.id}/profile").get_text(" ", strip=True)
    assert "Your job title today" in text
    assert "Sarah Whitfield's job title" not in text


def test_the_must_have_badge_is_the_same_on_every_page(app: Flask, browser_as, make_user) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
    role_page = browser_as(scene.cpo).get("/roles/product-director/v1")
    kit_page = browser_as(scene.tom).get(f"/interviews/{scene.tom_interview_id}")
    for page in (role_page, kit_page):
        badges = [
            tag for tag in page.select(".govuk-tag") if tag.get_text(strip=True) == "Must-have"
        ]
        assert badges, "no must-have badge"
        for badge in badges:
            assert badge["class"] == ["govuk-tag", "govuk-tag--orange", "sl-must-have"]


def test_the_demo_dates_follow_its_story(app: Flask) -> None:
    with app.app_context():
        load_demo("correct horse battery staple")
        db.session.commit()
        today = localtime.today()

        def day(moment) -> object:  # type: ignore[no-untyped-def]
            return localtime.local_date(moment)

        version = db.session.scalar(select(RoleVersion))
        assessments = db.session.scalars(select(Assessment)).all()
        first_scored = min(
            day(i.submitted_at) for a in assessments for i in a.interviews if i.submitted_at
        )
        # The role was published before anyone was nominated against it, months ago.
        assert day(version.published_at) <= min(day(a.created_at) for a in assessments)
        assert day(version.published_at) < first_scored
        assert today - day(version.published_at) > timedelta(days=120)
        for a in assessments:
            sa = a.self_assessment
            if sa is not None and sa.submitted_at is not None:
                assert day(a.created_at) <= day(sa.submitted_at)
            submitted = [i.submitted_at for i in a.interviews if i.submitted_at]
            if a.decided_at is not None:
                assert submitted and max(submitted) <= a.decided_at
                for plan in a.plans:
                    assert a.decided_at <= plan.created_at
                    assert plan.issued_at is None or plan.created_at <= plan.issued_at
        # Accounts existed before the role; times are working hours, not the moment of loading.
        users = db.session.scalars(select(User)).all()
        assert all(day(u.created_at) < day(version.published_at) for u in users)
        assert localtime.local(version.published_at).hour in range(8, 19)
        # The audit trail tells the same story: the role's publication in its own month.
        published = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role.publish"))
        assert published.at == version.published_at
        decided = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "decision.record")
        ).all()
        assert {e.at for e in decided} == {a.decided_at for a in assessments if a.decided_at}
