"""Importing ratings recorded elsewhere (a CSV file) as submitted self-assessments, interviews
and stakeholder feedback.

Stakeholder rows (source "stakeholder") come from anyone, by email, with no account: each
stakeholder becomes an imported, submitted StakeholderInvitation (who was asked) and their
levels and comments unlinked StakeholderRating/StakeholderComment rows (what was said), so the
answers cannot be traced back to them (docs/decisions.md, Issue 18). An empty level is "not
observed" and stores no rating; the evidence column is their comment.

The whole file is checked first (`check`), reading the database but never writing to it;
only a file with no problems at all is written (`apply`), in one transaction the caller
commits.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from app import score_snapshots
from app.candidates.import_checks import check_existing, check_people
from app.candidates.import_records import (
    Group,
    Plan,
    Row,
    Summary,
    _latest_assessments,
    _users,
)
from app.extensions import db
from app.models import (
    Assessment,
    AuditEvent,
    Interview,
    InterviewRating,
    RoleVersion,
    ScoreSnapshot,
    SelfAssessment,
    SelfRating,
    StakeholderComment,
    StakeholderInvitation,
    StakeholderRating,
    User,
)
from app.models.base import utcnow
from app.models.stakeholders import random_id
from app.transactions import DomainError

__all__ = ["TABLES", "Group", "ImportProblems", "Plan", "Row", "Summary", "apply", "check"]

COLUMNS: tuple[str, ...] = (
    "candidate_email",
    "rater_email",
    "source",
    "competency",
    "level",
    "evidence",
)
SOURCES = ("self", "interview", "stakeholder")
EVIDENCE_MAX = 4000
HEADER_HINT = "the first line must be the header row: " + ",".join(COLUMNS)


# Every table `apply` can write (score snapshots through score_snapshots.refresh): analyzed once
# the import has committed (app/planner_statistics.py).
TABLES: tuple[str, ...] = tuple(
    model.__tablename__
    for model in (
        User,
        Assessment,
        SelfAssessment,
        Interview,
        SelfRating,
        InterviewRating,
        StakeholderInvitation,
        StakeholderRating,
        StakeholderComment,
        ScoreSnapshot,
        AuditEvent,
    )
)

# A file with thousands of bad lines is usually the wrong file: past this, problems are counted.
MAX_LISTED_PROBLEMS = 100


class ImportProblems(DomainError):
    """The file cannot be imported; `problems` lists each one with its line number."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")

    def listed(self) -> list[str]:
        """The first MAX_LISTED_PROBLEMS problems, then how many more there are."""
        shown = self.problems[:MAX_LISTED_PROBLEMS]
        hidden = len(self.problems) - len(shown)
        return [*shown, f"… and {hidden:,} more errors"] if hidden else shown


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportProblems(
            [f"Line {line}: the file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."]
        ) from exc


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(starting line number, values) per CSV record; a malformed file raises ImportProblems."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportProblems(
                [
                    f"Line {reader.line_num}: the line is not valid CSV ({exc}). "
                    "Check its quotes: a value containing a comma, quote or line break must be "
                    "wrapped in double quotes."
                ]
            ) from exc
        start = previous_end + 1
        previous_end = reader.line_num
        yield start, values


def _email(value: str, column: str, line: int, problems: list[str]) -> str | None:
    if not value:
        problems.append(f"Line {line}: {column} is empty")
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        problems.append(f'Line {line}: {column} "{value}" is not a valid email address')
        return None


def _header(values: list[str]) -> dict[str, int]:
    names = [v.strip().lower() for v in values]
    problems = []
    if not set(names) & set(COLUMNS):
        raise ImportProblems([f"Line 1: {HEADER_HINT}"])
    duplicates = sorted({n for n in names if names.count(n) > 1 and n})
    missing = [c for c in COLUMNS if c not in names]
    extra = [n or "(empty)" for n in names if n not in COLUMNS]
    if missing:
        problems.append(f"Line 1: the header row is missing the column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"Line 1: the header row has unexpected column(s) {', '.join(extra)}")
    if duplicates:
        problems.append(f"Line 1: the header row repeats the column(s) {', '.join(duplicates)}")
    if problems:
        raise ImportProblems([*problems, f"Line 1: {HEADER_HINT}"])
    return {name: names.index(name) for name in COLUMNS}


def _has_control_characters(value: str) -> bool:
    return bool(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value))


def check(data: bytes, version: RoleVersion) -> Plan:
    """Check a whole file against a role version; raises ImportProblems listing every problem."""
    text = _decode(data)
    if not text.strip():
        raise ImportProblems([f"The file is empty: {HEADER_HINT}"])
    records = _records(text)
    problems: list[str] = []
    index: dict[str, int] | None = None
    rows: list[Row] = []
    competencies = {c.key for c in version.role.competencies}
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, values in records:
        if index is None:
            index = _header(values)
            continue
        if not values or all(not v.strip() for v in values):
            continue  # blank lines are allowed
        if len(values) != len(COLUMNS):
            problems.append(
                f"Line {line}: expected {len(COLUMNS)} values, found {len(values)}. "
                "Wrap any value that contains a comma in double quotes."
            )
            continue
        get = {name: values[i].strip() for name, i in index.items()}
        before = len(problems)
        candidate = _email(get["candidate_email"], "candidate_email", line, problems)
        rater = _email(get["rater_email"], "rater_email", line, problems)
        source = get["source"].lower()
        if source not in SOURCES:
            problems.append(
                f'Line {line}: source must be "self", "interview" or "stakeholder", '
                f'not "{get["source"]}"'
            )
        if candidate and rater:
            if source == "self" and rater != candidate:
                problems.append(
                    f"Line {line}: a self row's rater_email must be the candidate's email "
                    f"({candidate}), not {rater}"
                )
            if source == "interview" and rater == candidate:
                problems.append(f"Line {line}: candidates cannot interview themselves")
            if source == "stakeholder" and rater == candidate:
                problems.append(
                    f"Line {line}: a stakeholder row's rater_email must be someone other than "
                    f"the candidate ({candidate})"
                )
        competency = get["competency"]
        if competency not in competencies:
            problems.append(
                f'Line {line}: unknown competency "{competency}": {version.label} has '
                f"{', '.join(sorted(competencies))}"
            )
        level: int | None = None
        if get["level"]:
            if get["level"] in ("0", "1", "2", "3", "4"):
                level = int(get["level"])
            else:
                empty = "not observed" if source == "stakeholder" else "not assessed"
                problems.append(
                    f"Line {line}: level must be a whole number from 0 to 4, or empty for "
                    f'{empty}, not "{get["level"]}"'
                )
        evidence = get["evidence"]
        if len(evidence) > EVIDENCE_MAX:
            problems.append(f"Line {line}: evidence is longer than {EVIDENCE_MAX:,} characters")
        if _has_control_characters(evidence):
            problems.append(f"Line {line}: evidence contains characters that cannot be stored")
        if len(problems) > before or candidate is None or rater is None:
            continue
        key = (candidate, rater, source, competency)
        if key in seen:
            problems.append(
                f"Line {line}: repeats line {seen[key]} (same candidate, rater, source and "
                "competency)"
            )
            continue
        seen[key] = line
        rows.append(Row(line, candidate, rater, source, competency, level, evidence))
    if index is None:
        raise ImportProblems([f"The file is empty: {HEADER_HINT}"])
    if not rows and not problems:
        raise ImportProblems(["The file has a header row but no ratings"])

    groups: dict[tuple[str, str, str], Group] = {}
    for row in rows:
        groups.setdefault(
            (row.candidate, row.rater, row.source), Group(row.candidate, row.rater, row.source)
        ).rows.append(row)
    new_people = check_people(groups.values(), problems)
    check_existing(groups.values(), version, problems)
    if problems:
        raise ImportProblems(sorted(problems, key=_line_of))
    return Plan(list(groups.values()), new_people)


def _line_of(problem: str) -> tuple[int, str]:
    match = re.match(r"Line (\d+):", problem)
    return (int(match.group(1)) if match else 0, problem)


def _name_from_email(email: str) -> str:
    """'sarah.whitfield@x' -> 'Sarah Whitfield' (people can correct it later)."""
    local = email.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w]
    return " ".join(w.capitalize() for w in words) or email


def _insert(model: type, rows: list[dict[str, Any]]) -> None:
    """Insert many rows with one executemany (no RETURNING: row by row on some drivers)."""
    if rows:
        db.session.execute(model.__table__.insert(), rows)  # type: ignore[attr-defined]


def apply(plan: Plan, version: RoleVersion) -> Summary:
    """Write a checked plan: people, assessments, submitted self-assessments and interviews.

    A file holds thousands of ratings, so each table is written with a few multi-row
    statements rather than one per row; the audit trail is the same as row by row.
    """
    summary = Summary(version.label)
    now = utcnow()
    db.session.flush()
    # Who needs creating, in the order rows first name them (the audit trail keeps that order).
    needed: list[str] = []
    for group in plan.groups:
        needed.append(group.candidate)
        if group.source == "interview":
            needed.append(group.rater)
    needed = list(dict.fromkeys(needed))
    ids = {email: user.id for email, user in _users(needed).items()}
    new_emails = [email for email in needed if email not in ids]
    _insert(
        User,
        [{"email": e, "name": _name_from_email(e), "role": plan.new_people[e]} for e in new_emails],
    )
    ids.update({email: user.id for email, user in _users(new_emails).items()})

    latest = _latest_assessments((ids[g.candidate] for g in plan.groups), version)
    assessment_ids = {email: latest[ids[email]].id for email in needed if ids[email] in latest}
    unassessed = list(
        dict.fromkeys(g.candidate for g in plan.groups if g.candidate not in assessment_ids)
    )
    _insert(
        Assessment,
        [{"candidate_id": ids[e], "role_version_id": version.id} for e in unassessed],
    )
    made = _latest_assessments((ids[e] for e in unassessed), version)
    assessment_ids.update({e: made[ids[e]].id for e in unassessed})

    selves = [g for g in plan.groups if g.source == "self"]
    interviews = [g for g in plan.groups if g.source == "interview"]
    stakeholders = [g for g in plan.groups if g.source == "stakeholder"]
    submitted = {"status": "submitted", "submitted_at": now, "imported": True}
    _insert(
        SelfAssessment,
        [
            {"assessment_id": assessment_ids[g.candidate], "started_at": now, **submitted}
            for g in selves
        ],
    )
    _insert(
        Interview,
        [
            {
                "assessment_id": assessment_ids[g.candidate],
                "interviewer_id": ids[g.rater],
                "assigned_at": now,
                **submitted,
            }
            for g in interviews
        ],
    )
    # Read the new ids back: one select per table (the checks proved these pairs are new).
    by_assessment = dict(
        db.session.execute(
            select(SelfAssessment.assessment_id, SelfAssessment.id).where(
                SelfAssessment.assessment_id.in_([assessment_ids[g.candidate] for g in selves])
            )
        ).all()
    )
    self_ids = [by_assessment[assessment_ids[g.candidate]] for g in selves]
    by_pair = {
        (row.assessment_id, row.interviewer_id): row.id
        for row in db.session.execute(
            select(Interview.id, Interview.assessment_id, Interview.interviewer_id).where(
                Interview.assessment_id.in_({assessment_ids[g.candidate] for g in interviews})
            )
        )
    }
    interview_ids = [by_pair[(assessment_ids[g.candidate], ids[g.rater])] for g in interviews]
    _insert(
        SelfRating,
        [
            {
                "self_assessment_id": i,
                "competency_key": r.competency,
                "level": r.level,
                "evidence": r.evidence,
            }
            for g, i in zip(selves, self_ids, strict=True)
            for r in g.rows
        ],
    )
    _insert(
        InterviewRating,
        [
            {
                "interview_id": i,
                "competency_key": r.competency,
                "level": r.level,
                "notes": r.evidence,
                "not_assessed": r.level is None,
            }
            for g, i in zip(interviews, interview_ids, strict=True)
            for r in g.rows
        ],
    )

    _insert_stakeholders(stakeholders, assessment_ids, now)

    # Core inserts bypass the session's hooks: refresh every touched score in bulk here.
    score_snapshots.refresh({assessment_ids[g.candidate] for g in plan.groups})

    # The audit trail, in the order the row-by-row import wrote it.
    events: list[dict[str, Any]] = []
    actor = _actor_id()
    created = set(new_emails)
    new_assessments = set(unassessed)
    group_ids = {id(g): i for g, i in zip(selves, self_ids, strict=True)}
    group_ids.update({id(g): i for g, i in zip(interviews, interview_ids, strict=True)})

    def event(
        action: str, text: str, object_type: str, object_id: int, new: dict[str, Any]
    ) -> None:
        events.append(
            {
                "action": action,
                "summary": text,
                "actor_id": actor,
                "object_type": object_type,
                "object_id": object_id,
                "old_value": None,
                "new_value": new,
                "ip_address": request.remote_addr if has_request_context() else None,
            }
        )

    def person(email: str) -> None:
        if email in created:
            created.discard(email)
            role = plan.new_people[email]
            summary.new_people[email] = role
            event("user.create", f"Created {email} as {role}", "User", ids[email], {"role": role})

    # One event per candidate for their stakeholders: who was asked, never what each said.
    asked: dict[str, list[str]] = {}
    for group in stakeholders:
        asked.setdefault(group.candidate, []).append(group.rater)

    for group in plan.groups:
        person(group.candidate)
        summary.candidates.add(group.candidate)
        if group.candidate in new_assessments:
            new_assessments.discard(group.candidate)
            event(
                "assessment.import",
                f"Assessment of {group.candidate} against {version.label} created by import",
                "Assessment",
                assessment_ids[group.candidate],
                {"candidate": group.candidate, "role_version": version.label},
            )
            summary.new_assessments.append(group.candidate)
        if group.source == "stakeholder":
            summary.stakeholders += 1
            summary.stakeholder_ratings += sum(1 for r in group.rows if r.level is not None)
            emails = asked.pop(group.candidate, None)
            if emails is not None:
                event(
                    "stakeholder.import",
                    f"Feedback from {len(emails)} stakeholder(s) of {group.candidate} imported",
                    "Assessment",
                    assessment_ids[group.candidate],
                    {"stakeholders": sorted(emails)},
                )
            continue
        ratings = {r.competency: {"level": r.level, "evidence": r.evidence} for r in group.rows}
        new = {"status": "submitted", "ratings": ratings}
        if group.source == "self":
            event(
                "self.import",
                f"Self-assessment of {group.candidate} imported ({len(group.rows)} ratings)",
                "SelfAssessment",
                group_ids[id(group)],
                new,
            )
            summary.self_assessments += 1
        else:
            person(group.rater)
            event(
                "interview.import",
                f"Interview of {group.candidate} by {group.rater} imported "
                f"({len(group.rows)} ratings)",
                "Interview",
                group_ids[id(group)],
                new,
            )
            summary.interviews += 1
        summary.ratings += len(group.rows)
    _insert(AuditEvent, events)
    return summary


def _insert_stakeholders(
    groups: list[Group], assessment_ids: dict[str, int], now: datetime
) -> None:
    """Each stakeholder as an imported, submitted invitation (no link was sent, so no token),
    and their levels and comments as rows with random ids, shuffled, so neither the ids nor
    the order they were written in says whose they are."""
    if not groups:
        return
    actor = _actor_id()
    _insert(
        StakeholderInvitation,
        [
            {
                "assessment_id": assessment_ids[g.candidate],
                "email": g.rater,
                "name": "",
                "relationship": "other",
                "token_hash": None,
                "created_at": now,
                "created_by_id": actor,
                "expires_at": now,
                "draft": {},
                "submitted_at": now,
                "imported": True,
            }
            for g in groups
        ],
    )
    ratings = [
        {
            "id": random_id(),
            "assessment_id": assessment_ids[g.candidate],
            "competency_key": r.competency,
            "level": r.level,
        }
        for g in groups
        for r in g.rows
        if r.level is not None
    ]
    comments = [
        {
            "id": random_id(),
            "assessment_id": assessment_ids[g.candidate],
            "competency_key": r.competency,
            "text": r.evidence,
        }
        for g in groups
        for r in g.rows
        if r.evidence
    ]
    shuffle = secrets.SystemRandom().shuffle
    shuffle(ratings)
    shuffle(comments)
    _insert(StakeholderRating, ratings)
    _insert(StakeholderComment, comments)


def _actor_id() -> int | None:
    """The signed-in user, as audit.record finds them (none on the command line)."""
    if has_request_context() and current_user.is_authenticated:
        return int(current_user.id)
    return None
