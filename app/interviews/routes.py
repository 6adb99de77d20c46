"""Routes of the interviews area: panels, the interview kit, my interviews, calibration."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import saved_input
from app.extensions import db
from app.interviews import (  # noqa: F401  (steps registers home-page steps)
    bp,
    calibration,
    focus,
    kit,
    listing,
    panels,
    schedule,
    steps,
)
from app.interviews.forms import (
    CalibrationNoteForm,
    InterviewForm,
    PanelForm,
    interview_form_class,
)
from app.models import RECOMMENDATIONS, Assessment, Interview
from app.models.loaders import load_assessment_for_results
from app.notifications import due_notices
from app.page_cache import cached_page
from app.pagination import requested_page
from app.policy import authorize, may, requires
from app.scores import evidence_for, score_for
from app.stakeholder_feedback import perspectives_chart, shown
from app.transactions import StaleEdit, transaction
from assessments.model import LENS_LABELS, RATING_SCALE
from assessments.scoring import FLAG_LABELS


def _assessment_or_404(assessment_id: int) -> Assessment:
    assessment = load_assessment_for_results(assessment_id)
    if assessment is None:
        abort(404)
    return assessment


def _interview_or_404(interview_id: int) -> Interview:
    interview = panels.load_interview(interview_id)
    if interview is None:
        abort(404)
    return interview


# --- Panel ---------------------------------------------------------------------------------


@bp.route("/assessments/<int:assessment_id>/panel", methods=["GET", "POST"])
@requires("panel.assign")
def assign_panel(assessment_id: int) -> ResponseReturnValue:
    """The CPO chooses who interviews the candidate; each member gets their own interview."""
    assessment = _assessment_or_404(assessment_id)
    people = panels.panel_candidates()
    panel = panels.panel_of(assessment)
    submitted_ids = {i.interviewer_id for i in panel if i.status == "submitted"}
    if request.method == "POST":
        form = PanelForm()
    else:
        form = PanelForm(
            members=[i.interviewer_id for i in panel], due_on=schedule.default_panel_due(panel)
        )
    form.members.choices = [(u.id, u.name) for u in people]
    if form.validate_on_submit():
        # Members who have submitted are shown as fixed (disabled) boxes, which browsers omit.
        wanted = set(form.members.data or []) | submitted_ids
        leaving = [i for i in panel if i.interviewer_id not in wanted and i.status != "submitted"]
        try:
            with transaction(concurrent_insert_is_stale=True):
                for interview in leaving:
                    due_notices.interview_removed(interview)
                added = panels.assign_panel(
                    assessment,
                    wanted,
                    current_user._get_current_object(),
                    due_on=form.due_on.data,
                )
                for interview in added:
                    due_notices.interview_assigned(interview)
        except StaleEdit:
            # Someone else changed the panel at the same moment.
            flash(
                "The panel was changed by someone else just now. Check it and save again.", "error"
            )
            return redirect(url_for("interviews.assign_panel", assessment_id=assessment.id))
        except panels.PanelError as exc:
            form.members.errors.append(str(exc))
        else:
            count = len(wanted)
            flash(
                f"Interview panel saved: {count} {'member' if count == 1 else 'members'}."
                " Each has their own interview kit under Interviews.",
                "success",
            )
            return redirect(url_for("interviews.assign_panel", assessment_id=assessment.id))
    status = 400 if form.errors else 200
    return render_template(
        "interviews/panel.html",
        assessment=assessment,
        form=form,
        people=people,
        panel={i.interviewer_id: i for i in panel},
        members=panel,
        focus=focus.focus_summary(assessment, panel),
        selected=set(form.members.data or []) | submitted_ids,
    ), status


# --- My interviews -------------------------------------------------------------------------


@bp.route("/interviews")
@requires("interviews.mine")
def my_interviews() -> ResponseReturnValue:
    """The interviews assigned to me: every one to do, then the submitted ones 25 a page."""
    paged, submitted = listing.submitted_interviews(current_user, requested_page(request.args))
    return render_template(
        "interviews/my_interviews.html",
        pending=listing.interviews_to_do(current_user),
        submitted=submitted,
        paging=paged,
    )


# --- The interview kit ---------------------------------------------------------------------


def _sent(form: InterviewForm) -> dict[str, Any]:
    return {
        "ratings": form.ratings_input(),
        "strengths": (form["strengths"].data or "").strip(),
        "weaknesses": (form["weaknesses"].data or "").strip(),
        "recommendation": form["recommendation"].data or "",
    }


def _render_kit(
    interview: Interview,
    form: InterviewForm | None,
    *,
    status: int = 200,
    conflict: list[kit.ConflictRow] | None = None,
    restored: bool = False,
) -> ResponseReturnValue:
    assessment = interview.assessment
    role = assessment.role_version.role
    sees_panel = may(current_user, "panel.view_input", assessment)
    if sees_panel and interview.status == "submitted":
        panels.load_panel_input(assessment)
    return render_template(
        "interviews/kit.html",
        interview=interview,
        assessment=assessment,
        role=role,
        sections=kit.kit_sections(role, interview.focus),
        form=form,
        ratings={r.competency_key: r for r in interview.ratings},
        rating_label=kit.rating_label,
        rating_scale=RATING_SCALE,
        recommendations=RECOMMENDATIONS,
        panel_lines=(
            kit.panel_lines(interview, kit.kit_order(role, interview.focus))
            if sees_panel and interview.status == "submitted"
            else None
        ),
        waiting_for=[
            i.interviewer.name
            for i in panels.panel_of(assessment)
            if i.status == "draft" and i.id != interview.id
        ],
        conflict=conflict,
        restored_message=saved_input.RESTORED_MESSAGE if restored else None,
        answered=kit.answered(interview),
        blockers=form.blockers() if form is not None else {},
        progress_text=kit.progress_text,
        blocking_text=kit.blocking_text,
    ), status


@bp.route("/interviews/<int:interview_id>", methods=["GET", "POST"])
@requires("interview.conduct")
def conduct_interview(interview_id: int) -> ResponseReturnValue:
    """The interview kit: rate each competency with evidence, save a draft, then submit."""
    interview = _interview_or_404(interview_id)
    authorize("interview.conduct", interview)
    if interview.status == "submitted":
        if request.method == "POST":
            flash("This interview is already submitted and can no longer be changed.", "info")
            return redirect(url_for("interviews.conduct_interview", interview_id=interview.id))
        return _render_kit(interview, None)

    role = interview.assessment.role_version.role
    form_class = interview_form_class(kit.kit_order(role, interview.focus))
    if request.method == "GET":
        kept = saved_input.give_back(current_user.id, request.path)
        if kept is not None:
            # The kept version stays: if the interview changed since, saving shows the conflict.
            form = form_class(formdata=kept)
            return _render_kit(interview, form, restored=True)
        return _render_kit(interview, form_class(formdata=None, data=kit.form_data(interview)))

    form = form_class()
    # Submitting is final, so it goes through the check-your-answers page: here the kit only
    # keeps the draft, complete or not ("submit" is what older pages still send).
    to_check = request.form.get("action") in ("check", "submit")
    if not (form.validate() & form.check_ratings()):
        return _render_kit(interview, form, status=400)
    if form.version.data != str(interview.version):
        return _conflict(interview, form)
    sent = _sent(form)
    try:
        with transaction(concurrent_insert_is_stale=True):
            kit.save_interview(
                interview,
                sent["ratings"],
                strengths=sent["strengths"],
                weaknesses=sent["weaknesses"],
                recommendation=sent["recommendation"] or None,
                submit=False,
                actor=current_user._get_current_object(),
            )
            saved_input.discard(current_user.id, request.path)
    except StaleEdit:
        return _conflict(_interview_or_404(interview_id), form)
    if to_check:
        return redirect(url_for("interviews.check_interview", interview_id=interview.id))
    flash("Draft saved. Nothing is shared with the panel until you submit.", "success")
    return redirect(url_for("interviews.conduct_interview", interview_id=interview.id))


@bp.route("/interviews/<int:interview_id>/autosave", methods=["POST"])
@requires("interview.conduct")
def autosave_interview(interview_id: int) -> ResponseReturnValue:
    """Save the kit as a draft in the background (app/static/js/autosave.js); answers JSON."""
    interview = _interview_or_404(interview_id)
    authorize("interview.conduct", interview)
    if interview.status == "submitted":
        return jsonify(saved=False, message="This interview is already submitted."), 409
    role = interview.assessment.role_version.role
    form = interview_form_class(kit.kit_order(role, interview.focus))()
    if not (form.validate() & form.check_ratings()):
        first = next(m for messages in form.errors.values() for m in messages)
        return jsonify(
            saved=False,
            message=f"Not saved automatically: {first}. Press 'Save draft' to see what to fix.",
        )
    stale = jsonify(
        saved=False,
        conflict=True,
        message="Not saved: this interview was changed in another window or tab. Press"
        " 'Save draft' to compare it with yours.",
    )
    if form.version.data != str(interview.version):
        return stale, 409
    sent = _sent(form)
    try:
        with transaction(concurrent_insert_is_stale=True):
            kit.save_interview(
                interview,
                sent["ratings"],
                strengths=sent["strengths"],
                weaknesses=sent["weaknesses"],
                recommendation=sent["recommendation"] or None,
                submit=False,
                actor=current_user._get_current_object(),
            )
    except StaleEdit:
        return stale, 409
    answered, total = kit.answered(interview)
    blockers = form.blockers()
    return jsonify(
        saved=True,
        version=interview.version,
        answered=answered,
        total=total,
        progress=kit.progress_text(answered, total),
        blocking=kit.blocking_text(len(blockers)),
        problems=[],
        blockers=blockers,
    )


def _conflict(interview: Interview, form: InterviewForm) -> ResponseReturnValue:
    """Someone (another tab) saved first: keep this input, show what is saved, let them choose."""
    if interview.status == "submitted":
        flash(
            "This interview was submitted from another window or tab, so your changes were not"
            " saved.",
            "error",
        )
        return redirect(url_for("interviews.conduct_interview", interview_id=interview.id))
    role = interview.assessment.role_version.role
    rows = kit.conflicts(interview, kit.kit_order(role, interview.focus), _sent(form))
    form.form_errors.append(
        "This interview was saved from another window or tab after you opened it. Your input"
        " is kept below; compare it with what is saved now, then save again to keep yours."
    )
    form.version.data = str(interview.version)
    return _render_kit(interview, form, status=409, conflict=rows)


# --- Calibration ---------------------------------------------------------------------------


def _render_calibration(
    assessment: Assessment,
    note_forms: dict[str, CalibrationNoteForm] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    role = assessment.role_version.role
    sees_panel = may(current_user, "panel.view_input", assessment)
    forms = {c.key: CalibrationNoteForm(prefix=c.key, formdata=None) for c in role.competencies}
    forms.update(note_forms or {})
    submitted = panels.submitted_panel(assessment)
    result = score_for(assessment) if sees_panel else None
    stakeholders = None
    if result is not None:
        result, stakeholders = shown(assessment, result)
    return render_template(
        "interviews/calibration.html",
        assessment=assessment,
        role=role,
        sees_panel=sees_panel,
        own=panels.own_interview(current_user, assessment),
        result=result,
        stakeholders=stakeholders,
        chart=perspectives_chart(assessment, result, stakeholders)
        if result is not None and stakeholders is not None
        else None,
        evidence=evidence_for(assessment),
        submitted=submitted,
        pending=[i for i in panels.panel_of(assessment) if i.status == "draft"],
        ratings=calibration.ratings_by_interview(assessment),
        notes=calibration.calibration_notes(assessment) if sees_panel else {},
        forms=forms,
        rating_label=kit.rating_label,
        recommendations=RECOMMENDATIONS,
        flag_labels=FLAG_LABELS,
        lens_labels=LENS_LABELS,
        rating_scale=RATING_SCALE,
        has_errors=any(f.errors for f in forms.values()),
    ), status


@bp.route("/assessments/<int:assessment_id>/calibration")
@requires("calibration.view")
@cached_page
def calibrate(assessment_id: int) -> ResponseReturnValue:
    """Every rater side by side per competency, with self-rating, required level and flags."""
    return _render_calibration(_assessment_or_404(assessment_id))


@bp.route("/assessments/<int:assessment_id>/calibration/<key>/notes", methods=["POST"])
@requires("calibration.note")
def add_calibration_note(assessment_id: int, key: str) -> ResponseReturnValue:
    """Append a calibration note to one competency (ratings stay as the panel gave them)."""
    assessment = _assessment_or_404(assessment_id)
    role = assessment.role_version.role
    competency = role.competency(key)
    if competency is None:
        abort(404)
    if not may(current_user, "panel.view_input", assessment):
        flash("Submit your own interview before you calibrate the panel's ratings.", "error")
        return redirect(url_for("interviews.calibrate", assessment_id=assessment.id))
    form = CalibrationNoteForm(prefix=key)
    if not form.validate_on_submit():
        return _render_calibration(assessment, {key: form}, status=400)
    calibration.add_calibration_note(
        assessment, key, form.note.data or "", current_user._get_current_object()
    )
    db.session.commit()
    flash(f"Calibration note added to {competency.name}.", "success")
    return redirect(
        url_for("interviews.calibrate", assessment_id=assessment.id, _anchor=f"comp-{key}")
    )
