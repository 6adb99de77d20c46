"""Check your answers before the final interview submit (GOV.UK "check answers" pattern)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.forms_common import VersionedForm
from app.interviews import bp, kit, panels
from app.interviews.forms import InterviewForm, interview_form_class
from app.models import RECOMMENDATIONS, Interview
from app.policy import authorize, requires
from app.transactions import StaleEdit, transaction
from assessments.model import RATING_SCALE


def _saved_form(interview: Interview) -> InterviewForm:
    """The kit's form filled from the saved draft, to ask what a submission still needs."""
    form_class = interview_form_class(
        kit.kit_order(interview.assessment.role_version.role, interview.focus)
    )
    return form_class(formdata=None, data=kit.form_data(interview), meta={"csrf": False})


def _render_check(
    interview: Interview, form: VersionedForm, *, problems: bool = False, status: int = 200
) -> ResponseReturnValue:
    role = interview.assessment.role_version.role
    return render_template(
        "interviews/check.html",
        interview=interview,
        assessment=interview.assessment,
        sections=kit.kit_sections(role, interview.focus),
        ratings={r.competency_key: r for r in interview.ratings},
        rating_label=kit.rating_label,
        rating_scale=RATING_SCALE,
        recommendations=RECOMMENDATIONS,
        missing=_saved_form(interview).missing(),
        show_problems=problems,
        answered=kit.answered(interview),
        form=form,
    ), status


@bp.route("/interviews/<int:interview_id>/check", methods=["GET", "POST"])
@requires("interview.conduct")
def check_interview(interview_id: int) -> ResponseReturnValue:
    """Every rating and the overall view with "Change" links, then the final submit."""
    interview = panels.load_interview(interview_id)
    if interview is None:
        abort(404)
    authorize("interview.conduct", interview)
    kit_url = url_for("interviews.conduct_interview", interview_id=interview.id)
    if interview.status == "submitted":
        return redirect(kit_url)
    form = VersionedForm(data={"version": interview.version})
    if not form.validate_on_submit():
        return _render_check(interview, form, status=400 if form.is_submitted() else 200)
    if form.expected_version() != interview.version:
        flash(
            "This interview was saved from another window or tab after you opened this page."
            " Check it again before you submit.",
            "error",
        )
        return redirect(url_for("interviews.check_interview", interview_id=interview.id))
    if _saved_form(interview).missing():
        return _render_check(interview, form, problems=True, status=400)
    try:
        with transaction():
            kit.save_interview(
                interview,
                kit.saved_ratings(interview),
                strengths=interview.strengths,
                weaknesses=interview.weaknesses,
                recommendation=interview.recommendation,
                submit=True,
                actor=current_user._get_current_object(),
            )
    except (StaleEdit, panels.PanelError):
        flash(
            "This interview changed at the same moment. Check it again before you submit.", "error"
        )
        return redirect(url_for("interviews.check_interview", interview_id=interview.id))
    flash(
        f"Interview of {interview.assessment.candidate.name} submitted. You can now see how"
        " the rest of the panel rated.",
        "success",
    )
    return redirect(kit_url)
