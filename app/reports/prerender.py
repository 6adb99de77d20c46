"""Rendering documents before anyone asks: which documents a change affects, and rendering each
for every audience it has into the shared cache.

A document is named by a reference: "readiness:<assessment>", "plan:<plan>",
"shortlist:<stream>:<role version>", "guide:<role version>". What is rendered ahead is what the
download centre offers, for each audience that exists for it: a scored assessment's readiness
report (staff), an issued or superseded plan (the staff copy and the exec's own), the full staff
view of each stream's shortlist, the guide of each published role version. Drafts and the views
of a panel member still holding back are rendered when asked for, as before.

Every step is idempotent: a document is rendered only when the key of its content now differs
from the key of the PDF stored for it, so repeating a task, or asking for a document that did
not change, costs the building of its HTML and nothing more.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    Assessment,
    CoachingPlan,
    InductionChecklist,
    Interview,
    ProgressReview,
    RenderedDocument,
    RenderState,
    RoleVersion,
    SelfAssessment,
    ValueStream,
)
from app.models.base import utcnow
from app.models.loaders import load_assessment_for_report, load_plan_for_document
from app.reports import cache, coaching_plan, documents, guide, readiness, shortlist
from app.reports import pdf as pdf_module
from app.reports.documents import OPERATOR, Document, Operator

log = logging.getLogger(__name__)

KINDS = ("readiness", "plan", "shortlist", "guide")
# Bump when a change to the document builders' code changes every document's HTML: the
# worker then re-renders everything once (templates and the renderer are hashed already).
DOCUMENTS_VERSION = "1"
# Ids per IN (...) list, well under every database's limit on bound parameters.
CHUNK = 500


def parse_ref(ref: str) -> tuple[str, tuple[int, ...]] | None:
    """'shortlist:3:7' -> ('shortlist', (3, 7)); None for anything that names no document."""
    kind, *raw = ref.split(":")
    size = 2 if kind == "shortlist" else 1
    if kind not in KINDS or len(raw) != size or not all(r.isdigit() for r in raw):
        return None
    return kind, tuple(int(r) for r in raw)


def _exec_reader(candidate_id: int) -> Operator:
    """The candidate reading their own plan, as the policy sees them."""
    return Operator(id=candidate_id, role="exec")


def documents_of(ref: str) -> list[Document] | None:
    """The copies of a document rendered ahead, one per audience; [] for a document that is
    rendered only when asked for (a draft); None when the document no longer exists."""
    parsed = parse_ref(ref)
    if parsed is None:
        return None
    kind, ids = parsed
    if kind == "readiness":
        assessment = load_assessment_for_report(ids[0])
        if assessment is None or not documents.is_scored(assessment):
            return None
        return [readiness.readiness_document(assessment, OPERATOR)]
    if kind == "plan":
        plan = load_plan_for_document(ids[0])
        if plan is None:
            return None
        if plan.status == "draft":
            return []
        reader = _exec_reader(plan.assessment.candidate_id)
        return [
            coaching_plan.plan_document(plan, OPERATOR),
            coaching_plan.plan_document(plan, reader),
        ]
    version = db.session.scalar(
        select(RoleVersion)
        .where(RoleVersion.id == ids[-1])
        .options(joinedload(RoleVersion.definition))
    )
    if version is None:
        return None
    if kind == "guide":
        if version.status == "draft":
            return []
        return [guide.interview_guide_document(version, OPERATOR)]
    stream = db.session.get(ValueStream, ids[0])
    if stream is None:
        return None
    assessments = shortlist.load_shortlist(stream, version)
    if not assessments:
        return None
    return [shortlist.shortlist_document(stream, version, OPERATOR, assessments)]


def render_ref(ref: str) -> int:
    """Bring one document's stored PDFs up to date for each of its audiences: render those whose
    content changed, drop those of a document that is gone. Returns how many were rendered."""
    docs = documents_of(ref)
    if docs is None:
        db.session.execute(delete(RenderedDocument).where(RenderedDocument.ref == ref))
        return 0
    keys = [(doc, cache.cache_key(doc)) for doc in docs]
    stale = [(doc, key) for doc, key in keys if cache.current_key(ref, doc.audience) != key]
    if not stale:
        return 0
    # Render outside any transaction: a render takes a second and holds nothing.
    db.session.commit()
    rendered = [
        (doc, key, pdf_module.render_pdf(doc.html, title=doc.title, author=doc.author))
        for doc, key in stale
    ]
    for doc, key, pdf in rendered:
        cache.store(doc, key, pdf)
    return len(rendered)


# --- which documents a change affects --------------------------------------------------------


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _ids(column: Any, where: Any, ids: Iterable[int]) -> set[int]:
    """Values of `column` on the rows whose `where` column is one of ids."""
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(
            v for v in db.session.scalars(select(column).where(where.in_(chunk))) if v is not None
        )
    return found


def _assessments_touched(changed: Mapping[str, Collection[Any]]) -> set[int]:
    """The assessments whose documents a set of changed rows may show."""
    found = {int(i) for i in changed.get("assessment", ())}
    found |= _ids(Interview.assessment_id, Interview.id, changed.get("interview", ()))
    selves = changed.get("self_assessment", ())
    found |= _ids(SelfAssessment.assessment_id, SelfAssessment.id, selves)
    found |= _ids(
        InductionChecklist.assessment_id, InductionChecklist.id, changed.get("checklist", ())
    )
    found |= _ids(CoachingPlan.assessment_id, CoachingPlan.id, changed.get("plan", ()))
    found |= _ids(Assessment.id, Assessment.candidate_id, changed.get("profile", ()))
    found |= _ids(Assessment.id, Assessment.value_stream_id, changed.get("stream", ()))
    versions = {int(i) for i in changed.get("version", ())}
    versions |= _ids(RoleVersion.id, RoleVersion.definition_id, changed.get("definition", ()))
    found |= _ids(Assessment.id, Assessment.role_version_id, versions)
    users = changed.get("user", ())
    if users:  # a name shows as candidate, panel member, decider, plan issuer or reviewer
        found |= _ids(Assessment.id, Assessment.candidate_id, users)
        found |= _ids(Assessment.id, Assessment.decided_by_id, users)
        found |= _ids(Interview.assessment_id, Interview.interviewer_id, users)
        found |= _ids(CoachingPlan.assessment_id, CoachingPlan.issued_by_id, users)
        reviewed = _ids(ProgressReview.plan_id, ProgressReview.reviewer_id, users)
        found |= _ids(CoachingPlan.assessment_id, CoachingPlan.id, reviewed)
    return found


def _refs_of_assessments(assessment_ids: set[int]) -> list[str]:
    """Each document about these assessments: readiness report, plans, their shortlists."""
    refs: list[str] = []
    for chunk in _chunks(assessment_ids):
        scored = set(
            db.session.scalars(
                select(Interview.assessment_id)
                .where(Interview.assessment_id.in_(chunk), Interview.status == "submitted")
                .distinct()
            )
        )
        refs += [f"readiness:{a}" for a in chunk if a in scored]
        refs += [
            f"plan:{p}"
            for p in db.session.scalars(
                select(CoachingPlan.id)
                .where(CoachingPlan.assessment_id.in_(chunk), CoachingPlan.status != "draft")
                .order_by(CoachingPlan.id)
            )
        ]
        refs += [
            f"shortlist:{s}:{v}"
            for s, v in db.session.execute(
                select(Assessment.value_stream_id, Assessment.role_version_id)
                .where(Assessment.id.in_(chunk), Assessment.value_stream_id.is_not(None))
                .distinct()
            )
        ]
    return refs


def affected_refs(changed: Mapping[str, Collection[Any]]) -> list[str]:
    """The documents a committed change may have changed, from what the change listener
    collected (app/reports/changes.py): ids of changed rows by kind, shortlists an assessment
    left, and whole kinds of document when a bulk statement changed rows it cannot name."""
    refs = _refs_of_assessments(_assessments_touched(changed))
    refs += [f"shortlist:{s}:{v}" for s, v in changed.get("shortlist", ())]
    versions = {int(i) for i in changed.get("version", ())}
    versions |= _ids(RoleVersion.id, RoleVersion.definition_id, changed.get("definition", ()))
    refs += [f"guide:{v}" for v in sorted(versions)]
    kinds = [k for k in KINDS if k in set(changed.get("kinds", ()))]
    if kinds:
        refs += all_refs(kinds)
    return list(dict.fromkeys(refs))


def all_refs(kinds: Sequence[str] = KINDS) -> list[str]:
    """Every document of these kinds that is rendered ahead."""
    refs: list[str] = []
    if "readiness" in kinds:
        scored = (
            select(Interview.assessment_id)
            .where(Interview.status == "submitted")
            .distinct()
            .order_by(Interview.assessment_id)
        )
        refs += [f"readiness:{a}" for a in db.session.scalars(scored)]
    if "plan" in kinds:
        refs += plan_refs()
    if "shortlist" in kinds:
        pairs = (
            select(Assessment.value_stream_id, Assessment.role_version_id)
            .where(Assessment.value_stream_id.is_not(None))
            .distinct()
            .order_by(Assessment.value_stream_id, Assessment.role_version_id)
        )
        refs += [f"shortlist:{s}:{v}" for s, v in db.session.execute(pairs)]
    if "guide" in kinds:
        published = (
            select(RoleVersion.id).where(RoleVersion.status == "published").order_by(RoleVersion.id)
        )
        refs += [f"guide:{v}" for v in db.session.scalars(published)]
    return refs


def plan_refs() -> list[str]:
    """Every issued or superseded plan: the documents whose content moves with the date."""
    query = select(CoachingPlan.id).where(CoachingPlan.status != "draft").order_by(CoachingPlan.id)
    return [f"plan:{p}" for p in db.session.scalars(query)]


def purge_except(kinds: Sequence[str], keep: Iterable[str]) -> int:
    """Drop stored PDFs of these kinds whose document is no longer offered (a deleted stream,
    a retired guide, a draft downloaded once). Returns how many documents were dropped."""
    kept = set(keep)
    stored = set(db.session.scalars(select(RenderedDocument.ref).distinct()))
    gone = sorted(r for r in stored - kept if r.split(":", 1)[0] in kinds)
    for start in range(0, len(gone), CHUNK):
        db.session.execute(
            delete(RenderedDocument).where(RenderedDocument.ref.in_(gone[start : start + CHUNK]))
        )
    return len(gone)


# --- what touches every document, and the daily sweep ----------------------------------------


def fingerprint() -> str:
    """What every document depends on besides its data: the renderer (WeasyPrint, options,
    print stylesheet, fonts), the document templates, the builders' version and the
    organisation's name. When it changes, every document is re-rendered once."""
    digest = hashlib.sha256()
    digest.update(pdf_module.renderer_version().encode())
    digest.update(DOCUMENTS_VERSION.encode())
    digest.update(str(current_app.config["ORGANISATION_NAME"]).encode("utf-8"))
    folder = Path(str(current_app.template_folder)) / "pdf"
    for path in sorted(folder.glob("*.html")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def claim(name: str, value: str) -> bool:
    """Set a render state to value; True only for the one caller that changed it (several
    workers starting at once: one of them re-renders). Flushes."""
    dialect = db.session.get_bind().dialect.name
    insert_: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING says which row was written (rowcount is not reported for these everywhere).
    inserted = db.session.execute(
        insert_(RenderState)
        .values(name=name, value=value, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(RenderState.name)
    )
    if inserted.first() is not None:
        return True
    changed = db.session.execute(
        update(RenderState)
        .where(RenderState.name == name, RenderState.value != value)
        .values(value=value, updated_at=utcnow())
        .returning(RenderState.name)
    )
    return changed.first() is not None


def due_refreshes() -> tuple[str, ...]:
    """The kinds of document that time or a deploy changed since the last look: all of them
    when the renderer, templates or organisation name changed, else the plans once a day
    (checkpoints and induction items turn due and overdue with the date, and nothing else in
    any document does). Claims them, so only one caller gets them. Flushes."""
    from app.coaching.plans import today

    if claim("fingerprint", fingerprint()):
        claim("swept_on", today().isoformat())
        return KINDS
    if claim("swept_on", today().isoformat()):
        return ("plan",)
    return ()


__all__ = [
    "KINDS",
    "affected_refs",
    "all_refs",
    "documents_of",
    "due_refreshes",
    "fingerprint",
    "parse_ref",
    "plan_refs",
    "purge_except",
    "render_ref",
]
