"""The self-assessment: introduction, lens pages, autosave, check and submit, reopen."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import saved_input
from app.candidates import bp, self_assessment
from app.candidates.errors import CandidateError
from app.candidates.forms import (
    ActionForm,
    SelfAssessmentForm,
    answers_as_data,
    self_assessment_form,
)
from app.candidates.route_helpers import _actor, _assessment_or_404, _time_now
from app.models import Assessment
from app.policy import requires
from app.transactions import StaleEdit, transaction
from assessments.model import RATING_SCALE

# ---------------------------------------------------------------------------
# Self-assessment


def _self_context(assessment: Assessment) -> dict[str, Any]:
    role = assessment.role_version.role
    pages = self_assessment.lens_pages(role)
    answers = self_assessment.saved_answers(assessment)
    return {
        "assessment": assessment,
        "role": role,
        "pages": pages,
        "page_progress": {
            page.lens: self_assessment.Progress(
                sum(
                    1
                    for c in page.competencies
                    if c.key in answers and answers[c.key].level is not None
                ),
                len(page.competencies),
            )
            for page in pages
        },
        "progress": self_assessment.progress(assessment),
        "scale": RATING_SCALE,
        "answers": answers,
        "submitted": self_assessment.self_state(assessment) == "submitted",
    }


def _page_or_404(assessment: Assessment, lens: str) -> tuple[self_assessment.LensPage, int]:
    pages = self_assessment.lens_pages(assessment.role_version.role)
    for index, page in enumerate(pages):
        if page.lens == lens:
            return page, index
    abort(404)


@bp.route("/assessments/<int:assessment_id>/self")
@requires("self.fill")
def self_intro(assessment_id: int) -> ResponseReturnValue:
    """The role the exec is assessed against, the rating scale, and where to start."""
    assessment = _assessment_or_404(assessment_id, "self.fill")
    return render_template(
        "candidates/self_intro.html",
        resume=self_assessment.resume_page(assessment),
        state=self_assessment.self_state(assessment),
        **_self_context(assessment),
    )


def _render_self_page(
    assessment: Assessment,
    page: self_assessment.LensPage,
    index: int,
    form: SelfAssessmentForm,
    *,
    restored: bool = False,
    conflict: bool = False,
    saved_note: str | None = None,
) -> str:
    context = _self_context(assessment)
    pages = context["pages"]
    return render_template(
        "candidates/self_page.html",
        page=page,
        index=index,
        previous=pages[index - 1] if index > 0 else None,
        following=pages[index + 1] if index + 1 < len(pages) else None,
        form=form,
        blockers=form.blockers(),
        restored=restored,
        conflict=conflict,
        saved_note=saved_note,
        **context,
    )


@bp.route("/assessments/<int:assessment_id>/self/<lens>", methods=["GET", "POST"])
@requires("self.fill")
def self_page(assessment_id: int, lens: str) -> ResponseReturnValue:
    """One lens of the self-assessment: a level 0-4 and evidence per competency."""
    assessment = _assessment_or_404(assessment_id, "self.fill")
    page, index = _page_or_404(assessment, lens)
    check_url = url_for("candidates.self_check", assessment_id=assessment.id)
    sa = assessment.self_assessment
    if sa is not None and sa.status == "submitted":
        if request.method == "POST":
            flash(
                "Your self-assessment has been submitted, so it can no longer be changed. "
                "Ask the Chief Product Officer to reopen it if something needs correcting.",
                "error",
            )
        return redirect(check_url)
    if request.method == "GET":
        kept = saved_input.give_back(current_user.id, request.path)
        if kept is not None:
            form = self_assessment_form(page.competencies, formdata=kept)
            return _render_self_page(assessment, page, index, form, restored=True)
        data = answers_as_data(page.competencies, self_assessment.saved_answers(assessment))
        data["version"] = str(sa.version) if sa is not None else ""
        form = self_assessment_form(page.competencies, data=data)
        return _render_self_page(assessment, page, index, form)

    form = self_assessment_form(page.competencies)
    form.validate()
    try:
        with transaction(concurrent_insert_is_stale=True):
            saved = self_assessment.save_self_answers(
                assessment,
                form.valid_answers(),
                expected_version=form.expected_version(),
                actor=_actor(),
            )
            saved_input.discard(current_user.id, request.path)
    except StaleEdit:
        assessment = _assessment_or_404(assessment_id, "self.fill")
        current = assessment.self_assessment
        if current is not None and current.status == "submitted":
            flash(
                "Your self-assessment was submitted in another window, so these changes "
                "were not saved.",
                "error",
            )
            return redirect(check_url)
        form.version.data = str(current.version) if current is not None else ""
        form.form_errors.append(str(self_assessment.StaleSelfAssessment()))
        return _render_self_page(assessment, page, index, form, conflict=True), 409
    form.version.data = str(saved.version) if saved is not None else ""
    if form.problems():
        note = "Your other answers on this page are saved." if form.valid_answers() else None
        return _render_self_page(assessment, page, index, form, saved_note=note)
    pages = self_assessment.lens_pages(assessment.role_version.role)
    action = request.form.get("action", "next")
    if action == "back":
        if index == 0:
            return redirect(url_for("candidates.self_intro", assessment_id=assessment.id))
        return redirect(
            url_for("candidates.self_page", assessment_id=assessment.id, lens=pages[index - 1].lens)
        )
    if action == "draft":
        flash(f"Draft saved at {_time_now()}. You can come back to it at any time.", "success")
        return redirect(url_for("candidates.self_page", assessment_id=assessment.id, lens=lens))
    if index + 1 < len(pages):
        return redirect(
            url_for("candidates.self_page", assessment_id=assessment.id, lens=pages[index + 1].lens)
        )
    return redirect(check_url)


@bp.route("/assessments/<int:assessment_id>/self/<lens>/autosave", methods=["POST"])
@requires("self.fill")
def autosave_self(assessment_id: int, lens: str) -> ResponseReturnValue:
    """Save a lens page's draft in the background (JavaScript); answers JSON."""
    assessment = _assessment_or_404(assessment_id, "self.fill")
    page, _index = _page_or_404(assessment, lens)
    form = self_assessment_form(page.competencies)
    form.validate()
    try:
        with transaction(concurrent_insert_is_stale=True):
            saved = self_assessment.save_self_answers(
                assessment,
                form.valid_answers(),
                expected_version=form.expected_version(),
                actor=_actor(),
            )
    except self_assessment.AlreadySubmitted as exc:
        return jsonify(saved=False, message=str(exc)), 409
    except StaleEdit:
        return jsonify(
            saved=False,
            conflict=True,
            message="Not saved: these answers were changed in another window or tab. "
            "Press 'Save draft' to compare them with yours.",
        ), 409
    done = self_assessment.progress(assessment)
    return jsonify(
        saved=True,
        version=saved.version if saved is not None else None,
        answered=done.answered,
        total=done.total,
        progress=done.text,
        blocking=done.blocking_text,
        problems=form.problems(),
        blockers=form.blockers(),
    )


@bp.route("/assessments/<int:assessment_id>/self/check", methods=["GET", "POST"])
@requires("self.fill")
def self_check(assessment_id: int) -> ResponseReturnValue:
    """Check your answers, then submit; read-only once submitted."""
    assessment = _assessment_or_404(assessment_id, "self.fill")
    sa = assessment.self_assessment
    form = ActionForm(data={"version": sa.version if sa else ""})
    problems: list[self_assessment.Problem] = []
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            with transaction():
                self_assessment.submit_self(
                    assessment, expected_version=form.expected_version(), actor=_actor()
                )
        except self_assessment.StaleSelfAssessment:
            form.form_errors.append(
                "Your answers were changed in another window or tab after you opened this page. "
                "Check them below, then submit again."
            )
            form.version.data = str(sa.version) if sa else ""
            status = 409
        except self_assessment.AlreadySubmitted as exc:
            flash(str(exc), "error")
            return redirect(url_for("candidates.self_check", assessment_id=assessment.id))
        except CandidateError:
            problems = self_assessment.submission_problems(assessment)
            status = 400
        except StaleEdit:
            flash(
                "Your answers were changed in another window at the same moment. "
                "Check them, then submit again.",
                "error",
            )
            return redirect(url_for("candidates.self_check", assessment_id=assessment.id))
        else:
            return redirect(url_for("candidates.self_done", assessment_id=assessment.id))
    elif request.method == "POST":
        status = 400
    return render_template(
        "candidates/self_check.html",
        form=form,
        problems=problems,
        **_self_context(assessment),
    ), status


@bp.route("/assessments/<int:assessment_id>/self/submitted")
@requires("self.fill")
def self_done(assessment_id: int) -> ResponseReturnValue:
    """Confirmation that the self-assessment is submitted, and what happens next."""
    assessment = _assessment_or_404(assessment_id, "self.fill")
    if self_assessment.self_state(assessment) != "submitted":
        return redirect(url_for("candidates.self_intro", assessment_id=assessment.id))
    return render_template("candidates/self_done.html", assessment=assessment)


@bp.route("/assessments/<int:assessment_id>/reopen-self-assessment", methods=["POST"])
@requires("self.reopen")
def reopen_self(assessment_id: int) -> ResponseReturnValue:
    """Let the exec change a submitted self-assessment again (recorded in the audit log)."""
    assessment = _assessment_or_404(assessment_id, "self.reopen")
    back = url_for("candidates.show_assessment", assessment_id=assessment.id)
    form = ActionForm()
    sa = assessment.self_assessment
    if not form.validate_on_submit() or sa is None:
        flash("There is no submitted self-assessment to reopen.", "error")
        return redirect(back)
    if form.expected_version() != sa.version:
        flash(
            "The self-assessment changed while you had this page open. "
            "Check its state, then reopen it if still needed.",
            "error",
        )
        return redirect(back)
    try:
        with transaction():
            self_assessment.reopen_self(assessment, actor=_actor())
    except CandidateError as exc:
        flash(str(exc), "error")
        return redirect(back)
    except StaleEdit:
        flash("The self-assessment changed at the same moment. Check it and try again.", "error")
        return redirect(back)
    flash(
        f"{assessment.candidate.name} can change their self-assessment again. "
        "They need to submit it once more.",
        "success",
    )
    return redirect(back)
