"""Demo data: stakeholder feedback for two candidates, gathered before the CPO decided.

Sarah Whitfield: five of five stakeholders answered. The panel saw her pull work through a
team (ownership and pull 3.0); the digital team members she would lead see her push it onto
them (1.4): a stakeholder concern the interviews missed. Two competencies stay under the
threshold because only two stakeholders could observe them. Everyone asked answered, so her
feedback round is closed and the results show. David Mensah: two of three answered and the
third was given more time, so his round is still open and no mean and no comment shows
anywhere: results appear only when the round closes (docs/decisions.md, "Issue 18 — Results
when the feedback round closes"); even then two answers stay below the threshold.

Stakeholders get no account: an invitation records who was asked, and the answers are stored
as unlinked rows in an order of their own (models in app/models/stakeholders.py). The links
were "sent" long ago: each invitation's token hash is of a random token nobody holds.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from app.demo import DemoContext, demo_loader, story_time
from app.extensions import db
from app.interviews.demo import CPO, latest_assessment
from app.models import (
    Assessment,
    StakeholderComment,
    StakeholderInvitation,
    StakeholderRating,
)

NOT_OBSERVED = None

# email, name, relationship, days ago answered (None: not yet)
SARAH_ASKED = (
    ("ravi.shah@example.org", "Ravi Shah", "business-peer", 121),
    ("nia.adeyemi@example.org", "Nia Adeyemi", "digital-team", 120),
    ("owen.price@example.org", "Owen Price", "digital-team", 119),
    ("grace.liu@example.org", "Grace Liu", "senior-stakeholder", 118),
    ("sam.dunn@example.org", "Sam Dunn", "digital-team", 117),
)
# competency -> one level per answer (None: "not observed"). Answers are stored unlinked, so
# their order here is only the order of this table.
SARAH_LEVELS: dict[str, tuple[int | None, ...]] = {
    "ownership-and-pull": (2, 1, 1, 2, 1),  # 1.4 against the panel's 3.0: a concern
    "multidisciplinary-leadership": (3, 2, 2, 3, 2),  # 2.4
    "stakeholder-tension": (3, 3, 2, 3, 3),  # 2.8
    "continuous-prioritisation": (3, 2, 3, 3, 2),  # 2.6
    "customer-evidence": (3, 3, 3, 4, 3),  # 3.2
    "outcome-strategy": (3, 2, NOT_OBSERVED, 3, 2),  # 2.5 from 4
    "value-and-pnl": (3, NOT_OBSERVED, NOT_OBSERVED, 3, NOT_OBSERVED),  # 2 rated: no mean
    "growing-product-people": (NOT_OBSERVED, 2, NOT_OBSERVED, NOT_OBSERVED, 3),  # 2: no mean
}
SARAH_COMMENTS: tuple[tuple[str | None, str], ...] = (
    (
        "ownership-and-pull",
        "New work arrives as a finished plan with a date on it. We hear about priorities in"
        " the all-hands rather than shaping them.",
    ),
    (
        "ownership-and-pull",
        "When a release slipped she took the backlog over herself and handed out tickets; it"
        " got done, but the team stopped raising problems early.",
    ),
    (
        "ownership-and-pull",
        "She asks for everything at once: five 'top priorities' in one quarter.",
    ),
    (
        "customer-evidence",
        "Always brings a real customer call to the review. People quote her examples.",
    ),
    (
        "stakeholder-tension",
        "Holds her ground with sales without making it personal, and explains why.",
    ),
    (
        None,
        "Energetic and clear about what customers need; would be even better if she let the"
        " team own more of the how.",
    ),
)

DAVID_ASKED = (
    ("lena.fischer@example.org", "Lena Fischer", "business-peer", 110),
    ("tariq.aziz@example.org", "Tariq Aziz", "digital-team", 109),
    ("maria.costa@example.org", "Maria Costa", "senior-stakeholder", None),
)
DAVID_LEVELS: dict[str, tuple[int | None, ...]] = {
    "value-and-pnl": (4, 3),
    "multidisciplinary-leadership": (1, 2),
    "stakeholder-tension": (2, 2),
}
DAVID_COMMENTS: tuple[tuple[str | None, str], ...] = (
    ("multidisciplinary-leadership", "Talks to the engineers only through their manager."),
)

STORY = {
    "exec1@example.org": (SARAH_ASKED, SARAH_LEVELS, SARAH_COMMENTS, 124),
    "exec2@example.org": (DAVID_ASKED, DAVID_LEVELS, DAVID_COMMENTS, 113),
}


def _asked(
    context: DemoContext,
    assessment: Assessment,
    asked: tuple[tuple[str, str, str, int | None], ...],
    days_ago: int,
) -> None:
    sent = story_time(days_ago, 9, 30)
    # Still waiting for someone: the CPO gave them until two weeks from today (the round is open).
    more_time = story_time(-14, 23, 59)
    for email, name, relationship, answered in asked:
        waiting = answered is None
        due_on = more_time.date() if waiting else (sent + timedelta(days=10)).date()
        db.session.add(
            StakeholderInvitation(
                assessment_id=assessment.id,
                email=email,
                name=name,
                relationship=relationship,
                token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                created_at=sent,
                created_by_id=context.people[CPO].id,
                due_on=due_on,
                expires_at=more_time + timedelta(days=7) if waiting else sent + timedelta(days=21),
                draft={},
                submitted_at=story_time(answered, 14) if answered is not None else None,
            )
        )


def _answers(
    assessment: Assessment,
    levels: dict[str, tuple[int | None, ...]],
    comments: tuple[tuple[str | None, str], ...],
) -> None:
    keys = {c.key for c in assessment.role_version.role.competencies}
    for key, given in levels.items():
        if key not in keys:
            continue
        for level in given:
            if level is not None:
                db.session.add(
                    StakeholderRating(assessment_id=assessment.id, competency_key=key, level=level)
                )
    for about, text in comments:
        if about is None or about in keys:
            db.session.add(
                StakeholderComment(assessment_id=assessment.id, competency_key=about, text=text)
            )


@demo_loader(33)
def load_stakeholder_feedback(context: DemoContext) -> None:
    """Stakeholder answers for exec1 (five) and exec2 (two), once, before the decisions."""
    for email, (asked, levels, comments, days_ago) in STORY.items():
        assessment = latest_assessment(email)
        if assessment is None:
            continue
        done = db.session.scalar(
            select(StakeholderInvitation.id)
            .where(StakeholderInvitation.assessment_id == assessment.id)
            .limit(1)
        )
        if done is not None:
            continue
        _asked(context, assessment, asked, days_ago)
        _answers(assessment, levels, comments)
    db.session.flush()
