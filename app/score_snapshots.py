"""Stored scores kept true: one snapshot per assessment, refreshed in the transaction that
changes its evidence, and a rebuild that recomputes (or only checks) them all.

How a snapshot stays true (docs/decisions.md, "Issue 14 — Stored scores"):

- **ORM changes** are noticed by session hooks registered once for every session: each flush
  notes the assessments whose evidence it touched (an interview or self-assessment added,
  removed or submitted/reopened, a rating of a submitted one, an assessment created or
  re-pinned, a role version's content, a stakeholder rating added or removed, a stakeholder
  invitation submitted, withdrawn or removed); just before the commit the noted snapshots are
  recomputed from the database and written, so they commit with the change or not at all.
  No service has to remember to call anything.
- **Core bulk writes** (the ratings import, a backup restore) bypass the ORM and call
  `refresh` themselves, for all their assessments in a few statements.
- **Configuration**: the stakeholder threshold (STAKEHOLDER_MIN_RESPONSES) shapes the stored
  stakeholder means; after changing it, `flask scores rebuild` restores them.
- **Readers** call `settle()` first, so a page built in the same transaction as a change (a
  test, a CLI command) reads the new figures.

The figures come from `assessments.scoring.score_assessment` over exactly the evidence
`app.scores.score_for` reads, gathered here with a few plain queries for many assessments at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import and_, event, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.util import identity_key

from app.extensions import db
from app.models import (
    Assessment,
    Interview,
    InterviewRating,
    RoleVersion,
    ScoreSnapshot,
    SelfAssessment,
    SelfRating,
    StakeholderInvitation,
    StakeholderRating,
)
from app.models.base import utcnow
from app.models.roles import parsed_role
from assessments.model import RoleDefinition
from assessments.scoring import BANDS, FLAGS, STAKEHOLDER_MIN, ScoreResult, score_assessment

# Assessments per statement: keeps IN lists and executemany batches small on every database.
CHUNK = 500
_PENDING = "score_snapshots.pending"
# What --check compares; computed_at is bookkeeping and may differ.
FIELDS: tuple[str, ...] = (
    "role_version_id",
    "readiness",
    "band",
    "band_rank",
    "coverage",
    "must_have_gap_sum",
    "lenses",
    "must_have_unmet",
    "must_have_unassessed",
    "flags",
    "competencies",
    "interviews_assigned",
    "interviews_submitted",
    "panel_ratings",
    "self_submitted",
    "last_interview_at",
    "stakeholder_responses",
)


# --- Computing snapshots -------------------------------------------------------------------


@dataclass
class _Evidence:
    """What one assessment's score is worked out from, as score_for reads it."""

    role_version_id: int
    selfs: dict[str, int | None] = field(default_factory=dict)
    panel: dict[str, list[int]] = field(default_factory=dict)
    assigned: int = 0
    submitted: int = 0
    ratings: int = 0
    self_submitted: bool = False
    last_interview_at: datetime | None = None
    stakeholder: dict[str, list[int]] = field(default_factory=dict)
    stakeholder_responses: int = 0


def stakeholder_min() -> int:
    """The configured stakeholder threshold (the method's default outside an app)."""
    if has_app_context():
        return int(current_app.config.get("STAKEHOLDER_MIN_RESPONSES", STAKEHOLDER_MIN))
    return STAKEHOLDER_MIN


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _evidence(
    conn: Connection, ids: list[int], *, lock: bool, stakeholders: bool = True
) -> dict[int, _Evidence]:
    """The evidence of these assessments (those that exist), in five queries (three without
    `stakeholders`, for migrations that run before the stakeholder tables exist).

    With `lock`, the assessments' rows are locked first (PostgreSQL; SQLite has one writer
    anyway), so two transactions changing one assessment's evidence at once refresh its
    snapshot one after the other, each reading what the other committed.
    """
    query = select(Assessment.id, Assessment.role_version_id).where(Assessment.id.in_(ids))
    if lock:
        query = query.order_by(Assessment.id).with_for_update()
    found = {a_id: _Evidence(version_id) for a_id, version_id in conn.execute(query)}
    if not found:
        return found
    own = conn.execute(
        select(
            SelfAssessment.assessment_id,
            SelfAssessment.status,
            SelfRating.competency_key,
            SelfRating.level,
        )
        .select_from(SelfAssessment)
        .outerjoin(
            SelfRating,
            and_(
                SelfRating.self_assessment_id == SelfAssessment.id,
                SelfAssessment.status == "submitted",
            ),
        )
        .where(SelfAssessment.assessment_id.in_(ids))
    )
    for a_id, status, key, level in own:
        evidence = found[a_id]
        evidence.self_submitted = status == "submitted"
        if key is not None:
            evidence.selfs[key] = level
    # Interview order is the panel's (by id), as Assessment.interviews loads it.
    panel = conn.execute(
        select(
            Interview.assessment_id,
            Interview.id,
            Interview.status,
            Interview.submitted_at,
            InterviewRating.competency_key,
            InterviewRating.level,
        )
        .select_from(Interview)
        .outerjoin(
            InterviewRating,
            and_(
                InterviewRating.interview_id == Interview.id,
                Interview.status == "submitted",
                InterviewRating.level.is_not(None),
            ),
        )
        .where(Interview.assessment_id.in_(ids))
        .order_by(Interview.id)
    )
    seen: set[int] = set()
    for a_id, interview_id, status, submitted_at, key, level in panel:
        evidence = found[a_id]
        if interview_id not in seen:
            seen.add(interview_id)
            evidence.assigned += 1
            if status == "submitted":
                evidence.submitted += 1
                if submitted_at is not None and (
                    evidence.last_interview_at is None or submitted_at > evidence.last_interview_at
                ):
                    evidence.last_interview_at = submitted_at
        if key is not None and level is not None:
            evidence.panel.setdefault(key, []).append(level)
    if not stakeholders:
        return found
    rows = conn.execute(
        select(
            StakeholderRating.assessment_id,
            StakeholderRating.competency_key,
            StakeholderRating.level,
        ).where(StakeholderRating.assessment_id.in_(ids))
    )
    for a_id, key, level in rows:
        found[a_id].stakeholder.setdefault(key, []).append(level)
    responses = conn.execute(
        select(StakeholderInvitation.assessment_id, func.count())
        .where(
            StakeholderInvitation.assessment_id.in_(ids),
            StakeholderInvitation.submitted_at.is_not(None),
        )
        .group_by(StakeholderInvitation.assessment_id)
    )
    for a_id, count in responses:
        found[a_id].stakeholder_responses = int(count)
    return found


def _roles(conn: Connection, version_ids: Iterable[int]) -> dict[int, RoleDefinition]:
    rows = conn.execute(
        select(RoleVersion.id, RoleVersion.content).where(RoleVersion.id.in_(set(version_ids)))
    )
    return {version_id: parsed_role(content) for version_id, content in rows}


def snapshot_values(
    assessment_id: int, evidence: _Evidence, role: RoleDefinition
) -> dict[str, Any]:
    """One snapshot row: the score of this evidence against the role, and the evidence counts."""
    keys = {c.key for c in role.competencies}
    selfs = {k: v for k, v in evidence.selfs.items() if k in keys}
    panel = {k: v for k, v in evidence.panel.items() if k in keys}
    stakeholders = {k: v for k, v in evidence.stakeholder.items() if k in keys}
    result = score_assessment(
        role.competencies,
        selfs,
        panel,
        stakeholders,
        stakeholder_responses=evidence.stakeholder_responses,
        stakeholder_min=stakeholder_min(),
    )
    return {
        "assessment_id": assessment_id,
        "role_version_id": evidence.role_version_id,
        **result_values(result),
        "interviews_assigned": evidence.assigned,
        "interviews_submitted": evidence.submitted,
        "panel_ratings": sum(len(v) for v in panel.values()),
        "self_submitted": evidence.self_submitted,
        "last_interview_at": evidence.last_interview_at,
    }


def result_values(result: ScoreResult) -> dict[str, Any]:
    """The columns that hold a score (app.scores.result_from_snapshot reads them back)."""
    return {
        "readiness": result.readiness,
        "band": result.band,
        "band_rank": BANDS.index(result.band),
        "coverage": result.coverage,
        "must_have_gap_sum": result.must_have_gap_sum,
        "lenses": dict(result.lenses),
        "must_have_unmet": list(result.must_have_unmet),
        "must_have_unassessed": list(result.must_have_unassessed),
        "flags": {
            flag: [c.key for c in result.competencies if flag in c.flags]
            for flag in FLAGS
            if any(flag in c.flags for c in result.competencies)
        },
        "competencies": [
            {
                "key": c.key,
                "name": c.name,
                "lens": c.lens,
                "weight": c.weight,
                "required": c.required,
                "must_have": c.must_have,
                "self": c.self_rating,
                "ratings": list(c.ratings),
                "panel": c.panel,
                "gap": c.gap,
                "attainment": c.attainment,
                "flags": list(c.flags),
                "stakeholder": c.stakeholder,
                "stakeholder_count": c.stakeholder_count,
            }
            for c in result.competencies
        ],
        "stakeholder_responses": result.stakeholder_responses,
    }


def fresh(
    conn: Connection, ids: list[int], *, lock: bool = False, stakeholders: bool = True
) -> dict[int, dict[str, Any]]:
    """Freshly computed snapshot rows of these assessments (the ones that exist), by id;
    without `stakeholders`, as if none had answered (migrations older than their tables)."""
    evidence = _evidence(conn, ids, lock=lock, stakeholders=stakeholders)
    roles = _roles(conn, {e.role_version_id for e in evidence.values()})
    return {
        a_id: snapshot_values(a_id, e, roles[e.role_version_id]) for a_id, e in evidence.items()
    }


# --- Writing them --------------------------------------------------------------------------


def _upsert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert or replace snapshot rows: one executemany, safe when another transaction has just
    written the same assessment's row."""
    if not rows:
        return
    table = ScoreSnapshot.__table__
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.assessment_id],
        set_={c.name: statement.excluded[c.name] for c in table.c if c.name != "assessment_id"},
    )
    conn.execute(statement, rows)


def _store(session: Session, assessment_ids: Iterable[int]) -> int:
    conn = session.connection()
    now = utcnow()
    count = 0
    for chunk in _chunks(assessment_ids):
        rows = list(fresh(conn, chunk, lock=True).values())
        for row in rows:
            row["computed_at"] = now
        _upsert(conn, rows)
        count += len(rows)
        # A snapshot object already loaded in this session must not show the old figures.
        for a_id in chunk:
            loaded = session.identity_map.get(identity_key(ScoreSnapshot, a_id))
            if loaded is not None:
                session.expire(loaded)
    return count


def refresh(assessment_ids: Iterable[int]) -> int:
    """Recompute and store these assessments' snapshots in the current transaction (for bulk
    writes that bypass the ORM); returns how many were stored."""
    db.session.flush()
    return _store(db.session(), assessment_ids)


def _all_ids(conn: Connection) -> list[int]:
    return list(conn.execute(select(Assessment.id).order_by(Assessment.id)).scalars())


def rebuild() -> int:
    """Recompute every snapshot (the caller commits); returns how many."""
    settle()
    return _store(db.session(), _all_ids(db.session.connection()))


@dataclass(frozen=True)
class Difference:
    """A stored figure that is not what the evidence gives now."""

    assessment_id: int
    field: str
    stored: object
    fresh: object

    def __str__(self) -> str:
        where = f"assessment {self.assessment_id}: {self.field}"
        return f"{where}: stored {self.stored!r}, fresh {self.fresh!r}"


def _competency_differences(
    assessment_id: int, stored: list[dict[str, Any]], now: list[dict[str, Any]]
) -> Iterator[Difference]:
    by_key = {c["key"]: c for c in stored}
    for competency in now:
        old = by_key.pop(competency["key"], None)
        if old is None:
            yield Difference(assessment_id, f"competency {competency['key']}", None, "present")
            continue
        for name, value in competency.items():
            if old.get(name) != value:
                label = f"competency {competency['key']}: {name}"
                yield Difference(assessment_id, label, old.get(name), value)
    for key in by_key:
        yield Difference(assessment_id, f"competency {key}", "present", None)


def differences(
    assessment_id: int, stored: Mapping[str, Any] | None, now: Mapping[str, Any]
) -> list[Difference]:
    """Each field where a stored snapshot differs from a fresh one (missing counts as one)."""
    if stored is None:
        return [Difference(assessment_id, "snapshot", None, "present")]
    found: list[Difference] = []
    for name in FIELDS:
        if name == "competencies":
            found += _competency_differences(assessment_id, stored[name], now[name])
        elif stored[name] != now[name]:
            found.append(Difference(assessment_id, name, stored[name], now[name]))
    return found


def check() -> list[Difference]:
    """Every difference between the stored snapshots and fresh ones; changes nothing."""
    settle()
    conn = db.session.connection()
    table = ScoreSnapshot.__table__
    found: list[Difference] = []
    for chunk in _chunks(_all_ids(conn)):
        rows = conn.execute(select(table).where(table.c.assessment_id.in_(chunk))).mappings()
        stored = {row["assessment_id"]: dict(row) for row in rows}
        for a_id, now in fresh(conn, chunk).items():
            found += differences(a_id, stored.get(a_id), now)
    return found


# --- Noticing changes ----------------------------------------------------------------------


@dataclass
class _Pending:
    """What this transaction's flushes touched, to refresh before it commits."""

    assessments: set[int] = field(default_factory=set)
    interviews: set[int] = field(default_factory=set)
    self_assessments: set[int] = field(default_factory=set)
    versions: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.assessments or self.interviews or self.self_assessments or self.versions)


def _pending(session: Session) -> _Pending:
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    return pending


def _changed(obj: object, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _loaded(obj: object, name: str) -> Any:
    """An attribute's value without loading it (None when not loaded)."""
    return inspect(obj).dict.get(name)


def _values(obj: object, name: str) -> set[int]:
    """An id attribute's current and previous values (a moved record affects both owners)."""
    # load_history: a deleted record's id may need reading back while its row still exists.
    history = inspect(obj).attrs[name].load_history()
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _parent(
    session: Session, child: object, relation: str, key: str, model: type
) -> tuple[Any, int | None]:
    """A rating's interview or self-assessment, from memory only, and its id."""
    parent = _loaded(child, relation)
    parent_id = _loaded(child, key)
    if parent is None and parent_id is not None:
        parent = session.identity_map.get(identity_key(model, parent_id))
    if parent is not None:
        parent_id = _loaded(parent, "id") or parent_id
    return parent, parent_id


def _note_rating(session: Session, pending: _Pending, rating: object) -> None:
    """A rating counts only while its interview or self-assessment is submitted; a draft's
    ratings (autosaves) leave the score alone, and submitting the draft is noted on its own."""
    if isinstance(rating, InterviewRating):
        parent, parent_id = _parent(session, rating, "interview", "interview_id", Interview)
        ids = pending.interviews
    else:
        parent, parent_id = _parent(
            session, rating, "self_assessment", "self_assessment_id", SelfAssessment
        )
        ids = pending.self_assessments
    draft = parent is not None and _loaded(parent, "status") == "draft"
    if draft and not _changed(parent, "status"):
        return
    owner = _loaded(parent, "assessment_id") if parent is not None else None
    if owner is not None:
        pending.assessments.add(owner)
    elif parent_id is not None:
        ids.add(parent_id)


def _note(session: Session, pending: _Pending, obj: object, *, created: bool) -> None:
    if isinstance(obj, Assessment):
        if created or _changed(obj, "role_version_id", "role_version"):
            pending.assessments.add(obj.id)
    elif isinstance(obj, Interview | SelfAssessment):
        watched: tuple[str, ...] = ("status", "assessment_id")
        if isinstance(obj, Interview):
            watched += ("submitted_at",)
        if obj.status != "draft":
            watched += ("ratings",)
        if created or _changed(obj, *watched):
            pending.assessments.update(_values(obj, "assessment_id"))
    elif isinstance(obj, InterviewRating | SelfRating):
        _note_rating(session, pending, obj)
    elif isinstance(obj, RoleVersion) and not created and _changed(obj, "content"):
        pending.versions.add(obj.id)
    elif isinstance(obj, StakeholderRating):
        # Rows are written once and never edited; one added or removed moves the mean.
        if created or _changed(obj, "level", "competency_key", "assessment_id"):
            pending.assessments.update(_values(obj, "assessment_id"))
    elif isinstance(obj, StakeholderInvitation):
        # Only submission counts; a draft's autosaves and the reminders leave the score alone.
        counted = obj.submitted_at is not None or _changed(obj, "submitted_at")
        if (created and counted) or _changed(obj, "submitted_at", "withdrawn_at", "assessment_id"):
            pending.assessments.update(_values(obj, "assessment_id"))


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    """Changed and deleted records, while their old values can still be read."""
    pending = _pending(session)
    for obj in session.dirty:
        _note(session, pending, obj, created=False)
    for obj in session.deleted:
        if not isinstance(obj, Assessment):  # its snapshot goes with it (ON DELETE CASCADE)
            _note(session, pending, obj, created=True)


def _after_flush(session: Session, _context: object) -> None:
    """New records, now that they have ids."""
    pending = _pending(session)
    for obj in session.new:
        _note(session, pending, obj, created=True)


def _resolve(conn: Connection, pending: _Pending) -> set[int]:
    """The assessments behind everything noted."""
    ids = set(pending.assessments)
    if pending.interviews:
        ids.update(
            conn.execute(
                select(Interview.assessment_id).where(Interview.id.in_(pending.interviews))
            ).scalars()
        )
    if pending.self_assessments:
        ids.update(
            conn.execute(
                select(SelfAssessment.assessment_id).where(
                    SelfAssessment.id.in_(pending.self_assessments)
                )
            ).scalars()
        )
    if pending.versions:
        ids.update(
            conn.execute(
                select(Assessment.id).where(Assessment.role_version_id.in_(pending.versions))
            ).scalars()
        )
    return ids


def _settle(session: Session) -> None:
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        _store(session, _resolve(session.connection(), pending))


def settle() -> None:
    """Write the snapshots this transaction's changes have made stale so far (readers call it
    before reading snapshots; commits do it anyway)."""
    _settle(db.session())


def _before_commit(session: Session) -> None:
    _settle(session)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # A rolled-back transaction's notes are void; a savepoint's end keeps the outer ones.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


_HOOKS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("before_commit", _before_commit),
    ("after_transaction_end", _after_transaction_end),
)


def init_app() -> None:
    """Register the hooks on every session (idempotent: one registration per process)."""
    for name, hook in _HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
