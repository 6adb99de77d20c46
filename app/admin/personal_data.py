"""Everything held about one person: export it, anonymise a candidate, or delete one."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, or_, select, update

from app import audit
from app.admin.backup import SKIPPED_TABLES, _encode
from app.extensions import db
from app.models import (
    AccountToken,
    Assessment,
    AuditEvent,
    CalibrationNote,
    CoachingPlan,
    ExecProfile,
    InductionChecklist,
    InductionTask,
    Interview,
    InterviewRating,
    ProgressReview,
    SavedInput,
    SelfAssessment,
    SelfRating,
    StakeholderComment,
    StakeholderInvitation,
    User,
    UserSession,
)
from app.transactions import DomainError

# References to a person that make the referencing row theirs, so its own children are theirs
# too. Other references (created_by, decided_by, author, ...) record them as the one who acted:
# those rows are included, but what hangs off them is about someone else.
OWNING_REFERENCES = frozenset(
    {
        ("assessment", "candidate_id"),
        ("exec_profile", "user_id"),
        ("interview", "interviewer_id"),
        ("account_token", "user_id"),
    }
)
REDACTED = "[anonymised]"
# Stakeholder feedback is about the candidate, but nothing may let anyone work out who said
# what (docs/decisions.md, Issue 18): no person's export carries the unlinked answers, the
# candidate's export leaves out who was asked, and an invitation (in the export of whoever
# sent it) comes without the answers being drafted in it or its token's hash.
NOT_EXPORTED = frozenset({"stakeholder_rating", "stakeholder_comment"})
NOT_FOLLOWED = frozenset({("stakeholder_invitation", "assessment")})
HIDDEN_COLUMNS: dict[str, frozenset[str]] = {
    "stakeholder_invitation": frozenset({"draft", "token_hash"}),
}


class PersonalDataError(DomainError):
    """An action on a person's data that cannot be carried out, with the reason."""


def _references(table: Table, target: str) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == target]


def collect(user: User) -> dict[str, Any]:
    """Every row that is about this person or was done by them, table by table."""
    conn = db.session.connection()
    tables = [t for t in db.metadata.sorted_tables if t.name not in SKIPPED_TABLES | NOT_EXPORTED]
    found: dict[str, dict[Any, dict[str, Any]]] = {"user": {}}
    owned: dict[str, set[Any]] = {"user": {user.id}}
    user_table = db.metadata.tables["user"]
    row = conn.execute(select(user_table).where(user_table.c.id == user.id)).mappings().one()
    found["user"][user.id] = {k: v for k, v in row.items() if k != "password_hash"}
    # Tables come in dependency order, so a parent's owned ids are known before its children.
    for table in tables:
        if table.name == "user":
            continue
        (pk,) = table.primary_key.columns
        for parent in sorted({fk.column.table.name for fk in table.foreign_keys}):
            ids = owned.get(parent)
            if not ids or (table.name, parent) in NOT_FOLLOWED:
                continue
            for column in _references(table, parent):
                rows = conn.execute(select(table).where(table.c[column].in_(ids))).mappings()
                hidden = HIDDEN_COLUMNS.get(table.name, frozenset())
                for record in rows:
                    kept = {k: v for k, v in record.items() if k not in hidden}
                    found.setdefault(table.name, {})[record[pk.name]] = kept
                    if parent != "user" or (table.name, column) in OWNING_REFERENCES:
                        owned.setdefault(table.name, set()).add(record[pk.name])
    records = {
        name: [{k: _encode(v) for k, v in r.items()} for r in rows.values()]
        for name, rows in found.items()
        if rows
    }
    unsent = _unsent_form_input(user)
    if unsent:
        records["unsent_form_input"] = unsent
    sessions = _sign_in_sessions(user)
    if sessions:
        records["sign_in_sessions"] = sessions
    return records


def _sign_in_sessions(user: User) -> list[dict[str, Any]]:
    """Their session records (address and browser are personal data), without the token hash."""
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    )
    return [
        {
            "started": _encode(row.created_at),
            "last_seen": _encode(row.last_seen_at),
            "ended": _encode(row.ended_at),
            "ended_reason": row.ended_reason,
            "address": row.ip_address,
            "browser": row.user_agent,
        }
        for row in rows
    ]


def _unsent_form_input(user: User) -> list[dict[str, Any]]:
    """Form input kept for them when a session ended: which page and when, never what."""
    rows = db.session.execute(
        select(SavedInput.path, SavedInput.created_at)
        .where(SavedInput.user_id == user.id)
        .order_by(SavedInput.created_at)
    )
    return [{"page": path, "kept_at": _encode(at)} for path, at in rows]


def _about(user: User) -> ColumnElement[bool]:
    """Audit events whose actor or subject is this person (their account or their records)."""
    assessments = select(Assessment.id).where(Assessment.candidate_id == user.id)
    plans = select(CoachingPlan.id).where(CoachingPlan.assessment_id.in_(assessments))
    checklists = select(InductionChecklist.id).where(
        InductionChecklist.assessment_id.in_(assessments)
    )
    subjects: list[tuple[str, Any]] = [
        ("User", select(User.id).where(User.id == user.id)),
        ("Assessment", assessments),
        (
            "SelfAssessment",
            select(SelfAssessment.id).where(SelfAssessment.assessment_id.in_(assessments)),
        ),
        ("Interview", select(Interview.id).where(Interview.assessment_id.in_(assessments))),
        ("CoachingPlan", plans),
        ("ProgressReview", select(ProgressReview.id).where(ProgressReview.plan_id.in_(plans))),
        ("InductionChecklist", checklists),
        (
            "InductionTask",
            select(InductionTask.id).where(InductionTask.checklist_id.in_(checklists)),
        ),
    ]
    return or_(
        AuditEvent.actor_id == user.id,
        *(
            and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
            for kind, ids in subjects
        ),
    )


def _whole(term: str, *, ignore_case: bool) -> re.Pattern[str]:
    """`term` standing alone: not inside a longer word, email address or domain."""
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w.+@-]){re.escape(term)}(?![\w@-]|\.\w)", flags)


class _Redactor:
    """Replaces one person's whole email and whole name, sparing longer names of other people."""

    def __init__(self, user: User, old_email: str, old_name: str) -> None:
        self.email = _whole(old_email, ignore_case=True)
        self.name = _whole(old_name, ignore_case=False) if old_name.strip() else None
        # "David" must not eat the start of "David Mensah": other people's names containing it.
        self.longer = (
            db.session.scalars(
                select(User.name).where(User.id != user.id, User.name.contains(old_name))
            ).all()
            if old_name.strip()
            else []
        )

    def text(self, value: str) -> str:
        value = self.email.sub(REDACTED, value)
        if self.name is None:
            return value
        spared = [m.span() for n in self.longer for m in re.finditer(re.escape(n), value)]

        def replace(match: re.Match[str]) -> str:
            inside = any(s <= match.start() and match.end() <= e for s, e in spared)
            return match.group(0) if inside else REDACTED

        return self.name.sub(replace, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value


def _redact_audit(user: User, old_email: str, old_name: str) -> None:
    """Remove the person's identity from events about them or by them; the events stay."""
    redactor = _Redactor(user, old_email, old_name)
    for event in db.session.scalars(select(AuditEvent).where(_about(user))):
        event.summary = redactor.text(event.summary)
        if event.old_value is not None:
            event.old_value = redactor.value(event.old_value)
        if event.new_value is not None:
            event.new_value = redactor.value(event.new_value)


def _candidate_free_text(user: User) -> None:
    """Blank free text written about a candidate, which could identify them; levels stay."""
    assessment_ids = select(Assessment.id).where(Assessment.candidate_id == user.id)
    self_ids = select(SelfAssessment.id).where(SelfAssessment.assessment_id.in_(assessment_ids))
    interview_ids = select(Interview.id).where(Interview.assessment_id.in_(assessment_ids))
    checklist_ids = select(InductionChecklist.id).where(
        InductionChecklist.assessment_id.in_(assessment_ids)
    )
    statements = [
        update(SelfRating).where(SelfRating.self_assessment_id.in_(self_ids)).values(evidence=""),
        update(InterviewRating)
        .where(InterviewRating.interview_id.in_(interview_ids))
        .values(notes=""),
        update(Interview)
        .where(Interview.id.in_(interview_ids))
        .values(strengths="", weaknesses=""),
        update(CalibrationNote)
        .where(CalibrationNote.assessment_id.in_(assessment_ids))
        .values(note=REDACTED),
        update(Assessment).where(Assessment.id.in_(assessment_ids)).values(decision_rationale=""),
        update(InductionTask).where(InductionTask.checklist_id.in_(checklist_ids)).values(note=""),
        # Stakeholders' comments, and any answers still being drafted (levels go with them).
        update(StakeholderComment)
        .where(StakeholderComment.assessment_id.in_(assessment_ids))
        .values(text=""),
        update(StakeholderInvitation)
        .where(StakeholderInvitation.assessment_id.in_(assessment_ids))
        .values(draft={}),
    ]
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))
    plan_ids = select(CoachingPlan.id).where(CoachingPlan.assessment_id.in_(assessment_ids))
    db.session.execute(
        update(ProgressReview)
        .where(ProgressReview.plan_id.in_(plan_ids))
        .values(notes="", rationale="")
        .execution_options(synchronize_session=False)
    )


def _require_candidate(user: User) -> None:
    if user.role != "exec":
        raise PersonalDataError(
            "Only candidate executives can be anonymised or deleted. Deactivate other accounts "
            "instead: their decisions and ratings must stay attributable."
        )


def anonymise(user: User) -> None:
    """Remove a candidate's identity; their ratings stay for aggregate figures."""
    _require_candidate(user)
    old_email, old_name = user.email, user.name
    user.email = f"anonymised-{user.id}@invalid"
    user.name = f"Anonymised candidate {user.id}"
    user.password_hash = None
    user.active = False
    user.session_epoch += 1
    db.session.execute(delete(AccountToken).where(AccountToken.user_id == user.id))
    db.session.execute(delete(SavedInput).where(SavedInput.user_id == user.id))
    # Addresses and browsers identify a person as surely as a name does.
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    profile = db.session.get(ExecProfile, user.id)
    if profile is not None:
        profile.current_role = ""
        profile.business_area = ""
    _candidate_free_text(user)
    _redact_audit(user, old_email, old_name)
    db.session.flush()
    audit.record("person.anonymise", f"Candidate {user.id} anonymised", obj=user)


def delete_candidate(user: User) -> None:
    """Delete a candidate and everything about them; audit events keep no identity."""
    _require_candidate(user)
    old_email, old_name, user_id = user.email, user.name, user.id
    _redact_audit(user, old_email, old_name)
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.actor_id == user_id)
        .values(actor_id=None)
        .execution_options(synchronize_session=False)
    )
    # Assessment children are removed by ON DELETE CASCADE in the database.
    db.session.execute(delete(Assessment).where(Assessment.candidate_id == user_id))
    db.session.execute(delete(ExecProfile).where(ExecProfile.user_id == user_id))
    db.session.expunge_all()
    db.session.execute(delete(User).where(User.id == user_id))
    audit.record("person.delete", f"Candidate {user_id} and their records deleted")
