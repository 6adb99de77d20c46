"""An interviewer's own interviews as plain rows: the ones to do, and the submitted ones a page
at a time (an interviewer on many panels gathers hundreds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Executable, bindparam, exists, func, select

from app import statements
from app.models import Assessment, Interview, InterviewRating, User, ValueStream
from app.pagination import Paging, paging
from app.roles.versions import version_choices
from app.statements import prebuilt

SUBMITTED_PAGE_SIZE = 25


@dataclass(frozen=True)
class InterviewRow:
    """One of my interviews, as the list shows it."""

    id: int
    candidate: str
    stream: str | None
    version_label: str
    assigned_at: datetime
    submitted_at: datetime | None
    started: bool
    due_on: date | None = None
    scheduled_at: datetime | None = None


@prebuilt
def _count_statement() -> Executable:
    return select(func.count(Interview.id)).where(
        Interview.interviewer_id == bindparam("user_id"), Interview.status == bindparam("status")
    )


@prebuilt
def _rows_statement(paged: bool) -> Executable:
    """My interviews in one status, newest assignment first (one page of them if `paged`)."""
    newest = (Interview.assigned_at.desc(), Interview.id.desc())
    mine = select(Interview.id).where(
        Interview.interviewer_id == bindparam("user_id"), Interview.status == bindparam("status")
    )
    if paged:
        mine = mine.order_by(*newest).limit(bindparam("limit")).offset(bindparam("offset"))
    started = exists().where(InterviewRating.interview_id == Interview.id)
    return (
        select(
            Interview.id,
            User.name,
            ValueStream.name,
            Assessment.role_version_id,
            Interview.assigned_at,
            Interview.submitted_at,
            started,
            Interview.due_on,
            Interview.scheduled_at,
        )
        .join(Assessment, Assessment.id == Interview.assessment_id)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .where(Interview.id.in_(mine.scalar_subquery()))
        .order_by(*newest)
    )


def _rows(raw: list) -> list[InterviewRow]:  # type: ignore[type-arg]
    labels = {v.id: v.label for v in version_choices({r[3] for r in raw})} if raw else {}
    return [
        InterviewRow(
            i_id, name, stream, labels[version_id], assigned, submitted, bool(started), due, at
        )
        for i_id, name, stream, version_id, assigned, submitted, started, due, at in raw
    ]


def interviews_to_do(user: User) -> list[InterviewRow]:
    """Every interview of mine still a draft, newest assignment first."""
    return _rows(statements.rows(_rows_statement(False), user_id=user.id, status="draft"))


def submitted_interviews(user: User, requested: int | None) -> tuple[Paging, list[InterviewRow]]:
    """One page of my submitted interviews, newest assignment first, and how many in all."""
    total = int(statements.one(_count_statement(), user_id=user.id, status="submitted")[0])
    paged = paging(total, requested, SUBMITTED_PAGE_SIZE)
    if total == 0:
        return paged, []
    raw = statements.rows(
        _rows_statement(True),
        user_id=user.id,
        status="submitted",
        offset=paged.offset,
        limit=paged.per_page,
    )
    return paged, _rows(raw)
