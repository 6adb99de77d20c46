"""The CPO adjusts one panel member's focus areas."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import db
from app.interviews import bp, focus
from app.interviews.forms import FocusForm
from app.interviews.panels import PanelError
from app.models import Interview
from app.policy import requires
from app.transactions import StaleEdit, transaction
from assessments.focus import MAX_FOCUS


@bp.route(
    "/assessments/<int:assessment_id>/panel/<int:interview_id>/focus", methods=["GET", "POST"]
)
@requires("panel.assign")
def edit_focus(assessment_id: int, interview_id: int) -> ResponseReturnValue:
    """Choose which competencies one panel member must cover; the rest are optional for them."""
    interview = db.session.get(Interview, interview_id)
    if interview is None or interview.assessment_id != assessment_id:
        abort(404)
    assessment = interview.assessment
    competencies = assessment.role_version.role.competencies
    form = FocusForm() if request.method == "POST" else FocusForm(focus=interview.focus or [])
    form.focus.choices = [(c.key, c.name) for c in competencies]
    if form.validate_on_submit():
        try:
            with transaction():
                focus.set_focus(
                    interview, form.focus.data or [], current_user._get_current_object()
                )
        except StaleEdit:
            flash(
                "The panel was changed by someone else just now. Check it and save again.", "error"
            )
            return redirect(url_for("interviews.assign_panel", assessment_id=assessment_id))
        except PanelError as exc:
            form.focus.errors.append(str(exc))
        else:
            flash(f"Focus areas of {interview.interviewer.name} saved.", "success")
            return redirect(
                url_for("interviews.assign_panel", assessment_id=assessment_id) + "#focus-areas"
            )
    selected = set(form.focus.data or [])
    return render_template(
        "interviews/focus.html",
        assessment=assessment,
        interview=interview,
        form=form,
        competencies=competencies,
        selected=selected,
        max_focus=MAX_FOCUS,
    ), (400 if form.errors else 200)
