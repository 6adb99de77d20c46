"""Whatever sequence of changes an organisation makes, every stored score equals a fresh one.

Random sequences of what moves a score, each committed through the app's own services:
interviews submitted with random ratings (some "not assessed") and reopened, draft autosaves,
the self-assessment submitted and reopened, ratings imported from a file, panel members added
and removed, the assessment re-pinned to another role version, stakeholders invited, writing
their answers (autosaves), submitting them, withdrawn. After every commit each
assessment's stored snapshot must equal both a fresh computation from the database (what
`flask scores rebuild --check` compares) and the results page's own `score_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import score_snapshots
from app.candidates import importing, nominations, self_assessment
from app.extensions import db
from app.interviews import kit, panels
from app.models import (
    Assessment,
    RoleVersion,
    ScoreSnapshot,
    StakeholderComment,
    StakeholderInvitation,
    StakeholderRating,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.models.loaders import load_assessment_for_results
from app.scores import result_from_snapshot, score_for
from app.transactions import DomainError
from tests.fixtures.builders import person, publish_mini_role, published_role

LEVELS = st.sampled_from(["0", "1", "2", "3", "4", "4", "3", "na"])
ACTIONS = (
    "submit_interview",
    "reopen_interview",
    "draft_autosave",
    "submit_self",
    "reopen_self",
    "import",
    "add_panel_member",
    "remove_panel_member",
    "repin",
    "stakeholder_invite",
    "stakeholder_autosave",
    "stakeholder_submit",
    "stakeholder_withdraw",
)
# Below the default of 3, so random sequences often reach a stakeholder mean and its flag.
THRESHOLD = 2


@dataclass
class World:
    """Ids of one example's records."""

    assessments: list[int]
    versions: list[int]
    cpo: int


def _world() -> World:
    """Two candidates for one stream, each with a draft panel of two; two role versions."""
    pd = published_role()
    mini = publish_mini_role()
    cpo = person("cpo")
    stream = ValueStream(name=f"Stream of {cpo.email}")
    db.session.add(stream)
    ids = []
    for _ in range(2):
        assessment = nominations.nominate(person("exec"), stream, pd, actor=None)
        panels.assign_panel(
            assessment, [person("interviewer").id, person("interviewer").id], actor=None
        )
        ids.append(assessment.id)
    db.session.commit()
    return World(ids, [pd.id, mini.id], cpo.id)


def _keys(assessment: Assessment) -> list[str]:
    return [c.key for c in assessment.role_version.role.competencies]


def _invitations(assessment: Assessment) -> list[StakeholderInvitation]:
    query = select(StakeholderInvitation).where(
        StakeholderInvitation.assessment_id == assessment.id
    )
    return list(db.session.scalars(query.order_by(StakeholderInvitation.id)))


def _stakeholder_act(action: str, assessment: Assessment, data: st.DataObject) -> None:
    """Stakeholder changes as the answering service makes them: the draft is the only place an
    answer is attributable; submitting turns it into unlinked rows."""
    invitations = _invitations(assessment)
    open_ones = [i for i in invitations if i.submitted_at is None and i.withdrawn_at is None]
    keys = _keys(assessment)
    if action == "stakeholder_invite":
        db.session.add(
            StakeholderInvitation(
                assessment_id=assessment.id,
                email=f"stakeholder{len(invitations)}@example.org",
                relationship="business-peer",
                token_hash=f"{assessment.id:08d}{len(invitations):056d}",
                expires_at=utcnow() + timedelta(days=14),
                draft={},
            )
        )
    elif action == "stakeholder_autosave" and open_ones:
        invitation = data.draw(st.sampled_from(open_ones))
        levels = {key: data.draw(LEVELS) for key in keys[: data.draw(st.integers(1, len(keys)))]}
        invitation.draft = {
            "levels": {k: ("not-observed" if v == "na" else int(v)) for k, v in levels.items()},
            "comments": {keys[0]: "seen it"},
        }
    elif action == "stakeholder_submit" and open_ones:
        invitation = data.draw(st.sampled_from(open_ones))
        for key, level in (invitation.draft or {}).get("levels", {}).items():
            if level != "not-observed":
                db.session.add(
                    StakeholderRating(assessment_id=assessment.id, competency_key=key, level=level)
                )
        for key, text in (invitation.draft or {}).get("comments", {}).items():
            db.session.add(
                StakeholderComment(assessment_id=assessment.id, competency_key=key, text=text)
            )
        invitation.draft = {}
        invitation.submitted_at = utcnow()
        invitation.token_hash = None
    elif action == "stakeholder_withdraw" and invitations:
        invitation = data.draw(st.sampled_from(invitations))
        invitation.withdrawn_at = invitation.withdrawn_at or utcnow()


def _act(action: str, assessment: Assessment, world: World, data: st.DataObject) -> None:
    """One change through the services (flushing, never committing)."""
    if action.startswith("stakeholder_"):
        _stakeholder_act(action, assessment, data)
        return
    interviews = sorted(assessment.interviews, key=lambda i: i.id)
    drafts = [i for i in interviews if i.status == "draft"]
    submitted = [i for i in interviews if i.status == "submitted"]
    keys = _keys(assessment)
    if action in ("submit_interview", "draft_autosave") and drafts:
        interview = data.draw(st.sampled_from(drafts))
        chosen = keys if action == "submit_interview" else keys[: data.draw(st.integers(1, 3))]
        kit.save_interview(
            interview,
            {key: (data.draw(LEVELS), "noted") for key in chosen},
            strengths="s",
            weaknesses="w",
            recommendation="yes",
            submit=action == "submit_interview",
            actor=None,
        )
    elif action == "reopen_interview" and submitted:
        # No page reopens an interview today; a reopen would put it back to draft like this.
        interview = data.draw(st.sampled_from(submitted))
        interview.status = "draft"
        interview.submitted_at = None
    elif action == "submit_self":
        answers = {
            key: self_assessment.Answer(int(data.draw(LEVELS.filter(str.isdigit))), "because")
            for key in keys
        }
        sa = self_assessment.save_self_answers(
            assessment,
            answers,
            expected_version=getattr(assessment.self_assessment, "version", None),
            actor=None,
        )
        if sa is not None or assessment.self_assessment is not None:
            current = assessment.self_assessment
            assert current is not None
            self_assessment.submit_self(assessment, expected_version=current.version, actor=None)
    elif action == "reopen_self":
        self_assessment.reopen_self(assessment, actor=db.session.get(User, world.cpo))
    elif action == "import":
        version = assessment.role_version
        rater = person("interviewer") if data.draw(st.booleans()) else None
        email = assessment.candidate.email
        lines = ["candidate_email,rater_email,source,competency,level,evidence"]
        for key in keys:
            level = data.draw(LEVELS)
            level = "" if level == "na" else level
            if rater is None:
                level = level or "2"
            source = "interview" if rater is not None else "self"
            lines.append(f"{email},{rater.email if rater else email},{source},{key},{level},e")
        plan = importing.check("\n".join(lines).encode(), version)
        importing.apply(plan, version)
    elif action == "add_panel_member":
        members = [i.interviewer_id for i in interviews] + [person("interviewer").id]
        panels.assign_panel(assessment, members, actor=None)
    elif action == "remove_panel_member" and drafts:
        leaving = data.draw(st.sampled_from(drafts)).interviewer_id
        members = [i.interviewer_id for i in interviews if i.interviewer_id != leaving]
        panels.assign_panel(assessment, members, actor=None)
    elif action == "repin":
        others = [v for v in world.versions if v != assessment.role_version_id]
        assessment.role_version = db.session.get(RoleVersion, data.draw(st.sampled_from(others)))


def _assert_stored_equals_fresh(app: Flask, world: World) -> None:
    with app.app_context():
        conn = db.session.connection()
        ids = list(
            db.session.scalars(
                select(Assessment.id).where(
                    Assessment.candidate_id.in_(
                        select(Assessment.candidate_id).where(Assessment.id.in_(world.assessments))
                    )
                )
            )
        )
        fresh = score_snapshots.fresh(conn, ids)
        for a_id in ids:
            snapshot = db.session.get(ScoreSnapshot, a_id)
            assert snapshot is not None, f"assessment {a_id} has no snapshot"
            stored = {name: getattr(snapshot, name) for name in score_snapshots.FIELDS}
            assert score_snapshots.differences(a_id, stored, fresh[a_id]) == []
            assessment = load_assessment_for_results(a_id)
            assert assessment is not None
            assert result_from_snapshot(snapshot) == score_for(assessment)
        db.session.rollback()


@settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_stored_scores_always_equal_a_fresh_computation(app: Flask, data: st.DataObject) -> None:
    app.config["STAKEHOLDER_MIN_RESPONSES"] = THRESHOLD
    with app.app_context():
        world = _world()
    _assert_stored_equals_fresh(app, world)
    steps = data.draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=12))
    for action in steps:
        with app.app_context():
            a_id = data.draw(st.sampled_from(world.assessments))
            assessment = load_assessment_for_results(a_id)
            assert assessment is not None
            try:
                _act(action, assessment, world, data)
                db.session.commit()
            except DomainError:
                db.session.rollback()  # refused (e.g. a self-assessment already submitted)
        _assert_stored_equals_fresh(app, world)
