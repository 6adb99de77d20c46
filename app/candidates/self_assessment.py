"""The exec's self-assessment: lens pages, answers, progress, saving, submitting, reopening.

Functions here flush and never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app import audit, localtime
from app.candidates.errors import CandidateError
from app.extensions import db
from app.models import Assessment, SelfAssessment, SelfRating, User
from app.models.base import utcnow
from app.notifications import events, mark_done
from app.notifications.due_notices import self_done_key
from app.transactions import StaleEdit
from assessments.model import LENS_LABELS, Competency
from assessments.model import RoleDefinition as RoleData

# Answer and Problem are what this module's functions take and give, so callers find them here.
from assessments.self_assessment import Answer as Answer
from assessments.self_assessment import Problem as Problem
from assessments.self_assessment import needs_evidence
from assessments.self_assessment import submission_problems as rule_problems

DEFAULT_ROLE_KEY = "product-director"
EVIDENCE_MAX = 4000


class StaleSelfAssessment(CandidateError, StaleEdit):
    """The self-assessment changed since the form was loaded (another tab or window)."""

    def __init__(self) -> None:
        super().__init__(
            "These answers were changed in another window or tab after you opened this page, "
            "so your changes on this page have not been saved. Compare them with the saved "
            "answers shown below, then save again to keep yours."
        )


class AlreadySubmitted(CandidateError):
    """A submitted self-assessment is read-only until the CPO reopens it."""


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
    return [LensPage(lens, competencies) for lens, competencies in role.by_lens()]


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
    # Answered at level 3 or 4 but without the example submitting needs.
    needs_evidence: int = 0

    @property
    def percent(self) -> int:
        """Whole percent answered."""
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def text(self) -> str:
        """E.g. '5 of 13 answered (38%)'."""
        return f"{self.answered} of {self.total} answered ({self.percent}%)"

    @property
    def blocking_text(self) -> str:
        """E.g. '2 still need evidence', or '' when nothing answered lacks it."""
        if not self.needs_evidence:
            return ""
        verb = "needs" if self.needs_evidence == 1 else "need"
        return f"{self.needs_evidence} still {verb} evidence"


def progress(assessment: Assessment) -> Progress:
    """How much of the self-assessment is answered."""
    keys = {c.key for c in assessment.role_version.role.competencies}
    answers = saved_answers(assessment)
    answered = sum(1 for key in keys if key in answers and answers[key].level is not None)
    given = [answers[key] for key in keys if key in answers]
    lacking = sum(1 for a in given if needs_evidence(a.level, a.evidence))
    return Progress(answered, len(keys), lacking)


def self_state(assessment: Assessment) -> str:
    """not-started, in-progress or submitted."""
    sa = assessment.self_assessment
    if sa is None:
        return "not-started"
    return "submitted" if sa.status == "submitted" else "in-progress"


def resume_page(assessment: Assessment) -> str | None:
    """The lens of the first page with an unanswered competency (None when all are answered)."""
    answers = saved_answers(assessment)
    for page in lens_pages(assessment.role_version.role):
        if any(answers.get(c.key, Answer()).level is None for c in page.competencies):
            return page.lens
    return None


def _ensure_editable(assessment: Assessment) -> None:
    sa = assessment.self_assessment
    if sa is not None and sa.status == "submitted":
        when = localtime.format_date(sa.submitted_at, long=True) if sa.submitted_at else "earlier"
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
    keys = {c.key for c in assessment.role_version.role.competencies}
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


def submission_problems(assessment: Assessment) -> list[Problem]:
    """What blocks submitting the saved answers (the rules are in assessments.self_assessment)."""
    return rule_problems(assessment.role_version.role, saved_answers(assessment))


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
    mark_done(self_done_key(assessment))
    audit.record(
        "self.submit",
        f"Self-assessment of {assessment.candidate.email} submitted",
        obj=sa,
        actor=actor,
        old={"status": "draft"},
        new={"status": "submitted", "ratings": _answers_audit(saved_answers(assessment))},
    )
    events.self_submitted(assessment, actor)
    return sa


def reopen_self(assessment: Assessment, *, actor: User) -> SelfAssessment:
    """Let the exec change a submitted self-assessment again (recorded)."""
    sa = assessment.self_assessment
    if sa is None or sa.status != "submitted":
        raise CandidateError("Only a submitted self-assessment can be reopened")
    if assessment.decision is not None:
        raise CandidateError(
            "A decision has been recorded for this assessment, so its self-assessment is part"
            " of the record and can no longer be reopened."
        )
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
