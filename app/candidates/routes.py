"""Nominations, assessments and exec profiles."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import localtime
from app.auth import services as accounts
from app.candidates import bp, listing, nominations, self_assessment
from app.candidates import profiles as exec_profiles
from app.candidates import streams as value_streams
from app.candidates.errors import CandidateError
from app.candidates.forms import (
    NEW_PERSON,
    ActionForm,
    NominateForm,
    SetStreamForm,
    experience_field_name,
    profile_form,
)
from app.candidates.route_helpers import _actor, _assessment_or_404, _stream_choices, _stream_or_404
from app.extensions import db
from app.interviews import panels
from app.models import ASSESSMENT_STATUSES, EXPERIENCE_LEVELS, User
from app.notifications import due_notices
from app.notifications.accounts import send_account_link
from app.page_cache import cached_page
from app.pagination import kept_args, paging, requested_page
from app.params import parse_id
from app.policy import authorize, may, requires
from app.roles import versions as role_versions
from app.sections import assessment_sections
from app.transactions import StaleEdit, transaction
from assessments.due import SELF_DUE_DAYS, default_due
from assessments.model import RATING_SCALE

# ---------------------------------------------------------------------------
# Candidates and assessments


@bp.route("/candidates")
@requires("assessments.list")
@cached_page
def list_assessments() -> ResponseReturnValue:
    """Assessments, newest first, 50 a page, filterable by stream, role version and status."""
    stream_arg = request.args.get("stream", "")
    version_arg = request.args.get("version", "")
    status = request.args.get("status", "")
    if status not in ASSESSMENT_STATUSES:
        status = ""
    filters = listing.AssessmentFilters(
        stream_id=parse_id(stream_arg),
        no_stream=stream_arg == "none",
        version_id=parse_id(version_arg),
        status=status or None,
    )
    # The filters' versions also label the rows (no second load of the same versions).
    streams = value_streams.stream_names()
    versions = role_versions.published_version_choices()
    paged = paging(listing.count_assessments(filters), requested_page(request.args))
    rows = listing.candidate_rows(
        filters, offset=paged.offset, limit=paged.per_page, versions=versions
    )
    return render_template(
        "candidates/assessments.html",
        rows=rows,
        paging=paged,
        page_args=kept_args(request.args, ("stream", "version", "status")),
        streams=streams,
        versions=versions,
        statuses=ASSESSMENT_STATUSES,
        stream_arg=stream_arg,
        version_arg=version_arg,
        status=status,
    )


def _nominate_form(**kwargs: Any) -> NominateForm:
    profiles = exec_profiles.profiles_for(u.id for u in exec_profiles.exec_users())
    execs = []
    for user in exec_profiles.exec_users():
        profile = profiles.get(user.id)
        role = f" ({profile.current_role})" if profile and profile.current_role else ""
        execs.append((str(user.id), f"{user.name}{role}"))
    versions = [(str(v.id), v.label) for v in role_versions.published_versions()]
    return NominateForm(execs=execs, streams=_stream_choices(), versions=versions, **kwargs)


@bp.route("/candidates/nominate", methods=["GET", "POST"])
@requires("assessments.nominate")
def nominate() -> ResponseReturnValue:
    """Nominate an exec for a value stream and a published role version."""
    if request.method == "GET":
        default = role_versions.default_role_version()
        stream = request.args.get("stream", "")
        form = _nominate_form(
            data={
                "value_stream": stream if parse_id(stream) is not None else "",
                "role_version": str(default.id) if default else "",
                "self_due_on": default_due(localtime.today(), SELF_DUE_DAYS),
            }
        )
    else:
        form = _nominate_form()
    if form.validate_on_submit():
        stream = _stream_or_404(int(form.value_stream.data))
        version = next(
            v for v in role_versions.published_versions() if str(v.id) == form.role_version.data
        )
        invite_link = None
        try:
            with transaction():
                if form.candidate.data == NEW_PERSON:
                    candidate = nominations.create_exec(
                        form.new_name.data or "", form.new_email.data or ""
                    )
                else:
                    found = db.session.get(User, int(form.candidate.data))
                    if found is None:
                        abort(404)
                    candidate = found
                assessment = nominations.nominate(
                    candidate, stream, version, actor=_actor(), self_due_on=form.self_due_on.data
                )
                due_notices.self_nominated(assessment)
                if form.candidate.data == NEW_PERSON:
                    invite_link = send_account_link(
                        candidate, "invite", accounts.issue_token(candidate, "invite")
                    )
        except nominations.DuplicateAssessment as exc:
            form.candidate.errors.append(str(exc))
        except CandidateError as exc:
            target = form.new_email if form.candidate.data == NEW_PERSON else form.candidate
            target.errors.append(str(exc))
        else:
            if invite_link:
                return render_template(
                    "candidates/nominated.html",
                    assessment=assessment,
                    candidate=candidate,
                    link=invite_link,
                )
            flash(f"{candidate.name} nominated for {stream.name}.", "success")
            return redirect(url_for("candidates.show_assessment", assessment_id=assessment.id))
    return render_template("candidates/nominate.html", form=form)


@bp.route("/assessments/<int:assessment_id>")
@requires("assessment.view")
def show_assessment(assessment_id: int) -> ResponseReturnValue:
    """One candidate's assessment: experience against the stream, self-assessment state."""
    assessment = _assessment_or_404(assessment_id, "assessment.view")
    profile = exec_profiles.profile_of(assessment.candidate)
    role = assessment.role_version.role
    answers = self_assessment.saved_answers(assessment)
    sa = assessment.self_assessment
    submitted = sa is not None and sa.status == "submitted" and current_user.role != "exec"
    # Independence: a panel member sees the self-ratings only after submitting their interview.
    own_interview = panels.own_interview(current_user, assessment)
    ratings_held_back = submitted and not may(current_user, "panel.view_input", assessment)
    show_answers = submitted and not ratings_held_back
    stream_form = None
    if assessment.value_stream is None and may(current_user, "assessments.nominate"):
        stream_form = SetStreamForm(streams=_stream_choices(), data={"version": assessment.version})
    return render_template(
        "candidates/assessment.html",
        assessment=assessment,
        profile=profile,
        coverage=exec_profiles.coverage(exec_profiles.needed_functions(assessment), profile),
        progress=self_assessment.progress(assessment),
        state=self_assessment.self_state(assessment),
        pages=self_assessment.lens_pages(role) if show_answers else [],
        answers=answers,
        scale=RATING_SCALE,
        stream_form=stream_form,
        reopen_form=ActionForm(data={"version": sa.version}) if sa is not None else None,
        ratings_held_back=ratings_held_back,
        own_interview=own_interview,
        sections=assessment_sections(assessment, _actor()),
    )


@bp.route("/assessments/<int:assessment_id>/stream", methods=["POST"])
@requires("assessments.nominate")
def set_assessment_stream(assessment_id: int) -> ResponseReturnValue:
    """Choose the value stream of an assessment that has none."""
    assessment = _assessment_or_404(assessment_id, "assessments.nominate")
    form = SetStreamForm(streams=_stream_choices())
    back = url_for("candidates.show_assessment", assessment_id=assessment.id)
    if not form.validate_on_submit():
        flash(" ".join(form.value_stream.errors) or "Choose a value stream.", "error")
        return redirect(back)
    if form.expected_version() != assessment.version:
        flash(
            "This assessment was changed by someone else while you had it open. "
            "Check it and choose the value stream again.",
            "error",
        )
        return redirect(back)
    try:
        with transaction():
            stream = _stream_or_404(int(form.value_stream.data))
            nominations.set_stream(assessment, stream, actor=_actor())
    except CandidateError as exc:
        flash(str(exc), "error")
        return redirect(back)
    except StaleEdit:
        flash(
            "This assessment was changed by someone else at the same time. "
            "Check it and choose the value stream again.",
            "error",
        )
        return redirect(back)
    flash(f"The assessment is now for {assessment.value_stream.name}.", "success")  # type: ignore[union-attr]
    return redirect(back)


# ---------------------------------------------------------------------------
# Exec profile


@bp.route("/people/<int:user_id>/profile", methods=["GET", "POST"])
@requires("profile.edit")
def edit_profile(user_id: int) -> ResponseReturnValue:
    """An exec's current role, business area and experience per function."""
    user = db.session.get(User, user_id)
    if user is None or user.role != "exec":
        abort(404)
    authorize("profile.edit", user)
    profile = exec_profiles.profile_of(user)
    experience = dict(profile.experience) if profile and profile.experience else {}
    names = value_streams.function_options(experience)
    whose = None if user.id == current_user.id else user.name
    if request.method == "GET":
        data: dict[str, Any] = {
            "current_role": profile.current_role if profile else "",
            "business_area": profile.business_area if profile else "",
        }
        for name in names:
            data[experience_field_name(name)] = experience.get(name, "none")
        data["version"] = exec_profiles.profile_version(profile)
        form = profile_form(names, whose=whose, data=data)
    else:
        form = profile_form(names, whose=whose)
    stale = False
    if form.validate_on_submit():
        try:
            with transaction(concurrent_insert_is_stale=True):
                exec_profiles.save_profile(
                    user,
                    current_role=form.current_role.data or "",
                    business_area=form.business_area.data or "",
                    experience=form.experience(),
                    expected_version=form.expected_version() or 0,
                )
        except StaleEdit:
            # Also a unique-key clash: someone created the profile at the same moment.
            profile = exec_profiles.profile_of(user)
            form.version.data = str(exec_profiles.profile_version(profile))
            stale = True
        else:
            own = user.id == current_user.id
            flash(
                "Your profile is saved." if own else f"{user.name}'s profile is saved.", "success"
            )
            return redirect(url_for("candidates.edit_profile", user_id=user.id))
    return render_template(
        "candidates/profile.html",
        form=form,
        person=user,
        own=user.id == current_user.id,
        levels=EXPERIENCE_LEVELS,
        stale=stale,
        saved=profile,
        assessments=(
            listing.assessments_of(user)
            if user.id == current_user.id or may(current_user, "assessments.list")
            else []
        ),
    ), (409 if stale else 200)
