"""Value streams, exec profiles, assessments and self-assessments: queries and changes.

Functions here flush and never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from flask import url_for
from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    bindparam,
    case,
    exists,
    func,
    select,
)
from sqlalchemy.orm import aliased, contains_eager, selectinload

from app import audit, statements
from app.auth import services as accounts
from app.extensions import db
from app.models import (
    ASSESSMENT_STATUSES,
    EXPERIENCE_LEVELS,
    HATS,
    Assessment,
    ExecProfile,
    Interview,
    RoleDefinition,
    RoleVersion,
    SelfAssessment,
    SelfRating,
    User,
    ValueStream,
)
from app.models.base import utcnow
from app.models.roles import version_label
from app.statements import prebuilt
from app.steps import NextStep, provides_steps
from assessments.model import LENS_LABELS, LENSES, Competency
from assessments.model import RoleDefinition as RoleData

DEFAULT_ROLE_KEY = "product-director"
EVIDENCE_REQUIRED_FROM = 3
EVIDENCE_MAX = 4000


class CandidateError(ValueError):
    """A request that cannot be carried out, with a message for the person who asked."""


class StaleRecord(Exception):
    """Someone else saved the record after this form was opened: nothing was overwritten."""


class DuplicateAssessment(CandidateError):
    """The exec already has an open assessment for this stream and role version."""

    def __init__(self, existing: Assessment) -> None:
        self.existing = existing
        stream = existing.value_stream.name if existing.value_stream else "no value stream"
        super().__init__(
            f"{existing.candidate.name} already has an open assessment for {stream} against "
            f"{existing.role_version.label} ({existing.status_label.lower()}). "
            "Choose another value stream or role version, or open the existing assessment."
        )


class StaleSelfAssessment(CandidateError):
    """The self-assessment changed since the form was loaded (another tab or window)."""

    def __init__(self) -> None:
        super().__init__(
            "These answers were changed in another window or tab after you opened this page, "
            "so your changes on this page have not been saved. Compare them with the saved "
            "answers shown below, then save again to keep yours."
        )


class AlreadySubmitted(CandidateError):
    """A submitted self-assessment is read-only until the CPO reopens it."""


# ---------------------------------------------------------------------------
# Role versions and the functions a stream can need


# Parsed roles by loaded RoleVersion object, with the content they were parsed from.
_PARSED: WeakKeyDictionary[RoleVersion, tuple[object, RoleData]] = WeakKeyDictionary()


def role_of(version: RoleVersion) -> RoleData:
    """`version.role`, remembered on the loaded version: list pages ask once per row.

    `RoleVersion.role` caches by content but serialises and hashes the content on every call;
    this skips even that while the version's content object is the same one. The role is a
    frozen dataclass, so sharing it is safe.
    """
    cached = _PARSED.get(version)
    if cached is not None and cached[0] is version.content:
        return cached[1]
    role = version.role
    _PARSED[version] = (version.content, role)
    return role


@prebuilt
def _published_versions() -> Executable:
    return (
        select(RoleVersion)
        .join(RoleDefinition)
        .where(RoleVersion.status == "published")
        .options(contains_eager(RoleVersion.definition))
        .order_by(RoleDefinition.name, RoleVersion.number.desc())
    )


def published_versions() -> list[RoleVersion]:
    """Every published role version, default role first, newest first within a role."""
    versions = db.session.scalars(_published_versions()).all()
    return sorted(versions, key=lambda v: v.definition.key != DEFAULT_ROLE_KEY)


@dataclass(frozen=True)
class VersionChoice:
    """A role version as lists show it: id, label and how many competencies it has."""

    id: int
    label: str
    competencies: int


@prebuilt
def _version_choices(published: bool) -> Executable:
    # The name and the competency count are read out of the JSON in SQL: lists need only
    # these, not the whole 20 KB of content per version.
    query = select(
        RoleVersion.id,
        RoleVersion.name_expression(),
        RoleVersion.number,
        RoleDefinition.key,
        func.json_array_length(RoleVersion.content["competencies"]),
    ).join(RoleDefinition, RoleDefinition.id == RoleVersion.definition_id)
    if published:
        return query.where(RoleVersion.status == "published").order_by(
            RoleDefinition.name, RoleVersion.number.desc()
        )
    return query.where(RoleVersion.id.in_(bindparam("ids", expanding=True)))


def _choices(rows: Iterable[Sequence[Any]]) -> list[VersionChoice]:
    return [VersionChoice(r[0], version_label(r[1], r[2]), int(r[4] or 0)) for r in rows]


def published_version_choices() -> list[VersionChoice]:
    """`published_versions` as plain values, in the same order (default role first)."""
    rows = sorted(statements.rows(_version_choices(True)), key=lambda r: r[3] != DEFAULT_ROLE_KEY)
    return _choices(rows)


@prebuilt
def _stream_names() -> Executable:
    return select(ValueStream.id, ValueStream.name).order_by(ValueStream.name)


def stream_names() -> list[Sequence[Any]]:
    """(id, name) of every value stream by name, for filters."""
    return statements.rows(_stream_names())


def default_role_version() -> RoleVersion | None:
    """The latest published version of the Product Director role, else any published version."""
    versions = published_versions()
    return versions[0] if versions else None


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


# ---------------------------------------------------------------------------
# Value streams


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

    @property
    def status_label(self) -> str:
        """Human name of the status."""
        return ASSESSMENT_STATUSES[self.status]


@dataclass(frozen=True)
class StreamSummary:
    """A stream's candidates for the list of streams: how many in each status, and the first
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
        select(Assessment.value_stream_id, status, func.count())
        .where(Assessment.value_stream_id.is_not(None))
        .group_by(Assessment.value_stream_id, status)
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
        select(Assessment.value_stream_id, ranked.c.name, status_expression())
        .join(ranked, ranked.c.id == Assessment.id)
        .where(ranked.c.rank <= NAMES_PER_STREAM)
        .order_by(Assessment.value_stream_id, ranked.c.rank)
    )


def stream_summaries(streams: Sequence[ValueStream]) -> dict[int, StreamSummary]:
    """Candidate counts per status and the first few candidates of each stream, in a constant
    number of queries however many candidates there are."""
    counts: dict[int, dict[str, int]] = {s.id: {} for s in streams}
    for stream_id, key, number in statements.rows(_status_counts_by_stream()):
        if stream_id in counts:
            counts[stream_id][key] = number
    named: dict[int, list[NamedCandidate]] = {}
    first = statements.rows(_first_candidates_by_stream())
    for stream_id, name, key in first:
        named.setdefault(stream_id, []).append(NamedCandidate(name, key))
    order = {key: index for index, key in enumerate(ASSESSMENT_STATUSES)}
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


def stream_with_candidates(stream_id: int) -> ValueStream | None:
    """One value stream with its assessments loaded for its page."""
    return db.session.scalar(
        select(ValueStream)
        .where(ValueStream.id == stream_id)
        .options(
            selectinload(ValueStream.assessments).selectinload(Assessment.candidate),
            selectinload(ValueStream.assessments).selectinload(Assessment.role_version),
            selectinload(ValueStream.assessments).selectinload(Assessment.self_assessment),
            selectinload(ValueStream.assessments).selectinload(Assessment.interviews),
        )
    )


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


# ---------------------------------------------------------------------------
# Exec profiles and experience against a stream's functions


def exec_users() -> list[User]:
    """Active and invited executives, by name."""
    return list(
        db.session.scalars(select(User).where(User.role == "exec", User.active).order_by(User.name))
    )


def profiles_for(user_ids: Iterable[int]) -> dict[int, ExecProfile]:
    """Exec profiles by user id, in one query."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(ExecProfile).where(ExecProfile.user_id.in_(ids)))
    return {p.user_id: p for p in rows}


def profile_of(user: User) -> ExecProfile | None:
    """The exec's profile, or None when they have not filled it in."""
    return db.session.get(ExecProfile, user.id)


def save_profile(
    user: User,
    *,
    current_role: str,
    business_area: str,
    experience: Mapping[str, str],
    expected_version: int | None = None,
) -> ExecProfile:
    """Create or update an exec's profile (audited with old and new values).

    With `expected_version` (0: no profile yet), a profile saved since raises StaleRecord."""
    for name, level in experience.items():
        if level not in EXPERIENCE_LEVELS:
            raise CandidateError(f"Experience in {name} must be none, some or deep")
    profile = profile_of(user)
    if expected_version is not None and expected_version != profile_version(profile):
        raise StaleRecord()
    old = None
    if profile is None:
        profile = ExecProfile(user_id=user.id)
        db.session.add(profile)
    else:
        old = {
            "current_role": profile.current_role,
            "business_area": profile.business_area,
            "experience": dict(profile.experience or {}),
        }
    profile.current_role = current_role.strip()
    profile.business_area = business_area.strip()
    profile.experience = dict(experience)
    db.session.flush()
    new = {
        "current_role": profile.current_role,
        "business_area": profile.business_area,
        "experience": dict(profile.experience),
    }
    if old != new:
        audit.record(
            "profile.update", f"Profile of {user.email} updated", obj=user, old=old, new=new
        )
    return profile


def profile_version(profile: ExecProfile | None) -> int:
    """The version an edit form carries: 0 while the exec has no profile yet."""
    return profile.version if profile is not None else 0


@dataclass(frozen=True)
class FunctionCoverage:
    """An exec's experience in one function a stream needs."""

    function: str
    level: str  # none, some, deep

    @property
    def label(self) -> str:
        """None, Some or Deep."""
        return EXPERIENCE_LEVELS[self.level]

    @property
    def gap(self) -> bool:
        """No experience in a function the stream needs."""
        return self.level == "none"


@dataclass(frozen=True)
class Coverage:
    """Experience per needed function, with a one-line summary."""

    rows: list[FunctionCoverage]

    @property
    def covered(self) -> int:
        """Functions with some or deep experience."""
        return sum(1 for r in self.rows if not r.gap)

    @property
    def gaps(self) -> list[str]:
        """Functions with no experience."""
        return [r.function for r in self.rows if r.gap]

    @property
    def summary(self) -> str:
        """E.g. '4 of 6 functions (2 deep, 2 some)'."""
        deep = sum(1 for r in self.rows if r.level == "deep")
        some = sum(1 for r in self.rows if r.level == "some")
        return f"{self.covered} of {len(self.rows)} functions ({deep} deep, {some} some)"


def needed_functions(assessment: Assessment) -> list[str]:
    """What the stream needs; without a stream, every function the role lists."""
    if assessment.value_stream is not None and assessment.value_stream.functions:
        return list(assessment.value_stream.functions)
    return list(assessment.role_version.content.get("functions", []))


def coverage(functions: Iterable[str], profile: ExecProfile | None) -> Coverage:
    """An exec's experience against a list of functions (missing entries count as none)."""
    experience = (profile.experience if profile else None) or {}
    return Coverage(
        [
            FunctionCoverage(
                f, experience.get(f, "none") if experience.get(f) in EXPERIENCE_LEVELS else "none"
            )
            for f in functions
        ]
    )


# ---------------------------------------------------------------------------
# Nominations and assessments


def create_exec(name: str, email: str) -> User:
    """A new exec without a password (they sign in after following an invite link)."""
    try:
        return accounts.create_user(email, name, "exec")
    except accounts.AccountError as exc:
        raise CandidateError(str(exc)) from exc


def open_assessment(
    candidate: User, stream: ValueStream | None, version: RoleVersion
) -> Assessment | None:
    """The exec's undecided assessment for this stream and role version, if any."""
    query = select(Assessment).where(
        Assessment.candidate_id == candidate.id,
        Assessment.role_version_id == version.id,
        Assessment.decision.is_(None),
    )
    if stream is None:
        query = query.where(Assessment.value_stream_id.is_(None))
    else:
        query = query.where(Assessment.value_stream_id == stream.id)
    return db.session.scalar(query.limit(1))


def nominate(
    candidate: User, stream: ValueStream, version: RoleVersion, *, actor: User | None
) -> Assessment:
    """Start an assessment of an exec for a stream against a published role version."""
    if candidate.role != "exec":
        raise CandidateError(f"{candidate.name} is not an executive, so cannot be nominated")
    if version.status != "published":
        raise CandidateError(f"{version.label} is not published: choose a published version")
    existing = open_assessment(candidate, stream, version)
    if existing is not None:
        raise DuplicateAssessment(existing)
    assessment = Assessment(
        candidate=candidate, value_stream=stream, role_version=version, created_by=actor
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        "assessment.nominate",
        f"{candidate.email} nominated for {stream.name} against {version.label}",
        obj=assessment,
        actor=actor,
        new={"candidate": candidate.email, "stream": stream.name, "role_version": version.label},
    )
    return assessment


def set_stream(assessment: Assessment, stream: ValueStream, *, actor: User | None) -> None:
    """Give an assessment (typically an imported one) its value stream."""
    existing = open_assessment(assessment.candidate, stream, assessment.role_version)
    if existing is not None and existing is not assessment:
        raise DuplicateAssessment(existing)
    old = assessment.value_stream.name if assessment.value_stream else None
    assessment.value_stream = stream
    db.session.flush()
    audit.record(
        "assessment.stream",
        f"Assessment of {assessment.candidate.email} now for {stream.name}",
        obj=assessment,
        actor=actor,
        old={"stream": old},
        new={"stream": stream.name},
    )


def _assessment_options() -> list[Any]:
    return [
        selectinload(Assessment.candidate),
        selectinload(Assessment.value_stream),
        selectinload(Assessment.role_version).selectinload(RoleVersion.definition),
        selectinload(Assessment.self_assessment).selectinload(SelfAssessment.ratings),
        selectinload(Assessment.interviews),
    ]


@lru_cache(maxsize=1)
def status_expression() -> ColumnElement[str]:
    """SQL for `Assessment.status`, so lists can filter, count and group in the database.

    Must agree with the property (tests/app/candidates/test_list_pages.py checks each status).
    Built once: SQL constructs are immutable, and building the aliases costs a millisecond.
    """
    # Aliases, so the subqueries stay correlated to Assessment alone even in a query that
    # also joins the self-assessment.
    interview = aliased(Interview)
    own = aliased(SelfAssessment)
    interviews = exists().where(interview.assessment_id == Assessment.id)
    self_assessment = exists().where(own.assessment_id == Assessment.id)
    return case(
        (Assessment.decision.is_not(None), "decided"),
        (interviews.where(interview.status == "submitted"), "scored"),
        (interviews, "interviewing"),
        (self_assessment.where(own.status == "submitted"), "self-submitted"),
        (self_assessment, "self-in-progress"),
        else_="invited",
    )


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

    @property
    def status_label(self) -> str:
        """Human name of the status."""
        return ASSESSMENT_STATUSES[self.status]


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
        )
        .select_from(Assessment)
        .join(User, User.id == Assessment.candidate_id)
        .outerjoin(ExecProfile, ExecProfile.user_id == Assessment.candidate_id)
        .outerjoin(ValueStream, ValueStream.id == Assessment.value_stream_id)
        .outerjoin(SelfAssessment, SelfAssessment.assessment_id == Assessment.id)
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
    rows = statements.rows(
        _candidate_rows_statement(filters.shape), offset=offset, limit=limit, **filters.params
    )
    known = {v.id: v for v in versions}
    missing = sorted({row[5] for row in rows} - set(known))
    if missing:
        known.update(
            (v.id, v) for v in _choices(statements.rows(_version_choices(False), ids=missing))
        )
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
        )
        for row in rows
    ]


def assessment_for_page(assessment_id: int) -> Assessment | None:
    """One assessment with what its pages show."""
    return db.session.scalar(
        select(Assessment).where(Assessment.id == assessment_id).options(*_assessment_options())
    )


def assessments_of(user: User) -> list[Assessment]:
    """An exec's own assessments, newest first."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.candidate_id == user.id)
            .options(*_assessment_options())
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        )
    )


# ---------------------------------------------------------------------------
# Self-assessment


@dataclass(frozen=True)
class LensPage:
    """One page of the self-assessment: the competencies of one lens."""

    lens: str
    competencies: tuple[Competency, ...]

    @property
    def label(self) -> str:
        """E.g. 'Value'."""
        return LENS_LABELS[self.lens]


def lens_pages(role: RoleData) -> list[LensPage]:
    """One page per lens the role uses, in the method's lens order."""
    pages = []
    for lens in LENSES:
        competencies = tuple(c for c in role.competencies if c.lens == lens)
        if competencies:
            pages.append(LensPage(lens, competencies))
    return pages


@dataclass(frozen=True)
class Answer:
    """A saved self-rating: level (None while unanswered) and evidence."""

    level: int | None = None
    evidence: str = ""


def saved_answers(assessment: Assessment) -> dict[str, Answer]:
    """Saved answers by competency key (empty before the first save)."""
    sa = assessment.self_assessment
    if sa is None:
        return {}
    return {r.competency_key: Answer(r.level, r.evidence) for r in sa.ratings}


@dataclass(frozen=True)
class Progress:
    """Answered of total competencies."""

    answered: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent answered."""
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def text(self) -> str:
        """E.g. '5 of 13 answered (38%)'."""
        return f"{self.answered} of {self.total} answered ({self.percent}%)"


def progress(assessment: Assessment) -> Progress:
    """How much of the self-assessment is answered."""
    keys = {c.key for c in role_of(assessment.role_version).competencies}
    answers = saved_answers(assessment)
    answered = sum(1 for key in keys if key in answers and answers[key].level is not None)
    return Progress(answered, len(keys))


def self_state(assessment: Assessment) -> str:
    """not-started, in-progress or submitted."""
    sa = assessment.self_assessment
    if sa is None:
        return "not-started"
    return "submitted" if sa.status == "submitted" else "in-progress"


def resume_page(assessment: Assessment) -> str | None:
    """The lens of the first page with an unanswered competency (None when all are answered)."""
    answers = saved_answers(assessment)
    for page in lens_pages(role_of(assessment.role_version)):
        if any(answers.get(c.key, Answer()).level is None for c in page.competencies):
            return page.lens
    return None


def evidence_message(competency: Competency) -> str:
    """What to say when a level 3 or 4 has no evidence."""
    return f"Give evidence for {competency.name}: levels 3 and 4 need an example"


def _ensure_editable(assessment: Assessment) -> None:
    sa = assessment.self_assessment
    if sa is not None and sa.status == "submitted":
        when = sa.submitted_at.strftime("%d %B %Y").lstrip("0") if sa.submitted_at else "earlier"
        raise AlreadySubmitted(
            f"This self-assessment was submitted on {when}, so it can no longer be changed. "
            "Ask the Chief Product Officer to reopen it if something needs correcting."
        )


def _check_version(assessment: Assessment, expected_version: int | None) -> None:
    sa = assessment.self_assessment
    current = sa.version if sa is not None else None
    if expected_version != current:
        raise StaleSelfAssessment()


def _answers_audit(answers: Mapping[str, Answer]) -> dict[str, Any]:
    return {key: {"level": a.level, "evidence": a.evidence} for key, a in sorted(answers.items())}


def save_self_answers(
    assessment: Assessment,
    answers: Mapping[str, Answer],
    *,
    expected_version: int | None,
    actor: User | None,
) -> SelfAssessment | None:
    """Save draft answers for some competencies; refuse if another save came in between.

    `expected_version` is the self-assessment's version the form was loaded with (None when
    there was none yet). Returns the self-assessment (None when nothing was ever saved and
    nothing was given). Only changed answers are written and audited, with old and new.
    """
    _ensure_editable(assessment)
    _check_version(assessment, expected_version)
    keys = {c.key for c in role_of(assessment.role_version).competencies}
    unknown = set(answers) - keys
    if unknown:
        raise CandidateError(f"Unknown competencies: {', '.join(sorted(unknown))}")
    for key, answer in answers.items():
        if answer.level is not None and not 0 <= answer.level <= 4:
            raise CandidateError(f"Level for {key} must be from 0 to 4")
    sa = assessment.self_assessment
    existing = {r.competency_key: r for r in sa.ratings} if sa is not None else {}
    old: dict[str, Answer] = {}
    new: dict[str, Answer] = {}
    for key, answer in answers.items():
        row = existing.get(key)
        before = Answer(row.level, row.evidence) if row is not None else Answer()
        after = Answer(answer.level, answer.evidence.strip())
        if before != after:
            old[key], new[key] = before, after
    if not new:
        return sa
    if sa is None:
        sa = SelfAssessment(assessment=assessment, status="draft")
        db.session.add(sa)
    for key, answer in new.items():
        row = existing.get(key)
        if row is None:
            row = SelfRating(competency_key=key)
            sa.ratings.append(row)
        row.level = answer.level
        row.evidence = answer.evidence
    # Touch the parent so its version moves with every change to its ratings.
    sa.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "self.save",
        f"Self-assessment of {assessment.candidate.email}: {len(new)} answer(s) saved",
        obj=sa,
        actor=actor,
        old=_answers_audit(old),
        new=_answers_audit(new),
    )
    return sa


@dataclass(frozen=True)
class Problem:
    """Something stopping submission, with where to fix it."""

    competency: Competency
    message: str


def submission_problems(assessment: Assessment) -> list[Problem]:
    """Unanswered competencies and levels 3-4 without evidence, in page order."""
    answers = saved_answers(assessment)
    problems = []
    for page in lens_pages(role_of(assessment.role_version)):
        for c in page.competencies:
            answer = answers.get(c.key, Answer())
            if answer.level is None:
                problems.append(Problem(c, f"Choose your level for {c.name}"))
            elif answer.level >= EVIDENCE_REQUIRED_FROM and not answer.evidence.strip():
                problems.append(Problem(c, evidence_message(c)))
    return problems


def submit_self(
    assessment: Assessment, *, expected_version: int | None, actor: User | None
) -> SelfAssessment:
    """Submit a complete self-assessment; it becomes read-only."""
    _ensure_editable(assessment)
    _check_version(assessment, expected_version)
    problems = submission_problems(assessment)
    if problems:
        raise CandidateError(problems[0].message)
    sa = assessment.self_assessment
    assert sa is not None  # no problems means every competency was answered and saved
    sa.status = "submitted"
    sa.submitted_at = utcnow()
    db.session.flush()
    audit.record(
        "self.submit",
        f"Self-assessment of {assessment.candidate.email} submitted",
        obj=sa,
        actor=actor,
        old={"status": "draft"},
        new={"status": "submitted", "ratings": _answers_audit(saved_answers(assessment))},
    )
    return sa


def reopen_self(assessment: Assessment, *, actor: User) -> SelfAssessment:
    """Let the exec change a submitted self-assessment again (recorded)."""
    sa = assessment.self_assessment
    if sa is None or sa.status != "submitted":
        raise CandidateError("Only a submitted self-assessment can be reopened")
    old = {
        "status": sa.status,
        "submitted_at": sa.submitted_at.isoformat() if sa.submitted_at else None,
    }
    sa.status = "draft"
    sa.submitted_at = None
    sa.reopened_at = utcnow()
    sa.reopened_by_id = actor.id
    db.session.flush()
    audit.record(
        "self.reopen",
        f"Self-assessment of {assessment.candidate.email} reopened",
        obj=sa,
        actor=actor,
        old=old,
        new={"status": "draft", "reopened_at": sa.reopened_at.isoformat()},
    )
    return sa


# ---------------------------------------------------------------------------
# Home page next steps


def stream_label(assessment: Assessment) -> str:
    """The stream's name, or the role's when the assessment has no stream yet."""
    if assessment.value_stream is not None:
        return assessment.value_stream.name
    return assessment.role_version.label


@provides_steps("exec")
def _exec_steps(user: User) -> list[NextStep]:
    steps = []
    for assessment in assessments_of(user):
        if assessment.decision or self_state(assessment) == "submitted":
            continue
        done = progress(assessment)
        lens = resume_page(assessment)
        if self_state(assessment) == "not-started":
            url = url_for("candidates.self_intro", assessment_id=assessment.id)
            detail = (
                f"Read the role, then rate yourself on {done.total} competencies. "
                "You can save and come back at any time."
            )
        else:
            url = (
                url_for("candidates.self_page", assessment_id=assessment.id, lens=lens)
                if lens
                else url_for("candidates.self_check", assessment_id=assessment.id)
            )
            detail = f"{done.text}. Pick up where you left off."
        steps.append(
            NextStep(f"Complete your self-assessment for {stream_label(assessment)}", detail, url)
        )
    if profile_of(user) is None:
        steps.append(
            NextStep(
                "Tell us about your experience",
                "Your current role, business area and experience in each function.",
                url_for("candidates.edit_profile", user_id=user.id),
            )
        )
    return steps


@prebuilt
def _cpo_counts() -> Executable:
    """Candidates ready for interviews, assessments without a stream, streams, and streams
    without candidates: one row."""
    return select(
        select(func.count())
        .select_from(Assessment)
        .join(SelfAssessment)
        .where(
            SelfAssessment.status == "submitted",
            Assessment.decision.is_(None),
            ~exists().where(Interview.assessment_id == Assessment.id),
        )
        .scalar_subquery(),
        select(func.count())
        .select_from(Assessment)
        .where(Assessment.value_stream_id.is_(None))
        .scalar_subquery(),
        select(func.count()).select_from(ValueStream).scalar_subquery(),
        select(func.count())
        .select_from(ValueStream)
        .where(~ValueStream.assessments.any())
        .scalar_subquery(),
    )


@prebuilt
def _streams_without_candidates() -> Executable:
    return (
        select(ValueStream.id, ValueStream.name)
        .where(~ValueStream.assessments.any())
        .order_by(ValueStream.name)
    )


@provides_steps("cpo")
def _cpo_steps(user: User) -> list[NextStep]:
    steps = []
    ready, unassigned, has_streams, empty_streams = statements.one(_cpo_counts())
    if ready:
        noun = "self-assessment" if ready == 1 else "self-assessments"
        steps.append(
            NextStep(
                f"{ready} {noun} submitted, ready for interviews",
                "Read what the candidates said about themselves, then arrange their panel.",
                url_for("candidates.list_assessments", status="self-submitted"),
            )
        )
    if unassigned:
        noun = "assessment has" if unassigned == 1 else "assessments have"
        steps.append(
            NextStep(
                f"{unassigned} {noun} no value stream",
                "Imported ratings start without a value stream: choose the stream for each.",
                url_for("candidates.list_assessments", stream="none"),
                urgent=True,
            )
        )
    empty = statements.rows(_streams_without_candidates()) if empty_streams else []
    for stream_id, name in empty:
        steps.append(
            NextStep(
                f"Nominate candidates for {name} (no candidates yet)",
                "Choose executives with experience in the functions this stream needs.",
                url_for("candidates.nominate", stream=stream_id),
            )
        )
    if not has_streams:
        steps.append(
            NextStep(
                "Describe your first value stream",
                "Its customer journey, owner, the functions it needs and its team's hats.",
                url_for("candidates.new_stream"),
            )
        )
    return steps
