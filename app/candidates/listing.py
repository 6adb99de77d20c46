"""Reading assessments: status in SQL, the candidates list and its filters, one assessment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Executable, Select, bindparam, case, exists, func, select
from sqlalchemy.orm import aliased

from app import score_snapshots, statements
from app.candidates.self_assessment import Progress
from app.extensions import db
from app.models import (
    Assessment,
    ExecProfile,
    Interview,
    ScoreSnapshot,
    SelfAssessment,
    SelfRating,
    User,
    ValueStream,
)
from app.models.loaders import candidate_page_options, load_assessment_for_candidate_page
from app.roles.versions import VersionChoice, version_choices
from app.statements import prebuilt
from assessments.evidence import Evidence
from assessments.status import FIRST_STATUS, STATUS_RULES, Fact, status_label


@lru_cache(maxsize=1)
def status_expression() -> ColumnElement[str]:
    """SQL for `Assessment.status`, so lists can filter, count and group in the database.

    A CASE over the ordered rules of assessments.status, with each fact in SQL; the property
    asks the same rules in Python (tests/app/candidates/test_status_rules.py checks they agree).
    Built once: SQL constructs are immutable, and building the aliases costs a millisecond.
    """
    # Aliases, so the subqueries stay correlated to Assessment alone even in a query that
    # also joins the self-assessment.
    interview = aliased(Interview)
    own = aliased(SelfAssessment)
    interviews = exists().where(interview.assessment_id == Assessment.id)
    self_assessment = exists().where(own.assessment_id == Assessment.id)
    facts: dict[Fact, ColumnElement[bool]] = {
        Fact.DECISION_RECORDED: Assessment.decision.is_not(None),
        Fact.INTERVIEW_SUBMITTED: interviews.where(interview.status == "submitted"),
        Fact.INTERVIEW_ASSIGNED: interviews,
        Fact.SELF_SUBMITTED: self_assessment.where(own.status == "submitted"),
        Fact.SELF_STARTED: self_assessment,
    }
    return case(*((facts[fact], status) for status, fact in STATUS_RULES), else_=FIRST_STATUS)


_AnySelect = TypeVar("_AnySelect", bound=Select)  # type: ignore[type-arg]


@dataclass(frozen=True)
class AssessmentFilters:
    """What the candidates list is narrowed to; None or False means no filter."""

    stream_id: int | None = None
    no_stream: bool = False
    version_id: int | None = None
    status: str | None = None

    @property
    def shape(self) -> tuple[bool, bool, bool, bool]:
        """Which filters are set: statements are built once per shape, values bound later."""
        return (
            self.no_stream,
            self.stream_id is not None,
            self.version_id is not None,
            bool(self.status),
        )

    @property
    def params(self) -> dict[str, Any]:
        """The values for the bound parameters of `narrow`."""
        return {"stream_id": self.stream_id, "version_id": self.version_id, "status": self.status}


def narrow(query: _AnySelect, shape: tuple[bool, bool, bool, bool]) -> _AnySelect:
    """Narrow a query that selects from Assessment to the filters set in `shape`."""
    no_stream, by_stream, by_version, by_status = shape
    if no_stream:
        query = query.where(Assessment.value_stream_id.is_(None))
    elif by_stream:
        query = query.where(Assessment.value_stream_id == bindparam("stream_id"))
    if by_version:
        query = query.where(Assessment.role_version_id == bindparam("version_id"))
    if by_status:
        query = query.where(status_expression() == bindparam("status"))
    return query


@prebuilt
def _count_statement(shape: tuple[bool, bool, bool, bool]) -> Executable:
    return narrow(select(func.count(Assessment.id)), shape)


def count_assessments(filters: AssessmentFilters = AssessmentFilters()) -> int:
    """How many assessments match the filters (one query)."""
    return int(statements.one(_count_statement(filters.shape), **filters.params)[0])


@dataclass(frozen=True)
class CandidateRow:
    """One row of the candidates list, read as plain values (no ORM objects to build)."""

    assessment_id: int
    candidate_id: int
    name: str
    current_role: str
    stream: str | None
    version_label: str
    status: str
    self_status: str | None  # None (not started), draft or submitted
    self_submitted_at: datetime | None
    self_imported: bool
    progress: Progress
    created_at: datetime
    decision: str | None = None
    evidence: Evidence | None = None
    self_due_on: date | None = None

    @property
    def status_label(self) -> str:
        """Human name of the status; a decided one says what was decided ("Selected")."""
        return status_label(self.status, self.decision)


@prebuilt
def _candidate_rows_statement(shape: tuple[bool, bool, bool, bool]) -> Executable:
    answered = (
        select(func.count(SelfRating.id))
        .where(SelfRating.self_assessment_id == SelfAssessment.id, SelfRating.level.is_not(None))
        .correlate(SelfAssessment)
        .scalar_subquery()
    )
    # The page's ids first (cheap to sort), so the per-row subqueries run for these rows only.
    page = (
        narrow(select(Assessment.id), shape)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
    query = (
        select(
            Assessment.id,
            Assessment.candidate_id,
            User.name,
            ExecProfile.current_role,
            ValueStream.name,
            Assessment.role_version_id,
            status_expression(),
            SelfAssessment.status,
            SelfAssessment.submitted_at,
            SelfAssessment.imported,
            answered,
            Assessment.created_at,
            Assessment.decision,
            ScoreSnapshot.interviews_assigned,
            ScoreSnapshot.interviews_submitted,
            ScoreSnapshot.panel_ratings,
            ScoreSnapshot.self_submitted,
            Assessment.self_due_on,
        )
        .select_from(Assessment)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ExecProfile, ExecProfile.user_id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .outerjoin(SelfAssessment, SelfAssessment.assessment_id == Assessment.id)
        .outerjoin(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .where(Assessment.id.in_(page.scalar_subquery()))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    )
    return query


def candidate_rows(
    filters: AssessmentFilters,
    *,
    offset: int,
    limit: int,
    versions: Iterable[VersionChoice] = (),
) -> list[CandidateRow]:
    """One page of the candidates list, newest first, in one query for the rows.

    `versions` are role versions already loaded (the filter's); any other version a row uses
    is loaded in one more query, so the count never grows with the rows.
    """
    score_snapshots.settle()
    rows = statements.rows(
        _candidate_rows_statement(filters.shape), offset=offset, limit=limit, **filters.params
    )
    known = {v.id: v for v in versions}
    missing = sorted({row[5] for row in rows} - set(known))
    if missing:
        known.update((v.id, v) for v in version_choices(missing))
    totals = {vid: v.competencies for vid, v in known.items()}
    return [
        CandidateRow(
            assessment_id=row[0],
            candidate_id=row[1],
            name=row[2],
            current_role=row[3] or "",
            stream=row[4],
            version_label=known[row[5]].label,
            status=row[6],
            self_status=row[7],
            self_submitted_at=row[8],
            self_imported=bool(row[9]),
            progress=Progress(min(row[10] or 0, totals[row[5]]), totals[row[5]]),
            created_at=row[11],
            decision=row[12],
            evidence=Evidence(row[13], row[14], row[15], bool(row[16]))
            if row[13] is not None
            else None,
            self_due_on=row[17],
        )
        for row in rows
    ]


def assessment_for_page(assessment_id: int) -> Assessment | None:
    """One assessment with what its pages show."""
    return load_assessment_for_candidate_page(assessment_id)


def assessments_of(user: User) -> list[Assessment]:
    """An exec's own assessments, newest first."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.candidate_id == user.id)
            .options(*candidate_page_options())
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        )
    )
