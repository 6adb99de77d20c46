"""The CPO sets when one panel member's interview is due, and when and where it is held."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import localtime
from app.extensions import db
from app.interviews import bp, schedule
from app.interviews.forms import ScheduleForm
from app.interviews.panels import PanelError
from app.models import Interview
from app.notifications import due_notices
from app.policy import requires
from app.transactions import StaleEdit, transaction


def _form_data(interview: Interview) -> dict[str, object]:
    held = localtime.local(interview.scheduled_at) if interview.scheduled_at else None
    return {
        "due_on": interview.due_on,
        "held_on": held.date() if held else None,
        "held_at": f"{held:%H:%M}" if held else "",
        "location": interview.location,
        "version": interview.version,
    }


@bp.route(
    "/assessments/<int:assessment_id>/panel/<int:interview_id>/schedule", methods=["GET", "POST"]
)
@requires("panel.assign")
def edit_schedule(assessment_id: int, interview_id: int) -> ResponseReturnValue:
    """One member's due date, and the interview's date, time and place if arranged."""
    interview = db.session.get(Interview, interview_id)
    if interview is None or interview.assessment_id != assessment_id:
        abort(404)
    assessment = interview.assessment
    form = ScheduleForm() if request.method == "POST" else ScheduleForm(data=_form_data(interview))
    form.held_at.description = (
        f"In the organisation's time zone ({localtime.zone()}), 24-hour or 12-hour: for"
        " example 14:30 or 2:30pm."
    )
    form.kept_due = interview.due_on
    held = interview.scheduled_at
    form.kept_held = localtime.local_date(held) if held is not None else None
    if (
        interview.status != "submitted"
        and form.validate_on_submit()
        and form.due_on.data is not None  # required: never None once valid
    ):
        held_on, at = form.held_on.data, form.time_of_day
        scheduled_at = localtime.local_moment(held_on, at) if held_on and at else None
        try:
            if form.expected_version() != interview.version:
                raise StaleEdit()
            had_time = interview.scheduled_at is not None
            with transaction():
                moved = schedule.schedule_interview(
                    interview,
                    due_on=form.due_on.data,
                    scheduled_at=scheduled_at,
                    location=form.location.data or "",
                    actor=current_user._get_current_object(),
                )
                if moved:
                    # An invitation with the .ics, or an update of the one already sent.
                    due_notices.interview_assigned(interview, changed=had_time)
        except StaleEdit:
            flash(
                "The interview was changed by someone else just now. Check it and save again.",
                "error",
            )
            return redirect(request.path)
        except PanelError as exc:
            form.due_on.errors.append(str(exc))
        else:
            flash(f"Dates of {interview.interviewer.name}'s interview saved.", "success")
            return redirect(
                url_for("interviews.assign_panel", assessment_id=assessment_id) + "#schedule"
            )
    return render_template(
        "interviews/schedule.html", assessment=assessment, interview=interview, form=form
    ), (400 if form.errors else 200)
