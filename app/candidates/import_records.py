"""The records of a ratings import (rows, groups, plan, summary) and the lookups it batches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, RoleVersion, User


@dataclass(frozen=True)
class Row:
    """One checked rating."""

    line: int
    candidate: str
    rater: str
    source: str
    competency: str
    level: int | None
    evidence: str


@dataclass
class Group:
    """All rows of one (candidate, rater, source): one self-assessment, one interview, or one
    stakeholder's answers."""

    candidate: str
    rater: str
    source: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Plan:
    """A checked file, ready to write."""

    groups: list[Group]
    new_people: dict[str, str]  # email -> role for people to create


@dataclass
class Summary:
    """What an import wrote."""

    version_label: str
    self_assessments: int = 0
    interviews: int = 0
    ratings: int = 0
    stakeholders: int = 0
    stakeholder_ratings: int = 0
    candidates: set[str] = field(default_factory=set)
    new_people: dict[str, str] = field(default_factory=dict)
    new_assessments: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as lines to print."""
        out = [
            f"Imported against {self.version_label}: "
            f"{self.self_assessments} self-assessment(s) and {self.interviews} interview(s), "
            f"{self.ratings} rating(s), for {len(self.candidates)} candidate(s).",
        ]
        if self.stakeholders:
            out.append(
                f"Stakeholder feedback: {self.stakeholders} response(s) with "
                f"{self.stakeholder_ratings} rating(s), stored without a link to who gave them "
                "(no accounts were created for stakeholders)."
            )
        if self.new_people:
            out.append(
                "New accounts, without a password (send each an invite link with "
                "`flask users reset-link EMAIL`):"
            )
            out.extend(f"  {email} ({role})" for email, role in sorted(self.new_people.items()))
        if self.new_assessments:
            out.append(
                "New assessments with no value stream (the CPO sets one on the assessment page):"
            )
            out.extend(f"  {email}" for email in self.new_assessments)
        return out


def _users(emails: Iterable[str]) -> dict[str, User]:
    """The existing users with these emails, by email, in one statement."""
    return {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(set(emails))))}


def _latest_assessments(
    candidate_ids: Iterable[int], version: RoleVersion
) -> dict[int, Assessment]:
    """Each candidate's latest assessment against the version (by creation, then id)."""
    latest: dict[int, Assessment] = {}
    found = db.session.scalars(
        select(Assessment)
        .where(
            Assessment.candidate_id.in_(set(candidate_ids)),
            Assessment.role_version_id == version.id,
        )
        .order_by(Assessment.created_at, Assessment.id)
    )
    for assessment in found:
        latest[assessment.candidate_id] = assessment  # later rows win: the latest remains
    return latest
