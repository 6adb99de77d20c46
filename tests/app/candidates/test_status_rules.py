"""Assessment status: the Python property and the SQL expression agree on every combination."""

from __future__ import annotations

import itertools

from flask import Flask
from sqlalchemy import select

from app.candidates.listing import status_expression
from app.extensions import db
from app.models import Assessment, User
from tests.fixtures.builders import add_interview, make_assessment, published_role

DECISIONS = (None, "on-hold")
SELF_STATES = (None, "draft", "submitted")
# The interview statuses on the panel: none, one draft, one submitted, one of each.
PANELS: tuple[tuple[str, ...], ...] = ((), ("draft",), ("submitted",), ("draft", "submitted"))


def test_property_and_sql_agree_on_every_combination(app: Flask, make_user) -> None:
    tom, mei = make_user("interviewer"), make_user("interviewer")
    with app.app_context():
        version = published_role()
        built: dict[int, tuple[object, ...]] = {}
        combos = itertools.product(DECISIONS, SELF_STATES, PANELS)
        for n, (decision, self_state, panel) in enumerate(combos):
            user = User(email=f"combo{n}@example.org", name=f"Combo {n}", role="exec")
            db.session.add(user)
            assessment = make_assessment(
                user,
                version,
                self_ratings=None if self_state is None else {},
                self_status=self_state or "draft",
            )
            for interviewer, status in zip((tom.id, mei.id), panel, strict=False):
                add_interview(assessment, interviewer, status=status)
            assessment.decision = decision
            built[assessment.id] = (decision, self_state, panel)
        db.session.commit()
        in_sql = dict(db.session.execute(select(Assessment.id, status_expression())).all())
        db.session.expire_all()
        in_python = {a.id: a.status for a in db.session.scalars(select(Assessment))}

    assert len(built) == 24
    assert in_sql == in_python
    # Every state is reached, and a few hand-worked cases.
    assert set(in_python.values()) == {
        "invited",
        "self-in-progress",
        "self-submitted",
        "interviewing",
        "scored",
        "decided",
    }
    by_combo = {combo: in_python[aid] for aid, combo in built.items()}
    assert by_combo[(None, None, ())] == "invited"
    assert by_combo[(None, "draft", ())] == "self-in-progress"
    assert by_combo[(None, "submitted", ("draft",))] == "interviewing"
    assert by_combo[(None, None, ("draft", "submitted"))] == "scored"
    assert by_combo[("on-hold", None, ())] == "decided"
