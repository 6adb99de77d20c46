"""The interview kit: its sections, ratings and saving them, the panel side by side.

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app import audit
from app.extensions import db
from app.interviews.panels import PanelError, submitted_panel
from app.models import Interview, InterviewRating, User
from app.models.base import utcnow
from app.notifications import events, mark_done
from app.notifications.due_notices import interview_done_key
from app.scores import self_ratings
from assessments.model import LENS_LABELS, Competency, RoleDefinition

NOT_ASSESSED = "na"


# --- The interview kit ---------------------------------------------------------------------


FOCUS_HEADING = "Your focus competencies"
OPTIONAL_HEADING = "Optional: rate if you saw evidence"


@dataclass(frozen=True)
class KitSection:
    """A group of competencies in the kit: a lens, or the member's focus or optional ones."""

    lens: str
    label: str
    competencies: tuple[Competency, ...]
    heading: str = ""
    hint: str = ""


def kit_sections(role: RoleDefinition, focus: Sequence[str] | None = None) -> list[KitSection]:
    """The kit's groups: by lens (value, workflow, quality, leadership); with focus areas, the
    member's focus competencies first and the rest as optional, each in lens order."""
    by_lens = [c for _, comps in role.by_lens() for c in comps]
    if focus is None:
        return [
            KitSection(lens, LENS_LABELS[lens], comps, heading=f"{LENS_LABELS[lens]} lens")
            for lens, comps in role.by_lens()
        ]
    chosen = set(focus)
    mine = tuple(c for c in by_lens if c.key in chosen)
    rest = tuple(c for c in by_lens if c.key not in chosen)
    sections = []
    if mine:
        sections.append(
            KitSection(
                "focus",
                "Focus",
                mine,
                heading=FOCUS_HEADING,
                hint="The CPO asked you to cover these: ask their questions and probe for "
                "evidence.",
            )
        )
    if rest:
        sections.append(
            KitSection(
                "optional",
                "Optional",
                rest,
                heading=OPTIONAL_HEADING,
                hint="Other panel members cover these. Rate one only if the interview gave you "
                "evidence; otherwise choose Not assessed.",
            )
        )
    return sections


def kit_order(role: RoleDefinition, focus: Sequence[str] | None = None) -> list[Competency]:
    """The competencies in the order the kit shows them."""
    return [c for section in kit_sections(role, focus) for c in section.competencies]


def _rating_value(rating: InterviewRating | None) -> str:
    if rating is None:
        return ""
    if rating.level is not None:
        return str(rating.level)
    return NOT_ASSESSED if rating.not_assessed else ""


def rating_label(rating: InterviewRating | None) -> str:
    """A rating as shown in tables: the number, "Not assessed" or "Not rated"."""
    value = _rating_value(rating)
    if value == NOT_ASSESSED:
        return "Not assessed"
    return value or "Not rated"


def answered(interview: Interview) -> tuple[int, int]:
    """(competencies rated or marked not assessed, competencies in the role)."""
    keys = {c.key for c in interview.assessment.role_version.role.competencies}
    done = sum(
        1
        for r in interview.ratings
        if r.competency_key in keys and (r.level is not None or r.not_assessed)
    )
    return done, len(keys)


def progress_text(answered: int, total: int) -> str:
    """E.g. '5 of 13 rated' (a competency marked Not assessed counts as answered)."""
    return f"{answered} of {total} rated"


def blocking_text(lacking: int) -> str:
    """E.g. '2 ratings need evidence', or '' when every rating has its evidence."""
    if not lacking:
        return ""
    return f"{lacking} {'rating needs' if lacking == 1 else 'ratings need'} evidence"


def saved_ratings(interview: Interview) -> dict[str, tuple[str, str]]:
    """The saved ratings as `save_interview` takes them: key -> (rating value, notes)."""
    return {r.competency_key: (_rating_value(r), r.notes) for r in interview.ratings}


def form_data(interview: Interview) -> dict[str, object]:
    """The saved interview as the kit form's data."""
    data: dict[str, object] = {
        "version": str(interview.version),
        "strengths": interview.strengths,
        "weaknesses": interview.weaknesses,
        "recommendation": interview.recommendation,
    }
    for rating in interview.ratings:
        data[f"rating-{rating.competency_key}"] = _rating_value(rating) or None
        data[f"notes-{rating.competency_key}"] = rating.notes
    return data


def snapshot(interview: Interview) -> dict[str, Any]:
    """Everything an interviewer records, for the audit log and for conflict messages."""
    return {
        "status": interview.status,
        "recommendation": interview.recommendation,
        "strengths": interview.strengths,
        "weaknesses": interview.weaknesses,
        "ratings": {
            r.competency_key: {"rating": _rating_value(r), "notes": r.notes}
            for r in sorted(interview.ratings, key=lambda r: r.competency_key)
        },
    }


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in new:
        if key == "ratings":
            keys = sorted(set(old["ratings"]) | set(new["ratings"]))
            blank = {"rating": "", "notes": ""}
            changed = [k for k in keys if old["ratings"].get(k, blank) != new["ratings"].get(k)]
            if changed:
                before["ratings"] = {k: old["ratings"].get(k, blank) for k in changed}
                after["ratings"] = {k: new["ratings"].get(k, blank) for k in changed}
        elif old.get(key) != new[key]:
            before[key] = old.get(key)
            after[key] = new[key]
    return before, after


def save_interview(
    interview: Interview,
    ratings: dict[str, tuple[str, str]],
    *,
    strengths: str,
    weaknesses: str,
    recommendation: str | None,
    submit: bool,
    actor: User | None,
) -> None:
    """Store a draft (everything as typed) or submit it; audited with old and new values.

    `ratings` maps competency key -> (rating "0".."4", "na" or "", notes). The caller has
    validated a submission (every competency answered, a recommendation given).
    """
    if interview.status == "submitted":
        raise PanelError("A submitted interview cannot be changed")
    old = snapshot(interview)
    existing = {r.competency_key: r for r in interview.ratings}
    for key, (value, notes) in ratings.items():
        rating = existing.get(key)
        if rating is None:
            if not value and not notes:
                continue
            rating = InterviewRating(competency_key=key)
            interview.ratings.append(rating)
        rating.level = int(value) if value not in ("", NOT_ASSESSED) else None
        rating.not_assessed = value == NOT_ASSESSED
        rating.notes = notes
    interview.strengths = strengths.strip()
    interview.weaknesses = weaknesses.strip()
    interview.recommendation = recommendation or None
    if submit:
        interview.status = "submitted"
        interview.submitted_at = utcnow()
        mark_done(interview_done_key(interview))
    # Ratings live in their own rows: touching the interview bumps its version, so a second
    # tab holding the old version is refused instead of overwriting these ratings.
    interview.updated_at = utcnow()
    db.session.flush()
    before, after = _changes(old, snapshot(interview))
    if before or after or submit:
        candidate = interview.assessment.candidate.name
        audit.record(
            "interview.submit" if submit else "interview.save",
            f"{interview.interviewer.name} {'submitted' if submit else 'saved'} the interview"
            f" of {candidate}",
            obj=interview,
            actor=actor,
            old=before,
            new=after,
        )
    if submit:
        events.panel_check(interview.assessment, actor)


@dataclass(frozen=True)
class ConflictRow:
    """One answer that differs between what the user sent and what is saved now."""

    label: str
    yours: str
    saved: str


def conflicts(
    interview: Interview, competencies: Sequence[Competency], sent: dict[str, Any]
) -> list[ConflictRow]:
    """Where the user's input differs from the interview as saved now (for the conflict page)."""
    saved = snapshot(interview)
    rows = []

    def show(value: str) -> str:
        return {"": "Not rated", NOT_ASSESSED: "Not assessed"}.get(value, value)

    for comp in competencies:
        blank = {"rating": "", "notes": ""}
        now = saved["ratings"].get(comp.key, blank)
        value, notes = sent["ratings"][comp.key]
        if now["rating"] != value:
            rows.append(ConflictRow(f"{comp.name}: rating", show(value), show(now["rating"])))
        if now["notes"] != notes:
            rows.append(ConflictRow(f"{comp.name}: evidence", notes, now["notes"]))
    for key, label in (
        ("strengths", "Strengths"),
        ("weaknesses", "Weaknesses"),
        ("recommendation", "Recommendation"),
    ):
        if (saved[key] or "") != (sent[key] or ""):
            rows.append(ConflictRow(label, sent[key] or "", saved[key] or ""))
    return rows


@dataclass(frozen=True)
class PanelLine:
    """One competency of the "how the others rated" table."""

    competency: Competency
    mine: str
    others: tuple[tuple[str, str], ...]
    self_rating: str


def panel_lines(interview: Interview, competencies: Sequence[Competency]) -> list[PanelLine]:
    """After submitting: this interviewer's ratings beside the other submitted ratings and the
    self-ratings. Callers ask the policy for "panel.view_input" first."""
    others = [i for i in submitted_panel(interview.assessment) if i.id != interview.id]
    own = {r.competency_key: r for r in interview.ratings}
    theirs = [(i.interviewer.name, {r.competency_key: r for r in i.ratings}) for i in others]
    selfs = self_ratings(interview.assessment)
    lines = []
    for comp in competencies:
        self_level = selfs.get(comp.key)
        lines.append(
            PanelLine(
                competency=comp,
                mine=rating_label(own.get(comp.key)),
                others=tuple((name, rating_label(r.get(comp.key))) for name, r in theirs),
                self_rating="Not given" if self_level is None else str(self_level),
            )
        )
    return lines
