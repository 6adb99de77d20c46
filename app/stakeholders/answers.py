"""A stakeholder's answers: what they are asked, the draft they write, and submitting it.

While being written, answers sit in the invitation's `draft` (so nothing is lost when a link
expires or a page is left). Submitting turns them into StakeholderRating and StakeholderComment
rows that carry no link to the invitation and no time, then empties the draft and ends the
link: from then on nothing in the database says who gave which answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from app.extensions import db
from app.models.base import utcnow
from app.models.stakeholders import StakeholderComment, StakeholderInvitation, StakeholderRating
from app.transactions import DomainError
from assessments.model import LENS_LABELS, RATING_SCALE, Competency, RoleDefinition, group_by_lens

NOT_OBSERVED = "not-observed"
# The draft's key for the comment on the whole (stored with competency_key NULL).
OVERALL = "_overall"
COMMENT_MAX = 2000


class AnswerError(DomainError):
    """Answers that cannot be saved or submitted, with the reason."""


def prompts_of(competency: Competency) -> tuple[str, ...]:
    """The competency's statements for stakeholders (none on roles written before issue 18)."""
    return competency.stakeholder_prompts


def questions(role: RoleDefinition) -> tuple[Competency, ...]:
    """The competencies stakeholders are asked about: those with stakeholder prompts."""
    return tuple(c for c in role.competencies if prompts_of(c))


@dataclass(frozen=True)
class LensGroup:
    """The asked competencies of one lens, for a heading on the answer page."""

    lens: str
    competencies: tuple[Competency, ...]

    @property
    def label(self) -> str:
        """The lens's name."""
        return LENS_LABELS[self.lens]


def lens_groups(role: RoleDefinition) -> list[LensGroup]:
    """The asked competencies grouped by lens, in the method's order."""
    return [LensGroup(lens, cs) for lens, cs in group_by_lens(questions(role), lambda c: c.lens)]


def role_of(invitation: StakeholderInvitation) -> RoleDefinition:
    """The pinned role version the candidate is assessed against."""
    return invitation.assessment.role_version.role


def draft_levels(invitation: StakeholderInvitation) -> dict[str, int | str]:
    """The draft's answers: competency key -> 0-4 or "not-observed"."""
    levels = (invitation.draft or {}).get("levels") or {}
    return {k: v for k, v in levels.items() if isinstance(k, str) and _level_ok(v)}


def draft_comments(invitation: StakeholderInvitation) -> dict[str, str]:
    """The draft's comments: competency key (or OVERALL) -> text."""
    comments = (invitation.draft or {}).get("comments") or {}
    return {k: v for k, v in comments.items() if isinstance(k, str) and isinstance(v, str) and v}


def _level_ok(value: Any) -> bool:
    return value == NOT_OBSERVED or (
        isinstance(value, int) and not isinstance(value, bool) and value in RATING_SCALE
    )


def save_draft(
    invitation: StakeholderInvitation,
    levels: Mapping[str, int | str | None],
    comments: Mapping[str, str],
) -> None:
    """Replace the draft's answers for the competencies given (None clears a level)."""
    if invitation.submitted_at is not None or invitation.withdrawn_at is not None:
        raise AnswerError("These answers have already been sent or the invitation was withdrawn")
    asked = {c.key for c in questions(role_of(invitation))}
    saved_levels = draft_levels(invitation)
    saved_comments = draft_comments(invitation)
    for key, level in levels.items():
        if key not in asked:
            continue
        if level is None:
            saved_levels.pop(key, None)
        elif _level_ok(level):
            saved_levels[key] = level
    for key, text in comments.items():
        if key not in asked and key != OVERALL:
            continue
        text = text.strip()[:COMMENT_MAX]
        if text:
            saved_comments[key] = text
        else:
            saved_comments.pop(key, None)
    draft = {"levels": saved_levels, "comments": saved_comments}
    # Written only while unsent: a save racing a submission from another tab must not put
    # attributable answers back on an invitation that has already been sent.
    result = db.session.execute(
        update(StakeholderInvitation)
        .where(
            StakeholderInvitation.id == invitation.id,
            StakeholderInvitation.submitted_at.is_(None),
            StakeholderInvitation.withdrawn_at.is_(None),
        )
        .values(draft=draft)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AnswerError("These answers have already been sent or the invitation was withdrawn")
    db.session.expire(invitation, ["draft"])


@dataclass(frozen=True)
class Progress:
    """How many of the asked competencies have an answer (a level or "not observed")."""

    answered: int
    total: int

    @property
    def text(self) -> str:
        """'3 of 8 answered'."""
        return f"{self.answered} of {self.total} answered"


def progress(invitation: StakeholderInvitation) -> Progress:
    """Answered of asked competencies."""
    asked = questions(role_of(invitation))
    levels = draft_levels(invitation)
    return Progress(sum(1 for c in asked if c.key in levels), len(asked))


def problems(invitation: StakeholderInvitation) -> list[tuple[Competency | None, str]]:
    """What stops the answers being sent: unanswered competencies, or nothing observed at all."""
    asked = questions(role_of(invitation))
    levels = draft_levels(invitation)
    name = invitation.assessment.candidate.name
    found: list[tuple[Competency | None, str]] = [
        (c, f"Choose a level for {c.name}, or 'Not observed'") for c in asked if c.key not in levels
    ]
    if not found and asked and all(levels[c.key] == NOT_OBSERVED for c in asked):
        found.append(
            (
                None,
                f"Choose a level for at least one competency. If you have not seen {name} at "
                "work in any of these, you do not need to answer: you can close this page",
            )
        )
    return found


def submit_invitation(invitation: StakeholderInvitation) -> None:
    """Send the answers: unlinked rating and comment rows, the draft emptied, the link ended."""
    if invitation.submitted_at is not None:
        raise AnswerError("These answers have already been sent")
    if invitation.withdrawn_at is not None:
        raise AnswerError("This invitation was withdrawn")
    if invitation.expires_at <= utcnow():
        raise AnswerError("This link has expired")
    if problems(invitation):
        raise AnswerError("Some answers are missing")
    asked = questions(role_of(invitation))
    levels = draft_levels(invitation)
    comments = draft_comments(invitation)
    assessment_id = invitation.assessment_id
    now = utcnow()
    # Claim the submission first: of two tabs submitting at once, only one writes answers.
    claimed = db.session.execute(
        update(StakeholderInvitation)
        .where(
            StakeholderInvitation.id == invitation.id,
            StakeholderInvitation.submitted_at.is_(None),
            StakeholderInvitation.withdrawn_at.is_(None),
        )
        .values(submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AnswerError("These answers have already been sent")
    rows: list[StakeholderRating | StakeholderComment] = [
        StakeholderRating(assessment_id=assessment_id, competency_key=c.key, level=levels[c.key])
        for c in asked
        if levels[c.key] != NOT_OBSERVED
    ]
    rows += [
        StakeholderComment(assessment_id=assessment_id, competency_key=c.key, text=comments[c.key])
        for c in asked
        if comments.get(c.key)
    ]
    if comments.get(OVERALL):
        rows.append(
            StakeholderComment(
                assessment_id=assessment_id, competency_key=None, text=comments[OVERALL]
            )
        )
    # Written in a random order, like imported answers: not even the order rows were written
    # in follows the role's.
    secrets.SystemRandom().shuffle(rows)
    db.session.add_all(rows)
    invitation.draft = {}
    invitation.submitted_at = now
    invitation.token_hash = None  # single use: the link stops working
    # No audit event: it would keep the sender's address (and whoever is signed in) beside
    # the moment the anonymous rows appeared. `submitted_at` records that they answered.
    db.session.flush()
