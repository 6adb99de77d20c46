"""Noticing every change that a document shows, in one place no service can forget.

A session listener watches each flush (and each bulk statement run through the session) and
notes the ids of the rows that changed, by kind: an interview by its assessment, a rating by
its interview, a review by its plan, a person only when their name changed. Once the
transaction commits, one background task turns those ids into the documents they affect and
renders them (app/reports/tasks.py); a rolled-back change renders nothing. The listener itself
runs no query, so a request pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from app.extensions import db
from app.models import (
    Assessment,
    CoachingPlan,
    ExecProfile,
    InductionChecklist,
    InductionTask,
    Interview,
    InterviewRating,
    ProgressReview,
    RoleDefinition,
    RoleVersion,
    SelfAssessment,
    SelfRating,
    StakeholderComment,
    StakeholderInvitation,
    StakeholderRating,
    User,
    ValueStream,
)
from app.reports.settings import setting

KEY = "streamlead.documents_changed"

# model -> (kind of id noted, attribute holding it). Calibration notes, templates, accounts'
# other fields and the like show in no document.
TRACKED: dict[type, tuple[str, str]] = {
    Assessment: ("assessment", "id"),
    Interview: ("assessment", "assessment_id"),
    InterviewRating: ("interview", "interview_id"),
    SelfAssessment: ("assessment", "assessment_id"),
    SelfRating: ("self_assessment", "self_assessment_id"),
    ExecProfile: ("profile", "user_id"),
    ValueStream: ("stream", "id"),
    RoleVersion: ("version", "id"),
    RoleDefinition: ("definition", "id"),
    CoachingPlan: ("assessment", "assessment_id"),
    ProgressReview: ("plan", "plan_id"),
    InductionChecklist: ("assessment", "assessment_id"),
    InductionTask: ("checklist", "checklist_id"),
    User: ("user", "id"),
    # The readiness report shows the stakeholders' means, comments and how many answered.
    StakeholderInvitation: ("assessment", "assessment_id"),
    StakeholderRating: ("assessment", "assessment_id"),
    StakeholderComment: ("assessment", "assessment_id"),
}
# A bulk statement on these tables: the kinds of document it may change when the rows it
# touched cannot be named (an UPDATE or DELETE with a WHERE clause).
BULK_KINDS: dict[str, tuple[str, ...]] = {
    "assessment": ("readiness", "plan", "shortlist"),
    "interview": ("readiness", "shortlist"),
    "interview_rating": ("readiness", "shortlist"),
    "self_assessment": ("readiness", "shortlist"),
    "self_rating": ("readiness", "shortlist"),
    "exec_profile": ("readiness", "shortlist"),
    "value_stream": ("readiness", "plan", "shortlist"),
    "role_version": ("readiness", "plan", "shortlist", "guide"),
    "role_definition": ("readiness", "plan", "shortlist", "guide"),
    "coaching_plan": ("plan",),
    "progress_review": ("plan",),
    "induction_checklist": ("plan",),
    "induction_task": ("plan",),
    "user": ("readiness", "plan", "shortlist"),
    "stakeholder_invitation": ("readiness",),
    "stakeholder_rating": ("readiness",),
    "stakeholder_comment": ("readiness",),
}
# Tables no document shows (a test fails for a table in neither list, so a new table gets a
# decision: a document that shows it needs it in TRACKED and BULK_KINDS).
UNSHOWN: frozenset[str] = frozenset(
    {
        "account_token",
        "audit_event",
        "calibration_note",  # the CPO's working notes: never printed
        "data_version",  # moved by every write; a document shows the writes themselves
        "export_item",
        "export_job",
        "induction_template",  # a checklist copies its items when it is created
        # What people are told and their email settings: no document shows them.
        "notification",
        "notification_preference",
        "outbox_message",
        "render_state",
        "rendered_document",
        "saved_input",
        # Worked out from the tracked evidence in the same transaction (app/score_snapshots.py).
        "score_snapshot",
        "task_run",
        "user_session",
    }
)
# For rows inserted in bulk: the column naming the parent whose documents they change.
BULK_PARENTS: dict[str, tuple[str, str]] = {
    model.__tablename__: (kind, attribute)  # type: ignore[attr-defined]
    for model, (kind, attribute) in TRACKED.items()
    if attribute != "id"
}


def _noted(session: Session) -> dict[str, set[Any]] | None:
    """This transaction's notes, asking the queue to hand them to the task at commit."""
    if not has_app_context() or session is not db.session():
        return None  # a session of its own (a script, a migration) renders nothing ahead
    notes: dict[str, set[Any]] | None = session.info.get(KEY)
    if notes is None:
        notes = session.info[KEY] = {}
        if setting("PDF_PRERENDER"):
            from app.queue import after_commit
            from app.reports.tasks import refresh_documents

            # The same dict keeps filling until the commit; the task receives it complete.
            after_commit(refresh_documents, notes)
    return notes


def _note(session: Session, kind: str, values: Iterable[Any]) -> None:
    wanted = [v for v in values if v is not None]
    if not wanted:
        return
    notes = _noted(session)
    if notes is not None:
        notes.setdefault(kind, set()).update(wanted)


def _changed_name(user: User) -> bool:
    return bool(inspect(user).attrs.name.history.has_changes())


def _changed_answered(invitation: StakeholderInvitation) -> bool:
    """Whether the report's "N answered (of M asked)" moves: a draft autosaved does not."""
    attrs: Any = inspect(invitation).attrs
    return any(attrs[name].history.has_changes() for name in ("submitted_at", "withdrawn_at"))


def _before(assessment: Assessment, column: str, relation: str) -> Any:
    """The id an assessment's link held before this flush, set by column or relationship."""
    attrs: Any = inspect(assessment).attrs
    deleted = attrs[column].history.deleted
    if deleted:
        return deleted[0]
    linked = attrs[relation].history.deleted
    if linked:
        return linked[0].id if linked[0] is not None else None
    return getattr(assessment, column)


def _left_shortlist(assessment: Assessment) -> list[tuple[int, int]]:
    """The shortlist an assessment was on before this flush (it may have moved stream)."""
    stream = _before(assessment, "value_stream_id", "value_stream")
    version = _before(assessment, "role_version_id", "role_version")
    return [(stream, version)] if stream is not None and version is not None else []


def _pair(assessment: Assessment) -> list[tuple[int, int]]:
    """The shortlist a deleted assessment was on."""
    loaded: dict[str, Any] = inspect(assessment).dict
    stream, version = loaded.get("value_stream_id"), loaded.get("role_version_id")
    return [(stream, version)] if stream is not None and version is not None else []


def _value(obj: object, attribute: str, deleted: bool) -> Any:
    """An attribute of a flushed object, without loading a deleted row again."""
    if deleted:
        return inspect(obj).dict.get(attribute)
    return getattr(obj, attribute, None)


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    """Note the rows this flush added, changed or deleted (their history is still readable)."""
    dirty = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    deleted = list(session.deleted)
    for obj, gone in [*((o, False) for o in (*session.new, *dirty)), *((o, True) for o in deleted)]:
        tracked = TRACKED.get(type(obj))
        if tracked is None:
            continue
        if isinstance(obj, User) and not gone and not _changed_name(obj):
            continue  # a sign-in or a password change shows in no document
        drafting = isinstance(obj, StakeholderInvitation) and obj not in session.new and not gone
        if drafting and not _changed_answered(obj):
            continue  # answers being drafted show nowhere until they are sent
        kind, attribute = tracked
        _note(session, kind, [_value(obj, attribute, gone)])
        if isinstance(obj, Assessment):
            _note(session, "shortlist", _left_shortlist(obj) if not gone else _pair(obj))


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    """Note rows written by a bulk statement (the ratings import, anonymising a person)."""
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table not in BULK_KINDS:
        return
    rows: Any = state.parameters
    parent = BULK_PARENTS.get(table)
    if state.is_insert and parent is not None and rows:
        kind, column = parent
        listed = rows if isinstance(rows, list) else [rows]
        if all(column in row for row in listed):
            _note(state.session, kind, (row[column] for row in listed))
            return
    if state.is_insert and table == "user":
        return  # new people show in no document until they are assessed
    if state.is_insert and table == "assessment":
        return  # a new assessment has no documents yet (nothing submitted, no plan)
    _note(state.session, "kinds", BULK_KINDS[table])


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    session.info.pop(KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested:
        session.info.pop(KEY, None)
