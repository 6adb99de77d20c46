"""The four PDF documents as final HTML: readiness report, coaching plan, shortlist, guide.

Each builder takes loaded records and the viewer, and returns a `Document` built for that
viewer's audience: the builder asks `app.policy` what the viewer may read (an exec's own plan
has no CPO notes; a panel member with an unsubmitted interview gets no other member's input).
The HTML is everything the PDF depends on (apart from the renderer version), and the cache key
adds the audience, so two audiences never share a cached PDF. Templates are rendered straight
from the Jinja environment, with no request, so the CLI and background exports build the very
same HTML as a download.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers, joinedload, selectinload

from app.candidates.profiles import profiles_for
from app.extensions import db
from app.models import (
    HATS,
    Assessment,
    CoachingPlan,
    ExecProfile,
    Interview,
    RoleVersion,
    SelfAssessment,
    ValueStream,
)
from app.models.interviews import RECOMMENDATIONS
from app.models.people import DECISIONS, EXPERIENCE_LEVELS
from app.policy import may
from app.scores import score_for
from assessments.charts import competency_chart_svg
from assessments.model import LENS_LABELS, LENSES, RATING_SCALE
from assessments.scoring import FLAG_LABELS, RankEntry, ScoreResult, rank_candidates

KINDS: dict[str, str] = {
    "readiness": "Readiness report",
    "plan": "Coaching plan",
    "shortlist": "Shortlist",
    "interview-guide": "Interview guide",
}
# The chart names web fonts; in a PDF it uses the shipped font like the text around it.
DASH = "\N{EN DASH}"
_CHART_FONT = 'font-family="Helvetica, Arial, sans-serif"'
_REPORT_FONT = 'font-family="Report Sans, sans-serif"'


@dataclass(frozen=True)
class Document:
    """A document ready to render: its final HTML, the metadata the PDF carries, and the
    audience it was built for (part of the cache key)."""

    kind: str
    html: str
    title: str
    author: str
    filename: str
    audience: str = "staff"


@dataclass(frozen=True)
class Operator:
    """Whoever runs `flask report` at the shell: they hold the database, so they read as an
    administrator (who sits on no panel)."""

    id: int = 0
    role: str = "admin"
    is_authenticated: bool = True


OPERATOR = Operator()
HELD_BACK_REASON = "held back until you submit your interview"


class HeldBack(PermissionError):
    """The viewer may not read this document (or this part of it)."""


def may_read_readiness(viewer: Any, assessment: Assessment) -> bool:
    """Staff who may see the panel's input: a panel member only after submitting their own."""
    return may(viewer, "reports.download") and may(viewer, "panel.view_input", assessment)


def _document(
    kind: str,
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    description: str,
    document_name: str,
    generated_on: date,
    filename: str,
    draft: bool = False,
    audience: str = "staff",
) -> Document:
    """Render one document with the metadata every PDF carries (title, author, header name,
    date, draft marking)."""
    author = _author()
    html = _render(
        template,
        {
            **context,
            "title": title,
            "author": author,
            "description": description,
            "document_name": document_name,
            "generated_on": generated_on,
            "draft": draft,
        },
    )
    return Document(
        kind=kind, html=html, title=title, author=author, filename=filename, audience=audience
    )


def today() -> date:
    """The generation date printed on documents (UTC), one per day so caching still works."""
    return datetime.now(UTC).date()


def slug(*parts: object) -> str:
    """A safe ASCII file-name part: 'Sarah Whitfield' -> 'sarah-whitfield'."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "document"


def num(value: float | int | None, places: int = 2) -> str:
    """2.0 -> '2', 2.50 -> '2.5', None -> a dash: figures as the pages show them."""
    if value is None:
        return DASH
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def percent(share: float | None, places: int = 1) -> str:
    """0.857 -> '85.7%'."""
    if share is None:
        return DASH
    return f"{num(share * 100, places)}%"


def _render(template: str, context: dict[str, Any]) -> str:
    env = current_app.jinja_env
    return env.get_template(template).render(
        organisation=current_app.config["ORGANISATION_NAME"],
        num=num,
        percent=percent,
        lens_labels=LENS_LABELS,
        rating_scale=RATING_SCALE,
        flag_labels=FLAG_LABELS,
        **context,
    )


def _author() -> str:
    return str(current_app.config["ORGANISATION_NAME"])


def chart_for_pdf(result: ScoreResult, title: str) -> str:
    """The same server-made SVG as the pages, set in the report's font."""
    return competency_chart_svg(result, title=title).replace(_CHART_FONT, _REPORT_FONT)


# --- loading ---------------------------------------------------------------------------------


def assessment_options() -> list[Any]:
    """Eager loads for everything a readiness report reads from an assessment.

    Many-to-one links are joined into the main query; the collections take one query each,
    so a list of assessments costs the same number of queries as one.
    """
    interviews = Assessment.interviews
    return [
        joinedload(Assessment.candidate),
        joinedload(Assessment.role_version).joinedload(RoleVersion.definition),
        joinedload(Assessment.value_stream),
        joinedload(Assessment.decided_by),
        selectinload(Assessment.self_assessment).selectinload(SelfAssessment.ratings),
        selectinload(interviews).options(
            selectinload(Interview.ratings), joinedload(Interview.interviewer)
        ),
    ]


def load_assessment(assessment_id: int) -> Assessment | None:
    """One assessment with everything its readiness report shows."""
    return db.session.scalar(
        select(Assessment).where(Assessment.id == assessment_id).options(*assessment_options())
    )


def is_scored(assessment: Assessment) -> bool:
    """True once at least one panel interview is submitted: a readiness report exists."""
    return any(i.status == "submitted" for i in getattr(assessment, "interviews", []))


# --- readiness report ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExperienceRow:
    """One function the value stream needs, and the candidate's experience of it."""

    function: str
    level: str
    label: str


def experience_rows(assessment: Assessment, profile: ExecProfile | None) -> list[ExperienceRow]:
    """The stream's functions (the role's when the stream names none) against the profile."""
    stream = assessment.value_stream
    functions = list(stream.functions) if stream and stream.functions else []
    if not functions:
        functions = list(assessment.role_version.content.get("functions", []))
    experience = (profile.experience if profile else None) or {}
    rows = []
    for function in functions:
        level = experience.get(function, "none")
        if level not in EXPERIENCE_LEVELS:
            level = "none"
        rows.append(ExperienceRow(function, level, EXPERIENCE_LEVELS[level]))
    return rows


def _panel_rows(assessment: Assessment) -> list[dict[str, Any]]:
    rows = []
    for interview in sorted(
        getattr(assessment, "interviews", []), key=lambda i: (i.submitted_at is None, i.id)
    ):
        rows.append(
            {
                "interviewer": interview.interviewer.name,
                "status": "Submitted" if interview.status == "submitted" else "Not submitted",
                "submitted": interview.submitted_at.date() if interview.submitted_at else None,
                "recommendation": RECOMMENDATIONS.get(interview.recommendation or "", DASH),
                "strengths": interview.strengths if interview.status == "submitted" else "",
                "weaknesses": interview.weaknesses if interview.status == "submitted" else "",
            }
        )
    return rows


def readiness_context(assessment: Assessment, profile: ExecProfile | None) -> dict[str, Any]:
    """What the readiness report shows, from one loaded assessment."""
    result = score_for(assessment)
    version = assessment.role_version
    # The score carries every competency's name; parsing the role again would cost as much.
    competencies = {c.key: c for c in result.competencies}
    by_lens: dict[str, list[Any]] = {lens: [] for lens in LENSES}
    for score in result.competencies:
        by_lens[score.lens].append(score)
    must_haves = [c for c in result.competencies if c.must_have]
    stream = assessment.value_stream
    candidate = assessment.candidate
    return {
        "assessment": assessment,
        "candidate": candidate,
        "profile": profile,
        "stream": stream,
        "version": version,
        "result": result,
        "competencies": competencies,
        "by_lens": {lens: rows for lens, rows in by_lens.items() if rows},
        "must_haves": must_haves,
        "strengths": result.strengths(),
        "weaknesses": result.weaknesses(),
        "chart": chart_for_pdf(result, f"{candidate.name}: self, panel and required levels"),
        "experience": experience_rows(assessment, profile),
        "missing_hats": [HATS[h] for h in stream.missing_hats] if stream else [],
        "hats": HATS,
        "panel": _panel_rows(assessment),
        "decision": DECISIONS.get(assessment.decision or ""),
        "status_label": assessment.status_label,
    }


def readiness_document(
    assessment: Assessment,
    viewer: Any,
    profile: ExecProfile | None = None,
    *,
    generated_on: date | None = None,
) -> Document:
    """The readiness report of one assessment; raises HeldBack for a viewer who may not read
    the panel's input (it is all about that input, so there is no version without it)."""
    if not may_read_readiness(viewer, assessment):
        raise HeldBack(f"readiness:{assessment.id}")
    if profile is None:
        profile = db.session.get(ExecProfile, assessment.candidate_id)
    context = readiness_context(assessment, profile)
    name = assessment.candidate.name
    version = assessment.role_version
    title = f"Readiness report: {name}, {version.label}"
    return _document(
        "readiness",
        "pdf/readiness.html",
        context,
        title=title,
        description=f"Readiness of {name} for {version.label}",
        document_name=f"Readiness report · {name}",
        generated_on=generated_on or today(),
        filename=f"readiness-report-{slug(name)}-{slug(version.definition.key)}-v{version.number}.pdf",
    )


# --- shortlist -------------------------------------------------------------------------------


@dataclass
class ShortlistEntry:
    """One ranked candidate on a shortlist."""

    rank: int
    assessment: Assessment
    result: ScoreResult
    profile: ExecProfile | None = None
    scores: dict[str, Any] = field(default_factory=dict)


def load_shortlist(stream: ValueStream, version: RoleVersion) -> list[Assessment]:
    """Every assessment for this stream and role version, eager-loaded for scoring."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(
                Assessment.value_stream_id == stream.id, Assessment.role_version_id == version.id
            )
            .options(*assessment_options())
        )
    )


def shortlist_context(
    stream: ValueStream, version: RoleVersion, assessments: Sequence[Assessment], viewer: Any
) -> dict[str, Any]:
    """Scored candidates in ranking order, the ones not scored yet, and the ones whose panel
    input the viewer may not read yet (named only, never scored or ranked)."""
    held = sorted(
        (a for a in assessments if not may(viewer, "panel.view_input", a)),
        key=lambda a: a.candidate.name,
    )
    shown = [a for a in assessments if a not in held]
    scored = [a for a in shown if is_scored(a)]
    waiting = sorted((a for a in shown if not is_scored(a)), key=lambda a: a.candidate.name)
    ranked = rank_candidates(RankEntry(a.candidate.name, score_for(a), a) for a in scored)
    profiles = profiles_for(a.candidate_id for a in assessments)
    entries = []
    for rank, entry in enumerate(ranked, start=1):
        assessment: Assessment = entry.ref  # type: ignore[assignment]
        entries.append(
            ShortlistEntry(
                rank=rank,
                assessment=assessment,
                result=entry.result,
                profile=profiles.get(assessment.candidate_id),
                scores={c.key: c for c in entry.result.competencies},
            )
        )
    # Side by side: at most four candidates across a portrait page, more pages as needed.
    groups = [entries[i : i + 4] for i in range(0, len(entries), 4)]
    return {
        "stream": stream,
        "version": version,
        "role": version.role,
        "entries": entries,
        "groups": groups,
        "waiting": waiting,
        "held_back": held,
        "held_back_reason": HELD_BACK_REASON,
        "decisions": DECISIONS,
    }


def shortlist_document(
    stream: ValueStream,
    version: RoleVersion,
    viewer: Any,
    assessments: Sequence[Assessment] | None = None,
    *,
    generated_on: date | None = None,
) -> Document:
    """The ranked shortlist for one value stream and role version, as this viewer may read it;
    raises HeldBack when the viewer may not see the role version at all."""
    if not may(viewer, "roles.view", version):
        raise HeldBack(f"shortlist:{stream.id}:{version.id}")
    if assessments is None:
        assessments = load_shortlist(stream, version)
    context = shortlist_context(stream, version, assessments, viewer)
    held_ids = ",".join(str(a.id) for a in context["held_back"])
    title = f"Shortlist: {stream.name}, {version.label}"
    return _document(
        "shortlist",
        "pdf/shortlist.html",
        context,
        title=title,
        description=f"Candidates for {stream.name} ranked against {version.label}",
        document_name=f"Shortlist · {stream.name}",
        generated_on=generated_on or today(),
        filename=f"shortlist-{slug(stream.name)}-{slug(version.definition.key)}-v{version.number}.pdf",
        audience=f"staff;held-back={held_ids}" if held_ids else "staff",
    )


# --- interview guide -------------------------------------------------------------------------


def interview_guide_document(
    version: RoleVersion, viewer: Any, *, generated_on: date | None = None
) -> Document:
    """A blank interview guide for one role version, for notes on paper; raises HeldBack
    when the viewer may not see the version (a draft, for most roles)."""
    if not may(viewer, "guide.download", version):
        raise HeldBack(f"guide:{version.id}")
    role = version.role
    title = f"Interview guide: {version.label}"
    return _document(
        "interview-guide",
        "pdf/interview_guide.html",
        {"version": version, "role": role},
        title=title,
        description=f"Questions, rubric and note space for {version.label}",
        document_name=f"Interview guide · {version.label}",
        generated_on=generated_on or today(),
        draft=version.status == "draft",
        filename=f"interview-guide-{slug(version.definition.key)}-v{version.number}.pdf",
        audience="panel",
    )


# --- coaching plan ---------------------------------------------------------------------------


def plan_options() -> list[Any]:
    """Eager loads for a coaching plan document, in five queries whatever its size.

    Many-to-one links are joined into the main query; the collections (every version of the
    plan, their reviews, the checklist and its tasks) take one query each.
    """
    from app.models import InductionChecklist, ProgressReview

    plans = Assessment.plans
    checklist = Assessment.checklist
    reviews = CoachingPlan.reviews
    return [
        joinedload(CoachingPlan.issued_by),
        joinedload(CoachingPlan.assessment).options(
            joinedload(Assessment.candidate),
            joinedload(Assessment.value_stream),
            joinedload(Assessment.role_version).joinedload(RoleVersion.definition),
            selectinload(plans).selectinload(reviews).joinedload(ProgressReview.reviewer),
            selectinload(checklist).selectinload(InductionChecklist.tasks),
        ),
    ]


def load_plan(plan_id: int) -> CoachingPlan | None:
    """One coaching plan with everything its document shows, in a fixed number of queries."""
    configure_mappers()  # the backrefs `plans`, `checklist` and `reviews` exist once configured
    return db.session.scalar(
        select(CoachingPlan).where(CoachingPlan.id == plan_id).options(*plan_options())
    )


def load_plans(plan_ids: Sequence[int]) -> list[CoachingPlan]:
    """Several coaching plans, eager-loaded, in the order asked for."""
    configure_mappers()
    found = {
        p.id: p
        for p in db.session.scalars(
            select(CoachingPlan).where(CoachingPlan.id.in_(list(plan_ids))).options(*plan_options())
        )
    }
    return [found[i] for i in plan_ids if i in found]


def plan_context(plan: CoachingPlan, on: date, *, private: bool) -> dict[str, Any]:
    """What the coaching plan document shows, from one loaded plan. Without `private` (the
    exec's own copy) it holds what the plan page shows an exec: no review notes, rationale,
    fail-fast reasons or reviewer names."""
    from app.coaching import services as coaching
    from app.induction import services as induction
    from assessments.induction import OWNER_LABELS, is_overdue
    from assessments.plans import REVIEW_DECISION_LABELS

    assessment = plan.assessment
    content = plan.content or {}
    reviews = coaching.reviews_of(assessment)
    own_reviews = [r for r in reviews if r.plan_id == plan.id]
    latest_ratings: dict[str, tuple[int, int]] = {}
    for review in reviews:
        for key, level in (review.ratings or {}).items():
            latest_ratings[key] = (level, review.checkpoint_day)
    goals = []
    for goal in content.get("goals", []):
        current = latest_ratings.get(goal["key"])
        goals.append({**goal, "current": current})
    checkpoints = coaching.checkpoint_statuses(
        plan, reviews, on, closed=any(r.decision == "exit" for r in reviews)
    )
    checklist = getattr(assessment, "checklist", None)
    induction_summary = induction.summarise(checklist, on) if checklist is not None else None
    groups = induction.grouped_tasks(checklist) if checklist is not None else []
    history = []
    for review in reviews:
        row: dict[str, Any] = {
            "day": review.checkpoint_day,
            "held_on": review.held_on,
            "closed_share": review.closed_share,
            "actual_load_share": review.actual_load_share,
            "plan_number": review.plan.number,
            "decision": REVIEW_DECISION_LABELS.get(review.decision or "", "Not decided yet"),
        }
        if private:  # the exec's copy never carries the CPO's working notes
            row.update(
                fail_fast=review.fail_fast,
                fail_fast_reasons=list(review.fail_fast_reasons or []),
                notes=review.notes,
                rationale=review.rationale,
                reviewer=review.reviewer.name if review.reviewer else "",
            )
        history.append(row)
    mentor = content.get("mentor") or {}
    latest_closed = own_reviews[-1].closed_share if own_reviews else None
    return {
        "plan": plan,
        "content": content,
        "assessment": assessment,
        "candidate": assessment.candidate,
        "stream": assessment.value_stream,
        "version": assessment.role_version,
        "goals": goals,
        "must_have_goals": [g for g in goals if g.get("must_have")],
        "gather_evidence": content.get("gather_evidence", []),
        "mentor": mentor,
        "mentor_kind": coaching.MENTOR_KINDS.get(mentor.get("kind", ""), ""),
        "load_months": coaching.load_months(plan, reviews),
        "tradeoffs": content.get("tradeoffs", []),
        "checkpoints": checkpoints,
        "next_checkpoint": next((c for c in checkpoints if c.state in ("due", "overdue")), None),
        "induction": induction_summary,
        "task_groups": groups,
        "owner_labels": OWNER_LABELS,
        "is_overdue": lambda task: is_overdue(task.due_date, task.done, on),
        "history": history,
        "latest_closed": latest_closed,
        "status_label": coaching.PLAN_STATUS_LABELS.get(plan.status, plan.status),
        "awaiting": [r for r in reviews if r.awaiting_decision] if private else [],
        "private": private,
    }


def plan_document(plan: CoachingPlan, viewer: Any, *, generated_on: date | None = None) -> Document:
    """The coaching plan document of one plan version, for this viewer's audience: staff get
    the CPO's review notes and rationale, the exec their own copy without them. Raises
    HeldBack when the viewer may not read the plan at all (someone else's, or a draft)."""
    if not may(viewer, "plan.download", plan):
        raise HeldBack(f"plan:{plan.id}")
    private = may(viewer, "review.view")
    on = generated_on or today()
    context = plan_context(plan, on, private=private)
    name = plan.assessment.candidate.name
    title = f"Coaching plan v{plan.number}: {name}"
    return _document(
        "plan",
        "pdf/plan.html",
        context,
        title=title,
        description=f"Coaching plan version {plan.number} for {name}",
        document_name=f"Coaching plan v{plan.number} · {name}",
        generated_on=on,
        draft=plan.status == "draft",
        filename=f"coaching-plan-{slug(name)}-v{plan.number}.pdf",
        audience="staff" if private else "exec",
    )
