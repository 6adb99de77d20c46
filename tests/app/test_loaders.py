"""Each named loader brings everything its use reads: touching it runs no further query."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import Assessment
from app.models.loaders import (
    load_assessment_for_candidate_page,
    load_assessment_for_report,
    load_assessment_for_results,
    load_assessments_for_reports,
    load_plan_for_document,
    load_plans_for_documents,
)
from tests.fixtures.builders import panel_scene, person, selected_exec
from tests.fixtures.queries import count_queries


def _read_panel(assessment: Assessment) -> list[object]:
    """What a results page or a readiness report reads from an assessment."""
    seen: list[object] = [
        assessment.candidate.name,
        assessment.role_version.definition.key,
        assessment.value_stream.name if assessment.value_stream else None,
        assessment.decided_by,
        assessment.status,
    ]
    if assessment.self_assessment is not None:
        seen += [r.level for r in assessment.self_assessment.ratings]
    for interview in assessment.interviews:
        seen += [interview.interviewer.name] + [r.level for r in interview.ratings]
    return seen


def test_assessment_loaders_read_the_panel_without_more_queries(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        scene = panel_scene(make_user)
        db.session.expunge_all()
        loaded = [
            load_assessment_for_results(scene.assessment_id),
            load_assessment_for_report(scene.assessment_id),
            load_assessments_for_reports([scene.assessment_id])[scene.assessment_id],
        ]
        with count_queries(app) as statements:
            for assessment in loaded:
                assert assessment is not None
                assert len(_read_panel(assessment)) > 10
        assert statements == []


def test_candidate_page_loader_reads_the_status_without_more_queries(
    app: Flask,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    with app.app_context():
        scene = panel_scene(make_user)
        db.session.expunge_all()
        assessment = load_assessment_for_candidate_page(scene.assessment_id)
        with count_queries(app) as statements:
            assert assessment is not None
            assert assessment.status == "scored"
            assert assessment.role_version.definition.key == "product-director"
        assert statements == []


def test_plan_loaders_read_the_whole_document_without_more_queries(app: Flask) -> None:
    with app.app_context():
        cpo = person("cpo")
        assessment = selected_exec(person("exec"), cpo=cpo)
        plan_id = assessment.plans[0].id
        db.session.commit()
        db.session.expunge_all()
        plans = [load_plan_for_document(plan_id), *load_plans_for_documents([plan_id, 999])]
        with count_queries(app) as statements:
            for plan in plans:
                assert plan is not None
                a = plan.assessment
                assert a.candidate.name and a.role_version.definition.key
                assert [p.number for p in a.plans] == [1]
                assert [r.checkpoint_day for p in a.plans for r in p.reviews] == []
                assert a.checklist is not None and len(a.checklist.tasks) > 5
        assert statements == []
        assert len(plans) == 2
