"""The download centre's listing: documents, shortlists and blank guides, read as plain rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import g
from sqlalchemy import Executable, bindparam, func, select

from app import localtime, score_snapshots, statements
from app.extensions import db
from app.models import (
    DECISIONS,
    Assessment,
    CoachingPlan,
    RoleDefinition,
    RoleVersion,
    ScoreSnapshot,
    User,
    ValueStream,
)
from app.models.roles import version_label
from app.policy import may
from app.reports import documents
from app.scores import OFF_PANEL, own_seats
from app.statements import prebuilt

# --- the download centre's listing -----------------------------------------------------------

# Decisions apply to readiness reports, "in force" and "superseded" to coaching plans.
STATUS_FILTERS: dict[str, str] = {
    "awaiting-decision": "Awaiting decision",
    "selected": "Selected",
    "not-selected": "Not selected",
    "on-hold": "On hold",
    "issued": "Plan in force",
    "superseded": "Plan superseded",
}
KIND_FILTERS: dict[str, str] = {"readiness": "Readiness reports", "plan": "Coaching plans"}


@dataclass(frozen=True)
class Filters:
    """What HR narrowed the download centre to (empty means everything)."""

    kind: str = ""
    stream_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Listed:
    """One downloadable document in the download centre."""

    ref: str
    kind: str
    candidate: str
    stream: str
    role: str
    status: str
    on: date | None
    endpoint: str
    args: dict[str, int]

    @property
    def kind_label(self) -> str:
        """E.g. 'Coaching plan v2'."""
        return documents.KINDS[self.kind]


def _start(day: date) -> datetime:
    return localtime.day_start(day)


# The download centre reads plain rows, not objects: it lists every document, and loading
# whole assessments, plans and role versions (with their JSON) for a line each is most of the
# page's time. Rows carry a role version's id; its label is read once per request.


@prebuilt
def _labels_statement() -> Executable:
    return (
        select(RoleVersion.id, RoleVersion.name_expression(), RoleVersion.number)
        .join(RoleDefinition, RoleDefinition.id == RoleVersion.definition_id)
        .where(RoleVersion.id.in_(bindparam("ids", expanding=True)))
    )


def _labels(ids: Iterable[int]) -> dict[int, str]:
    """Labels of these role versions, each read from the database once per request: the name
    is inside the version's JSON, which is worth parsing once per version, not once per row."""
    known: dict[int, str] = g.setdefault("role_version_labels", {})
    missing = sorted(set(ids) - known.keys())
    if missing:
        for version_id, name, number in statements.rows(_labels_statement(), ids=missing):
            known[version_id] = version_label(name, number)
    return known


@prebuilt
def _scored_statement(by_stream: bool, decision: str) -> Executable:
    """Scored assessments, with their latest interview read from the score snapshot; `decision`
    is "" (any), "awaiting" or "decided" (bound value)."""
    query = (
        select(
            Assessment.id,
            User.name,
            ValueStream.name,
            Assessment.role_version_id,
            Assessment.decision,
            Assessment.decided_at,
            ScoreSnapshot.last_interview_at,
        )
        .join(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .where(ScoreSnapshot.interviews_submitted > 0)
    )
    if by_stream:
        query = query.where(Assessment.value_stream_id == bindparam("stream_id"))
    if decision == "awaiting":
        query = query.where(Assessment.decision.is_(None))
    elif decision == "decided":
        query = query.where(Assessment.decision == bindparam("decision"))
    return query


def _scored_assessments(filters: Filters) -> list[Any]:
    """(id, candidate, stream, role version id, decision, decided_at, last submitted)."""
    decision = (
        "awaiting"
        if filters.status == "awaiting-decision"
        else "decided"
        if filters.status in DECISIONS
        else ""
    )
    return statements.rows(
        _scored_statement(bool(filters.stream_id), decision),
        stream_id=filters.stream_id,
        decision=filters.status,
    )


def _report_date(decided_at: datetime | None, last_submitted: datetime | None) -> date | None:
    """The day a readiness report last changed: the decision, else the latest interview."""
    if decided_at is not None:
        return localtime.local_date(decided_at)
    return localtime.local_date(last_submitted) if last_submitted is not None else None


@prebuilt
def _plans_statement(
    by_stream: bool, statuses: tuple[str, ...], date_from: bool, date_to: bool
) -> Executable:
    """Issued and superseded plans, narrowed by the filters that are set (values bound)."""
    query = (
        select(
            CoachingPlan.id,
            CoachingPlan.number,
            CoachingPlan.status,
            CoachingPlan.issued_at,
            User.name,
            ValueStream.name,
            Assessment.role_version_id,
        )
        .join(Assessment, Assessment.id == CoachingPlan.assessment_id)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .where(CoachingPlan.status.in_(statuses))
    )
    if by_stream:
        query = query.where(Assessment.value_stream_id == bindparam("stream_id"))
    if date_from:
        query = query.where(CoachingPlan.issued_at >= bindparam("issued_from"))
    if date_to:
        query = query.where(CoachingPlan.issued_at < bindparam("issued_before"))
    return query


def _issued_plans(filters: Filters) -> list[Any]:
    """(id, number, status, issued_at, candidate, stream, role version id)."""
    statuses = (
        (filters.status,)
        if filters.status in ("issued", "superseded")
        else ("issued", "superseded")
    )
    return statements.rows(
        _plans_statement(
            bool(filters.stream_id), statuses, bool(filters.date_from), bool(filters.date_to)
        ),
        stream_id=filters.stream_id,
        issued_from=_start(filters.date_from) if filters.date_from else None,
        issued_before=_start(filters.date_to + timedelta(days=1)) if filters.date_to else None,
    )


def list_documents(filters: Filters, viewer: Any) -> list[Listed]:
    """Every issued coaching plan and every scored assessment's readiness report, filtered,
    that the viewer may read (no readiness report of a panel they have not yet submitted to).

    Newest first. A fixed number of queries whatever the number of rows.
    """
    rows: list[Listed] = []
    want_reports = filters.kind in ("", "readiness") and filters.status not in (
        "issued",
        "superseded",
    )
    want_plans = filters.kind in ("", "plan") and filters.status in ("", "issued", "superseded")
    if want_reports:
        score_snapshots.settle()
    reports = _scored_assessments(filters) if want_reports else []
    plans = _issued_plans(filters) if want_plans else []
    labels = _labels([r[3] for r in reports] + [p[6] for p in plans])
    seats = own_seats(viewer) if reports else {}
    for a_id, name, stream, version_id, decision, decided_at, last in reports:
        if not may(viewer, "panel.view_input", seats.get(a_id, OFF_PANEL)):
            continue
        on = _report_date(decided_at, last)
        if filters.date_from and (on is None or on < filters.date_from):
            continue
        if filters.date_to and (on is None or on > filters.date_to):
            continue
        rows.append(
            Listed(
                ref=f"readiness:{a_id}",
                kind="readiness",
                candidate=name,
                stream=stream or documents.DASH,
                role=labels[version_id],
                status=DECISIONS[decision] if decision else "Awaiting decision",
                on=on,
                endpoint="reports.readiness_pdf",
                args={"assessment_id": a_id},
            )
        )
    for p_id, p_number, status, issued_at, name, stream, version_id in plans:
        rows.append(
            Listed(
                ref=f"plan:{p_id}",
                kind="plan",
                candidate=name,
                stream=stream or documents.DASH,
                role=f"Plan v{p_number} · {labels[version_id]}",
                status="In force" if status == "issued" else "Superseded",
                on=localtime.local_date(issued_at) if issued_at else None,
                endpoint="reports.plan_pdf",
                args={"plan_id": p_id},
            )
        )
    rows.sort(key=lambda r: (r.on or date.min, r.ref), reverse=True)
    return rows


def value_streams() -> list[ValueStream]:
    """Every value stream, by name."""
    return list(db.session.scalars(select(ValueStream).order_by(ValueStream.name)))


@dataclass(frozen=True)
class ShortlistLink:
    """A value stream and role version with candidates: one shortlist to download."""

    stream_id: int
    stream_name: str
    version_id: int
    version_label: str
    candidates: int


@prebuilt
def _shortlists_statement() -> Executable:
    # Count by ids first, then name the few pairs: the role's name is read out of its JSON,
    # which must not happen once per assessment.
    counts = (
        select(
            Assessment.value_stream_id,
            Assessment.role_version_id,
            func.count().label("candidates"),
        )
        .where(Assessment.value_stream_id.is_not(None))
        .group_by(Assessment.value_stream_id, Assessment.role_version_id)
        .subquery()
    )
    return (
        select(
            ValueStream.id,
            ValueStream.name,
            RoleVersion.id,
            RoleVersion.status,
            counts.c.candidates,
        )
        .select_from(counts)
        .join(ValueStream, ValueStream.id == counts.c.value_stream_id)
        .join(RoleVersion, RoleVersion.id == counts.c.role_version_id)
        .order_by(ValueStream.name, RoleVersion.number)
    )


@dataclass(frozen=True)
class _VersionStatus:
    """A role version as the policy's visibility rule sees it."""

    status: str


def shortlists(viewer: Any) -> list[ShortlistLink]:
    """Each (value stream, role version) pair that has assessments, with their number, for
    the role versions the viewer may see (no drafts for HR)."""
    rows = [
        row
        for row in statements.rows(_shortlists_statement())
        if may(viewer, "roles.view", _VersionStatus(str(row[3])))
    ]
    labels = _labels(row[2] for row in rows)
    return [
        ShortlistLink(stream_id, stream, version_id, labels[version_id], candidates)
        for stream_id, stream, version_id, _status, candidates in rows
    ]


@dataclass(frozen=True)
class GuideLink:
    """A published role version whose blank interview guide can be downloaded."""

    version_id: int
    label: str


@prebuilt
def _guides_statement() -> Executable:
    return (
        select(RoleVersion.id)
        .join(RoleDefinition, RoleDefinition.id == RoleVersion.definition_id)
        .where(RoleVersion.status == "published")
        .order_by(RoleDefinition.name, RoleVersion.number.desc())
    )


def guide_versions() -> list[GuideLink]:
    """Published role versions (newest first within each role), for blank interview guides."""
    ids = [row[0] for row in statements.rows(_guides_statement())]
    labels = _labels(ids)
    return [GuideLink(version_id, labels[version_id]) for version_id in ids]
