"""The CPO changes when an exec's self-assessment is due."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app import localtime
from app.candidates import bp, nominations
from app.candidates.forms import SelfDueForm
from app.candidates.route_helpers import _actor, _assessment_or_404
from app.policy import requires
from app.transactions import StaleEdit, transaction


@bp.route("/assessments/<int:assessment_id>/self-due", methods=["GET", "POST"])
@requires("assessments.nominate")
def edit_self_due(assessment_id: int) -> ResponseReturnValue:
    """When the self-assessment is due: reminders and the exec's home page follow it."""
    assessment = _assessment_or_404(assessment_id, "assessments.nominate")
    if request.method == "GET":
        form = SelfDueForm(
            data={"self_due_on": assessment.self_due_on, "version": assessment.version}
        )
    else:
        form = SelfDueForm()
    stale = False
    if form.validate_on_submit() and form.self_due_on.data is not None:
        if form.expected_version() != assessment.version:
            stale = True
        else:
            try:
                with transaction():
                    nominations.set_self_due(assessment, form.self_due_on.data, actor=_actor())
            except StaleEdit:
                stale = True
            else:
                flash(
                    f"{assessment.candidate.name}'s self-assessment is now due on"
                    f" {localtime.format_date(form.self_due_on.data, long=True)}.",
                    "success",
                )
                return redirect(url_for("candidates.show_assessment", assessment_id=assessment.id))
    if stale:
        form.self_due_on.errors.append(
            "Someone changed this assessment while you had it open. Check the date and save again"
        )
        form.version.data = str(assessment.version)
    return render_template("candidates/self_due.html", assessment=assessment, form=form), (
        400 if form.errors else 200
    )
