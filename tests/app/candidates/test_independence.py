"""The assessment page keeps the exec's self-ratings from a panel member until they submit."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import Interview
from tests.fixtures.builders import (
    add_interview,
    all_ratings,
    make_assessment,
    new_stream,
    published_role,
)

HELD_BACK = (
    "You are on Sarah Whitfield's interview panel, so their self-ratings stay hidden until you"
    " submit your own interview."
)


def _scene(app: Flask, make_user, *, cpo_on_panel: bool = True) -> tuple[object, int, int | None]:  # type: ignore[no-untyped-def]
    cpo = make_user("cpo", name="Priya Raman")
    tom = make_user("interviewer", name="Tom Okafor")
    sarah = make_user("exec", name="Sarah Whitfield")
    with app.app_context():
        version = published_role()
        assessment = make_assessment(
            sarah.id, version, new_stream(), self_ratings=all_ratings(version, 4)
        )
        add_interview(assessment, tom.id, all_ratings(version, 2))
        own = add_interview(assessment, cpo.id, status="draft") if cpo_on_panel else None
        db.session.commit()
        return cpo, assessment.id, own.id if own else None


def _self_ratings_shown(page) -> bool:  # type: ignore[no-untyped-def]
    return "Sarah Whitfield's self-ratings" in page.get_text() and "My example" in page.get_text()


def test_cpo_on_the_panel_sees_self_ratings_only_after_submitting(
    app: Flask, browser_as, make_user
) -> None:
    cpo, assessment_id, interview_id = _scene(app, make_user)
    me = browser_as(cpo)
    page = me.get(f"/assessments/{assessment_id}")
    assert not _self_ratings_shown(page)
    note = page.select_one("#self-ratings-held-back")
    assert HELD_BACK in note.get_text(" ", strip=True)
    assert note.a["href"] == f"/interviews/{interview_id}"
    assert note.a.get_text() == "Open your interview kit"

    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        interview.status = "submitted"
        db.session.commit()
    page = me.get(f"/assessments/{assessment_id}")
    assert _self_ratings_shown(page)
    assert page.select_one("#self-ratings-held-back") is None


def test_staff_not_on_the_panel_see_submitted_self_ratings(
    app: Flask, browser_as, make_user
) -> None:
    cpo, assessment_id, _ = _scene(app, make_user, cpo_on_panel=False)
    for viewer in (browser_as(cpo), browser_as("hr"), browser_as("admin")):
        page = viewer.get(f"/assessments/{assessment_id}")
        assert _self_ratings_shown(page)
        assert page.select_one("#self-ratings-held-back") is None
