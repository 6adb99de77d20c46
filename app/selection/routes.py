"""Routes of the selection area: results, the shortlist, and the CPO's decision."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import localtime
from app.extensions import db
from app.interviews import panels
from app.models import DECISIONS, RECOMMENDATIONS, Assessment, ValueStream
from app.models.loaders import load_assessment_for_results
from app.page_cache import cached_page
from app.pagination import kept_args, requested_page
from app.params import parse_id
from app.policy import may, requires
from app.reports.documents import is_scored, may_read_readiness
from app.scores import evidence_for, score_for
from app.selection import bp, services
from app.selection.forms import DecisionForm
from app.stakeholder_feedback import perspectives_chart, shown
from app.transactions import StaleEdit, transaction
from assessments.model import LENS_LABELS
from assessments.scoring import FLAG_LABELS


def _assessment_or_404(assessment_id: int) -> Assessment:
    assessment = load_assessment_for_results(assessment_id)
    if assessment is None:
        abort(404)
    return assessment


@bp.route("/assessments/<int:assessment_id>/results")
@requires("score.view")
@cached_page
def show_results(assessment_id: int) -> ResponseReturnValue:
    """The score breakdown: band, readiness, must-haves, chart, competencies and decision."""
    assessment = _assessment_or_404(assessment_id)
    sees_panel = may(current_user, "panel.view_input", assessment)
    panel = panels.panel_of(assessment)
    evidence = evidence_for(assessment)
    result = score_for(assessment) if sees_panel and evidence.scored else None
    stakeholders = None
    if result is not None:
        result, stakeholders = shown(assessment, result)
    return render_template(
        "selection/results.html",
        assessment=assessment,
        sees_panel=sees_panel,
        evidence=evidence,
        readiness_pdf=evidence.scored
        and is_scored(assessment)
        and may_read_readiness(current_user, assessment),
        own=panels.own_interview(current_user, assessment),
        result=result,
        chart=perspectives_chart(assessment, result, stakeholders) if result is not None else None,
        stakeholders=stakeholders,
        panel=panel,
        experience=services.experience_coverage(assessment),
        lens_labels=LENS_LABELS,
        flag_labels=FLAG_LABELS,
        recommendations=RECOMMENDATIONS,
        decisions=DECISIONS,
    )


@bp.route("/value-streams/<int:stream_id>/shortlist")
@requires("shortlist.view")
@cached_page
def shortlist(stream_id: int) -> ResponseReturnValue:
    """The candidates for the stream and one role version in ranking order, 25 a page."""
    stream = db.session.get(ValueStream, stream_id)
    if stream is None:
        abort(404)
    versions = services.stream_versions(stream)
    chosen = None
    raw_version = request.args.get("version", "")
    if raw_version:
        # A version number that cannot exist names no page: 404, like an unknown version.
        wanted = parse_id(raw_version)
        chosen = next((v for v, _count in versions if v.number == wanted), None)
        if chosen is None:
            abort(404)
    elif versions:
        chosen = versions[0][0]
    page = (
        services.shortlist_page(stream, chosen, current_user, requested_page(request.args))
        if chosen is not None
        else None
    )
    return render_template(
        "selection/shortlist.html",
        stream=stream,
        versions=versions,
        version=chosen,
        rows=page.rows if page else [],
        held_back=page.held_back if page else [],
        not_scored=page.not_scored if page else [],
        paging=page.paging if page else None,
        page_args=kept_args(request.args, ("version",)),
        lens_labels=LENS_LABELS,
        decisions=DECISIONS,
    )


@bp.route("/assessments/<int:assessment_id>/decision", methods=["GET", "POST"])
@requires("decision.record")
def record_decision(assessment_id: int) -> ResponseReturnValue:
    """The CPO records selected, not selected or on hold, with a written rationale."""
    assessment = _assessment_or_404(assessment_id)
    if not may(current_user, "panel.view_input", assessment):
        flash("Submit your own interview of this candidate before you record a decision.", "error")
        return redirect(url_for("selection.show_results", assessment_id=assessment.id))
    checklist = assessment.checklist
    start = checklist.start_date if checklist is not None else localtime.today()
    form = DecisionForm(
        data={
            "version": str(assessment.version),
            "decision": assessment.decision,
            "rationale": assessment.decision_rationale,
            "start_date": start,
        }
    )
    conflict = False
    if form.validate_on_submit():
        if form.version.data != str(assessment.version):
            conflict = True
        else:
            try:
                with transaction():
                    services.record_decision(
                        assessment,
                        form.decision.data or "",
                        form.rationale.data or "",
                        start_date=form.start if form.decision.data == "selected" else None,
                        actor=current_user._get_current_object(),
                    )
            except StaleEdit:
                assessment = _assessment_or_404(assessment_id)
                conflict = True
            else:
                label = DECISIONS[assessment.decision or ""].lower()
                message = f"Decision recorded: {assessment.candidate.name} {label}."
                if assessment.decision == "selected" and form.start is not None:
                    message += (
                        " Induction and coaching start on"
                        f" {localtime.format_date(form.start, long=True)}."
                    )
                flash(message, "success")
                return redirect(url_for("selection.show_results", assessment_id=assessment.id))
    if conflict:
        form.form_errors.append(
            "Someone else changed this candidate's record while you were writing. Your decision"
            " is kept below and the current one is shown above it: check both, then save again."
        )
        form.version.data = str(assessment.version)
    return render_template(
        "selection/decision.html",
        assessment=assessment,
        form=form,
        result=score_for(assessment),
        evidence=evidence_for(assessment),
        panel=panels.submitted_panel(assessment),
        recommendations=RECOMMENDATIONS,
        decisions=DECISIONS,
    ), (409 if conflict else 400 if form.errors else 200)
