"""Building the documents a bulk download names ('plan:12', 'readiness:5') for its viewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.candidates.profiles import profiles_for
from app.extensions import db
from app.models import Assessment
from app.models.loaders import load_plans_for_documents, report_options
from app.params import parse_id
from app.policy import may
from app.reports import coaching_plan, documents, readiness
from app.reports.documents import Document
from app.transactions import DomainError

# --- building documents from references ------------------------------------------------------


class UnknownDocument(DomainError):
    """A document reference that names nothing downloadable."""


def parse_ref(ref: str) -> tuple[str, int]:
    """'plan:12' -> ('plan', 12); raises UnknownDocument for anything else."""
    kind, _, raw_id = ref.partition(":")
    number = parse_id(raw_id)
    if kind not in ("plan", "readiness") or number is None:
        raise UnknownDocument(ref)
    return kind, number


@dataclass(frozen=True)
class Bundle:
    """The documents a bulk download holds for its viewer, and those held back from them."""

    documents: list[Document]
    held_back: list[str]


def documents_for(refs: Sequence[str], viewer: Any, *, on: date | None = None) -> Bundle:
    """Build the documents named by references like 'plan:12' and 'readiness:5', in order,
    each for the viewer's audience; what the viewer may not read is held back (named with the
    reason) rather than built.

    Only what the download centre offers: issued or superseded plans and scored assessments.
    Raises UnknownDocument when a reference names anything else.
    """
    parsed = [parse_ref(r) for r in refs]
    plan_ids = [i for kind, i in parsed if kind == "plan"]
    assessment_ids = [i for kind, i in parsed if kind == "readiness"]
    plans = {p.id: p for p in load_plans_for_documents(plan_ids)} if plan_ids else {}
    assessments: dict[int, Assessment] = {}
    if assessment_ids:
        assessments = {
            a.id: a
            for a in db.session.scalars(
                select(Assessment)
                .where(Assessment.id.in_(assessment_ids))
                .options(*report_options())
            )
        }
    profiles = profiles_for(a.candidate_id for a in assessments.values())
    built: list[Document] = []
    held: list[str] = []
    for ref, (kind, ident) in zip(refs, parsed, strict=True):
        if kind == "plan":
            plan = plans.get(ident)
            if plan is None or plan.status == "draft":
                raise UnknownDocument(ref)
            if not may(viewer, "plan.download", plan):
                held.append(f"Coaching plan v{plan.number}: {plan.assessment.candidate.name}")
                continue
            built.append(coaching_plan.plan_document(plan, viewer, on=on))
        else:
            assessment = assessments.get(ident)
            if assessment is None or not documents.is_scored(assessment):
                raise UnknownDocument(ref)
            if not documents.may_read_readiness(viewer, assessment):
                held.append(
                    f"Readiness report: {assessment.candidate.name},"
                    f" {assessment.role_version.label} ({documents.HELD_BACK_REASON})"
                )
                continue
            built.append(
                readiness.readiness_document(
                    assessment, viewer, profiles.get(assessment.candidate_id)
                )
            )
    return Bundle(built, held)
