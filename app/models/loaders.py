"""Named loaders: one per use, each with the eager loads its pages or documents read.

A list or a document costs the same number of queries whatever its size because everything
it reads is loaded here, up front; callers name the use instead of copying option chains.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.extensions import db
from app.models.coaching import CoachingPlan, InductionChecklist, ProgressReview
from app.models.interviews import Interview
from app.models.people import Assessment, SelfAssessment
from app.models.roles import RoleVersion


def results_options() -> list[ExecutableOption]:
    """Eager loads for a page that scores one or many assessments with a constant query count."""
    # Stream and role version hold JSON: select-in loading decodes it once per object rather
    # than once per row, which matters on a shortlist of hundreds.
    return [
        joinedload(Assessment.candidate),
        selectinload(Assessment.value_stream),
        joinedload(Assessment.decided_by),
        selectinload(Assessment.role_version).joinedload(RoleVersion.definition),
        selectinload(Assessment.self_assessment).selectinload(SelfAssessment.ratings),
        selectinload(Assessment.interviews).options(
            joinedload(Interview.interviewer), selectinload(Interview.ratings)
        ),
    ]


def load_assessment_for_results(assessment_id: int) -> Assessment | None:
    """One assessment with its candidate, role version, self-assessment and panel."""
    # One object: its many-to-one links (and the one self-assessment) are joined into the
    # first query, leaving one query per collection (five in all, not seven).
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.id == assessment_id)
        .options(
            joinedload(Assessment.candidate),
            joinedload(Assessment.value_stream),
            joinedload(Assessment.decided_by),
            joinedload(Assessment.role_version).joinedload(RoleVersion.definition),
            joinedload(Assessment.self_assessment).selectinload(SelfAssessment.ratings),
            selectinload(Assessment.interviews).options(
                joinedload(Interview.interviewer), selectinload(Interview.ratings)
            ),
        )
    )


def report_options() -> list[ExecutableOption]:
    """Eager loads for everything a readiness report reads from an assessment.

    Many-to-one links are joined into the main query; the collections take one query each,
    so a list of assessments costs the same number of queries as one.
    """
    return [
        joinedload(Assessment.candidate),
        joinedload(Assessment.role_version).joinedload(RoleVersion.definition),
        joinedload(Assessment.value_stream),
        joinedload(Assessment.decided_by),
        selectinload(Assessment.self_assessment).selectinload(SelfAssessment.ratings),
        selectinload(Assessment.interviews).options(
            selectinload(Interview.ratings), joinedload(Interview.interviewer)
        ),
    ]


def load_assessment_for_report(assessment_id: int) -> Assessment | None:
    """One assessment with everything its readiness report shows."""
    return db.session.scalar(
        select(Assessment).where(Assessment.id == assessment_id).options(*report_options())
    )


def load_assessments_for_reports(assessment_ids: Iterable[int]) -> dict[int, Assessment]:
    """Several assessments with everything their readiness reports show, by id."""
    query = select(Assessment).where(Assessment.id.in_(list(assessment_ids)))
    return {a.id: a for a in db.session.scalars(query.options(*report_options()))}


def candidate_page_options() -> list[ExecutableOption]:
    """Eager loads for an exec's assessment pages (status, self-assessment, role)."""
    return [
        selectinload(Assessment.candidate),
        selectinload(Assessment.value_stream),
        selectinload(Assessment.role_version).selectinload(RoleVersion.definition),
        selectinload(Assessment.self_assessment).selectinload(SelfAssessment.ratings),
        selectinload(Assessment.interviews),
    ]


def load_assessment_for_candidate_page(assessment_id: int) -> Assessment | None:
    """One assessment with what its candidate pages show."""
    return db.session.scalar(
        select(Assessment).where(Assessment.id == assessment_id).options(*candidate_page_options())
    )


def plan_document_options() -> list[ExecutableOption]:
    """Eager loads for a coaching plan document, in five queries whatever its size.

    Many-to-one links are joined into the main query; the collections (every version of the
    plan, their reviews, the checklist and its tasks) take one query each.
    """
    return [
        joinedload(CoachingPlan.issued_by),
        joinedload(CoachingPlan.assessment).options(
            joinedload(Assessment.candidate),
            joinedload(Assessment.value_stream),
            joinedload(Assessment.role_version).joinedload(RoleVersion.definition),
            selectinload(Assessment.plans)
            .selectinload(CoachingPlan.reviews)
            .joinedload(ProgressReview.reviewer),
            selectinload(Assessment.checklist).selectinload(InductionChecklist.tasks),
        ),
    ]


def load_plan_for_document(plan_id: int) -> CoachingPlan | None:
    """One coaching plan with everything its document shows, in a fixed number of queries."""
    return db.session.scalar(
        select(CoachingPlan).where(CoachingPlan.id == plan_id).options(*plan_document_options())
    )


def load_plans_for_documents(plan_ids: Sequence[int]) -> list[CoachingPlan]:
    """Several coaching plans, eager-loaded, in the order asked for."""
    query = select(CoachingPlan).where(CoachingPlan.id.in_(list(plan_ids)))
    found = {p.id: p for p in db.session.scalars(query.options(*plan_document_options()))}
    return [found[i] for i in plan_ids if i in found]
