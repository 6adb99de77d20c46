"""Value streams: their team's hats, the functions they need, their candidates, and saving them.

Functions here flush and never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, bindparam, func, select

from app import audit, statements
from app.candidates.errors import CandidateError, StaleRecord
from app.candidates.listing import status_expression
from app.extensions import db
from app.models import (
    ASSESSMENT_STATUSES,
    HATS,
    Assessment,
    ExecProfile,
    RoleVersion,
    User,
    ValueStream,
)
from app.pagination import Paging, paging
from app.roles.versions import published_versions, version_choices
from app.statements import prebuilt
from assessments import experience as experience_rules
from assessments.experience import Coverage
from assessments.status import DECISION_LABELS, status_label


@prebuilt
def _stream_names() -> Executable:
    return select(ValueStream.id, ValueStream.name).order_by(ValueStream.name)


def stream_names() -> list[Sequence[Any]]:
    """(id, name) of every value stream by name, for filters."""
    return statements.rows(_stream_names())


def function_options(extra: Iterable[str] = ()) -> list[str]:
    """Functions a value stream can need: the Product Director role's first, then other roles'.

    Taken from the latest published version of each role, plus `extra` (functions already
    recorded on a stream or profile), so editing never drops a function a role later lost.
    """
    seen: dict[str, None] = {}
    latest: dict[int, RoleVersion] = {}
    for version in published_versions():
        latest.setdefault(version.definition_id, version)
    for version in latest.values():
        for name in version.content.get("functions", []):
            seen.setdefault(name, None)
    for name in extra:
        seen.setdefault(name, None)
    return list(seen)


@dataclass(frozen=True)
class HatRow:
    """One hat a stream team needs, and who wears it (empty when missing)."""

    key: str
    label: str
    person: str

    @property
    def missing(self) -> bool:
        """Nobody wears this hat."""
        return not self.person


def hat_rows(stream: ValueStream) -> list[HatRow]:
    """The five hats in a fixed order with the person wearing each."""
    hats = stream.hats or {}
    return [HatRow(key, label, (hats.get(key) or "").strip()) for key, label in HATS.items()]


# How many candidates the value stream list names per stream; beyond that it counts them.
NAMES_PER_STREAM = 5


@dataclass(frozen=True)
class NamedCandidate:
    """A candidate named on the list of streams, with where their assessment stands."""

    name: str
    status: str
    decision: str | None = None

    @property
    def status_label(self) -> str:
        """Human name of the status; a decided one says what was decided ("Selected")."""
        return status_label(self.status, self.decision)


@dataclass(frozen=True)
class StreamSummary:
    """A stream's candidates for the list of streams: how many in each status (by its label,
    decided ones by their decision), and the first
    few by name (all of them when there are no more than NAMES_PER_STREAM)."""

    total: int
    by_status: dict[str, int]
    first: list[NamedCandidate]

    @property
    def more(self) -> int:
        """Candidates not named."""
        return self.total - len(self.first)


@prebuilt
def _status_counts_by_stream() -> Executable:
    status = status_expression().label("status")
    return (
        select(Assessment.value_stream_id, status, Assessment.decision, func.count())
        .where(Assessment.value_stream_id.is_not(None))
        .group_by(Assessment.value_stream_id, status, Assessment.decision)
    )


@prebuilt
def _first_candidates_by_stream() -> Executable:
    rank = (
        func.row_number()
        .over(
            partition_by=Assessment.value_stream_id, order_by=(func.lower(User.name), Assessment.id)
        )
        .label("rank")
    )
    ranked = (
        select(Assessment.id, User.name, rank)
        .join(User, User.id == Assessment.candidate_id)
        .where(Assessment.value_stream_id.is_not(None))
        .subquery()
    )
    # The status is worked out only for the few rows shown, after ranking, not for every one.
    return (
        select(Assessment.value_stream_id, ranked.c.name, status_expression(), Assessment.decision)
        .join(ranked, ranked.c.id == Assessment.id)
        .where(ranked.c.rank <= NAMES_PER_STREAM)
        .order_by(Assessment.value_stream_id, ranked.c.rank)
    )


def stream_summaries(streams: Sequence[ValueStream]) -> dict[int, StreamSummary]:
    """Candidate counts per status and the first few candidates of each stream, in a constant
    number of queries however many candidates there are."""
    counts: dict[int, dict[str, int]] = {s.id: {} for s in streams}
    for stream_id, key, decision, number in statements.rows(_status_counts_by_stream()):
        if stream_id in counts:
            # Decided ones are counted by their decision: "1 selected, 2 not selected".
            label = status_label(key, decision)
            counts[stream_id][label] = counts[stream_id].get(label, 0) + number
    named: dict[int, list[NamedCandidate]] = {}
    first = statements.rows(_first_candidates_by_stream())
    for stream_id, name, key, decision in first:
        named.setdefault(stream_id, []).append(NamedCandidate(name, key, decision))
    labels = [status_label(k) for k in ASSESSMENT_STATUSES if k != "decided"]
    order = {label: index for index, label in enumerate([*labels, *DECISION_LABELS.values()])}
    return {
        stream.id: StreamSummary(
            total=sum(counts[stream.id].values()),
            by_status=dict(sorted(counts[stream.id].items(), key=lambda item: order[item[0]])),
            first=named.get(stream.id, []),
        )
        for stream in streams
    }


@prebuilt
def _streams_by_name() -> Executable:
    return select(ValueStream).order_by(ValueStream.name)


def stream_options() -> list[ValueStream]:
    """Every value stream by name, without its candidates (for filters and choices)."""
    return list(db.session.scalars(_streams_by_name()))


# A value stream's page lists its candidates 25 at a time (a stream can hold hundreds).
STREAM_PAGE_SIZE = 25


@dataclass(frozen=True)
class StreamCandidate:
    """One candidate on a value stream's page, read as plain values."""

    id: int
    candidate_id: int
    name: str
    current_role: str
    has_profile: bool
    coverage: Coverage
    version_label: str
    status: str
    decision: str | None

    @property
    def status_label(self) -> str:
        """Human name of the status."""
        return ASSESSMENT_STATUSES[self.status]


@prebuilt
def _stream_count() -> Executable:
    return select(func.count(Assessment.id)).where(
        Assessment.value_stream_id == bindparam("stream_id")
    )


@prebuilt
def _stream_candidates() -> Executable:
    by_name = (func.lower(User.name), Assessment.id)
    # The page's ids first (sorting needs only the name), so the status is worked out for the
    # rows shown only.
    page = (
        select(Assessment.id)
        .join(User, User.id == Assessment.candidate_id)
        .where(Assessment.value_stream_id == bindparam("stream_id"))
        .order_by(*by_name)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return (
        select(
            Assessment.id,
            Assessment.candidate_id,
            User.name,
            ExecProfile.user_id,
            ExecProfile.current_role,
            ExecProfile.experience,
            Assessment.role_version_id,
            status_expression(),
            Assessment.decision,
        )
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ExecProfile, ExecProfile.user_id == Assessment.candidate_id)
        .where(Assessment.id.in_(page.scalar_subquery()))
        .order_by(*by_name)
    )


def stream_candidates(
    stream: ValueStream, requested: int | None
) -> tuple[Paging, list[StreamCandidate]]:
    """One page of the stream's candidates by name, with their experience against the
    functions the stream needs (a fixed number of queries whatever the number of candidates)."""
    total = int(statements.one(_stream_count(), stream_id=stream.id)[0])
    paged = paging(total, requested, STREAM_PAGE_SIZE)
    if total == 0:
        return paged, []
    rows = statements.rows(
        _stream_candidates(), stream_id=stream.id, offset=paged.offset, limit=paged.per_page
    )
    labels = {v.id: v.label for v in version_choices({row[6] for row in rows})}
    functions = stream.functions or []
    return paged, [
        StreamCandidate(
            id=a_id,
            candidate_id=candidate_id,
            name=name,
            current_role=current_role or "",
            has_profile=profile_id is not None,
            coverage=experience_rules.coverage(
                functions, experience if profile_id is not None else None
            ),
            version_label=labels[version_id],
            status=status,
            decision=decision,
        )
        for (
            a_id,
            candidate_id,
            name,
            profile_id,
            current_role,
            experience,
            version_id,
            status,
            decision,
        ) in rows
    ]


def _stream_snapshot(stream: ValueStream) -> dict[str, Any]:
    return {
        "name": stream.name,
        "journey": stream.journey,
        "business_owner": stream.business_owner,
        "functions": list(stream.functions or []),
        "hats": dict(stream.hats or {}),
    }


def save_stream(
    stream: ValueStream | None,
    *,
    name: str,
    journey: str,
    business_owner: str,
    functions: list[str],
    hats: Mapping[str, str],
    expected_version: int | None = None,
) -> ValueStream:
    """Create a value stream (stream None) or update one; names are unique.

    With `expected_version`, an update of a stream saved since (another version) raises
    StaleRecord and changes nothing."""
    if stream is not None and expected_version is not None and expected_version != stream.version:
        raise StaleRecord()
    name = name.strip()
    clash = db.session.scalar(
        select(ValueStream).where(func.lower(ValueStream.name) == name.lower())
    )
    if clash is not None and clash is not stream:
        raise CandidateError(
            f"A value stream called {clash.name} already exists: choose another name"
        )
    old = _stream_snapshot(stream) if stream is not None else None
    if stream is None:
        stream = ValueStream(name=name)
        db.session.add(stream)
    stream.name = name
    stream.journey = journey.strip()
    stream.business_owner = business_owner.strip()
    stream.functions = list(functions)
    stream.hats = {key: (hats.get(key) or "").strip() for key in HATS}
    db.session.flush()
    new = _stream_snapshot(stream)
    if old != new:
        audit.record(
            "stream.create" if old is None else "stream.update",
            f"Value stream {stream.name} {'created' if old is None else 'updated'}",
            obj=stream,
            old=old,
            new=new,
        )
    return stream
