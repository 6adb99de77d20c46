"""The readiness report rendered ahead is rendered again when stakeholder answers arrive."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from tests.app.reports.test_prerender import ahead, renders  # noqa: F401 - fixtures
from tests.app.stakeholders_views.scene import FIVE, TWO, add_responses, build


def test_a_new_stakeholder_response_rerenders_the_readiness_report(
    app: Flask,
    make_user,
    ahead: None,  # noqa: F811
    renders: list[str],  # noqa: F811
) -> None:
    scene = build(app, make_user, TWO)
    assert "Readiness report: Dana Quist, Mini Product Director v1" in renders
    renders.clear()
    with app.app_context():
        add_responses(scene.assessment_id, FIVE[2:3], pending=False)
        db.session.commit()
    assert renders == ["Readiness report: Dana Quist, Mini Product Director v1"]


def test_a_draft_autosaved_renders_nothing(
    app: Flask,
    make_user,
    ahead: None,  # noqa: F811
    renders: list[str],  # noqa: F811
) -> None:
    from sqlalchemy import select

    from app.models import StakeholderInvitation
    from app.models.base import utcnow

    scene = build(app, make_user, TWO)
    renders.clear()
    with app.app_context():
        pending = db.session.scalar(
            select(StakeholderInvitation).where(StakeholderInvitation.submitted_at.is_(None))
        )
        pending.draft = {"levels": {"a": 2}, "comments": {}}
        db.session.commit()
        assert renders == []
        # Withdrawn: "(of 3 asked)" becomes "(of 2 asked)".
        pending.withdrawn_at = utcnow()
        db.session.commit()
    assert renders == ["Readiness report: Dana Quist, Mini Product Director v1"]
    assert scene.assessment_id
