"""The download centre's listing: documents, shortlists and blank guides, read as plain rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import g
from sqlalchemy import (
    Executable,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)

from app import localtime, score_snapshots, statements
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
from app.models.base import UTCDateTime
from app.models.roles import version_label
from app.pagination import Paging, paging
from app.policy import may
from app.reports import documents
from app.scores import own_seats
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


# Small pages keep the list cheap; exports of more take "all that match" (docs/decisions.md).
PAGE_SIZE = 25


# One statement lists both kinds of document (UNION ALL), so the database filters, counts,
# sorts and pages them: a page costs the same whatever the size of the organisation.
_DocShape = tuple[bool, bool, bool, str, tuple[str, ...], bool, bool, bool]


def _report_rows(by_stream: bool, decision: str, hide: bool) -> Select:  # type: ignore[type-arg]
    """Scored assessments' readiness reports as document rows; `decision` is "" (any),
    "awaiting" or "decided" (bound value)."""
    on = func.coalesce(Assessment.decided_at, ScoreSnapshot.last_interview_at)
    query = (
        select(
            literal("readiness", String).label("kind"),
            Assessment.id.label("id"),
            Assessment.id.label("assessment_id"),
            literal(None, Integer).label("number"),
            Assessment.decision.label("status"),
            type_coerce(on, UTCDateTime).label("on_at"),
        )
        .join(ScoreSnapshot, ScoreSnapshot.assessment_id == Assessment.id)
        .where(ScoreSnapshot.interviews_submitted > 0)
    )
    if by_stream:
        query = query.where(Assessment.value_stream_id == bindparam("stream_id"))
    if decision == "awaiting":
        query = query.where(Assessment.decision.is_(None))
    elif decision == "decided":
        query = query.where(Assessment.decision == bindparam("decision"))
    if hide:  # the viewer's own panels they have not submitted to (independence)
        query = query.where(Assessment.id.not_in(bindparam("hidden", expanding=True)))
    return query


def _plan_rows(by_stream: bool, statuses: tuple[str, ...]) -> Select:  # type: ignore[type-arg]
    """Issued and superseded plans as document rows."""
    query = select(
        literal("plan", String).label("kind"),
        CoachingPlan.id.label("id"),
        CoachingPlan.assessment_id.label("assessment_id"),
        CoachingPlan.number.label("number"),
        CoachingPlan.status.label("status"),
        CoachingPlan.issued_at.label("on_at"),
    ).where(CoachingPlan.status.in_(statuses))
    if by_stream:
        query = query.join(Assessment, Assessment.id == CoachingPlan.assessment_id).where(
            Assessment.value_stream_id == bindparam("stream_id")
        )
    return query


@prebuilt
def _documents_statement(shape: _DocShape, mode: str) -> Executable:
    """How many documents match ("count"), or their rows newest first: one page ("page") or
    all of them ("all", ids only)."""
    reports, plans, by_stream, decision, statuses, date_from, date_to, hide = shape
    parts = []
    if reports:
        parts.append(_report_rows(by_stream, decision, hide))
    if plans:
        parts.append(_plan_rows(by_stream, statuses))
    docs = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("docs")
    query = select(func.count() if mode == "count" else docs).select_from(docs)
    if date_from:
        query = query.where(docs.c.on_at >= bindparam("from_at"))
    if date_to:
        query = query.where(docs.c.on_at < bindparam("before_at"))
    if mode == "count":
        return query
    query = query.order_by(docs.c.on_at.desc().nulls_last(), docs.c.kind.desc(), docs.c.id.desc())
    if mode == "all":
        return query
    # Sort and cut the page on the narrow rows first; names are joined for its rows only.
    page = query.limit(bindparam("limit")).offset(bindparam("offset")).subquery("page")
    return (
        select(page, User.name, ValueStream.name, Assessment.role_version_id)
        .join(Assessment, Assessment.id == page.c.assessment_id)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .order_by(page.c.on_at.desc().nulls_last(), page.c.kind.desc(), page.c.id.desc())
    )


def _hidden_reports(viewer: Any) -> list[int]:
    """Assessments whose readiness report the viewer may not read yet: panels they sit on
    and have not submitted to (one query over the viewer's own seats)."""
    return sorted(
        a_id
        for a_id, seat in own_seats(viewer).items()
        if not may(viewer, "panel.view_input", seat)
    )


def _query(filters: Filters, viewer: Any) -> tuple[_DocShape, dict[str, Any]] | None:
    """The statement's shape and values for these filters (None when nothing can match)."""
    reports = filters.kind in ("", "readiness") and filters.status not in ("issued", "superseded")
    plans = filters.kind in ("", "plan") and filters.status in ("", "issued", "superseded")
    if not (reports or plans):
        return None
    decision = (
        "awaiting"
        if filters.status == "awaiting-decision"
        else "decided"
        if filters.status in DECISIONS
        else ""
    )
    statuses = (
        (filters.status,)
        if filters.status in ("issued", "superseded")
        else ("issued", "superseded")
    )
    hidden = _hidden_reports(viewer) if reports else []
    if reports:
        score_snapshots.settle()
    shape: _DocShape = (
        reports,
        plans,
        bool(filters.stream_id),
        decision,
        statuses,
        bool(filters.date_from),
        bool(filters.date_to),
        bool(hidden),
    )
    params = {
        "stream_id": filters.stream_id,
        "decision": filters.status,
        "hidden": hidden,
        "from_at": _start(filters.date_from) if filters.date_from else None,
        "before_at": _start(filters.date_to + timedelta(days=1)) if filters.date_to else None,
    }
    return shape, params


def documents_page(
    filters: Filters, viewer: Any, requested: int | None
) -> tuple[Paging, list[Listed]]:
    """One page of the issued coaching plans and scored assessments' readiness reports that
    match the filters and that the viewer may read (no readiness report of a panel they have
    not yet submitted to), newest first, and how many match in all. The database filters,
    counts, sorts and pages: a fixed number of queries whatever the number of documents.
    """
    query = _query(filters, viewer)
    if query is None:
        return paging(0, requested, PAGE_SIZE), []
    shape, params = query
    total = int(statements.one(_documents_statement(shape, "count"), **params)[0])
    paged = paging(total, requested, PAGE_SIZE)
    if total == 0:
        return paged, []
    found = statements.rows(
        _documents_statement(shape, "page"), **params, offset=paged.offset, limit=paged.per_page
    )
    labels = _labels(row[8] for row in found)
    return paged, [_listed(row, labels) for row in found]


def all_document_refs(filters: Filters, viewer: Any) -> list[str]:
    """Every matching document the viewer may read, on every page, newest first (for
    "download all that match")."""
    query = _query(filters, viewer)
    if query is None:
        return []
    shape, params = query
    found = statements.rows(_documents_statement(shape, "all"), **params)
    return [f"{row[0]}:{row[1]}" for row in found]


def _listed(row: Any, labels: dict[int, str]) -> Listed:
    kind, doc_id, _assessment_id, number, status, on_at, name, stream, version_id = row
    on = localtime.local_date(on_at) if on_at is not None else None
    if kind == "plan":
        return Listed(
            ref=f"plan:{doc_id}",
            kind="plan",
            candidate=name,
            stream=stream or documents.DASH,
            role=f"Plan v{number} · {labels[version_id]}",
            status="In force" if status == "issued" else "Superseded",
            on=on,
            endpoint="reports.plan_pdf",
            args={"plan_id": doc_id},
        )
    return Listed(
        ref=f"readiness:{doc_id}",
        kind="readiness",
        candidate=name,
        stream=stream or documents.DASH,
        role=labels[version_id],
        status=DECISIONS[status] if status else "Awaiting decision",
        on=on,
        endpoint="reports.readiness_pdf",
        args={"assessment_id": doc_id},
    )


@prebuilt
def _stream_names_statement() -> Executable:
    return select(ValueStream.id, ValueStream.name).order_by(ValueStream.name)


def value_streams() -> list[tuple[int, str]]:
    """(id, name) of every value stream, by name, for the filter (not their JSON)."""
    return [(int(row[0]), str(row[1])) for row in statements.rows(_stream_names_statement())]


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
