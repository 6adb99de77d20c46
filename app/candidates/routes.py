"""Value streams, nominations, assessments, exec profiles and the self-assessment."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import saved_input
from app.auth import services as accounts
from app.candidates import bp, services
from app.candidates.forms import (
    NEW_PERSON,
    ActionForm,
    NominateForm,
    SelfAssessmentForm,
    SetStreamForm,
    StreamForm,
    answers_as_data,
    experience_field_name,
    profile_form,
    self_assessment_form,
)
from app.extensions import db
from app.interviews import services as panel
from app.models import ASSESSMENT_STATUSES, EXPERIENCE_LEVELS, Assessment, User, ValueStream
from app.models.base import utcnow
from app.pagination import kept_args, paging, requested_page
from app.params import parse_id
from app.policy import authorize, may, requires
from app.transactions import StaleEdit, transaction
from assessments.model import RATING_SCALE

# ---------------------------------------------------------------------------
# Helpers


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _stream_or_404(stream_id: int) -> ValueStream:
    stream = db.session.get(ValueStream, stream_id)
    if stream is None:
        abort(404)
    return stream


def _assessment_or_404(assessment_id: int, permission: str) -> Assessment:
    assessment = services.assessment_for_page(assessment_id)
    if assessment is None:
        abort(404)
    authorize(permission, assessment)
    return assessment


def _stream_choices() -> list[tuple[str, str]]:
    return [(str(s.id), s.name) for s in services.stream_options()]


def _time_now() -> str:
    return utcnow().strftime("%H:%M UTC")


# ---------------------------------------------------------------------------
# Value streams


@bp.route("/streams")
@requires("streams.view")
def list_streams() -> ResponseReturnValue:
    """Every value stream with its hats and candidates."""
    streams = services.stream_options()
    return render_template(
        "candidates/streams.html",
        streams=streams,
        hats={s.id: services.hat_rows(s) for s in streams},
        summaries=services.stream_summaries(streams),
        statuses=ASSESSMENT_STATUSES,
    )


def _stream_form_page(
    form: StreamForm, stream: ValueStream | None, *, stale: bool = False
) -> ResponseReturnValue:
    page = render_template(
        "candidates/stream_form.html",
        form=form,
        stream=stream,
        stale=stale,
        saved_hats=services.hat_rows(stream) if stale and stream is not None else [],
    )
    return page, (409 if stale else 200)


def _stale_stream(form: StreamForm, stream_id: int) -> ResponseReturnValue:
    """Someone saved the stream first: keep this input beside what is saved now (409)."""
    stream = _stream_or_404(stream_id)
    form.version.data = str(stream.version)  # saving again, having compared, replaces theirs
    return _stream_form_page(form, stream, stale=True)


@bp.route("/streams/new", methods=["GET", "POST"])
@requires("streams.edit")
def new_stream() -> ResponseReturnValue:
    """Describe a new value stream."""
    form = StreamForm(function_names=services.function_options())
    if request.method == "GET":
        form.functions.data = list(services.function_options())
    if form.validate_on_submit():
        try:
            with transaction():
                stream = services.save_stream(
                    None,
                    name=form.name.data or "",
                    journey=form.journey.data or "",
                    business_owner=form.business_owner.data or "",
                    functions=list(form.functions.data or []),
                    hats=form.hats(),
                )
        except services.CandidateError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Value stream {stream.name} added.", "success")
            return redirect(url_for("candidates.show_stream", stream_id=stream.id))
    return _stream_form_page(form, None)


@bp.route("/streams/<int:stream_id>")
@requires("streams.view")
def show_stream(stream_id: int) -> ResponseReturnValue:
    """A value stream: journey, functions, hats present and missing, candidates."""
    stream = services.stream_with_candidates(stream_id)
    if stream is None:
        abort(404)
    assessments = sorted(stream.assessments, key=lambda a: a.candidate.name)
    profiles = services.profiles_for(a.candidate_id for a in assessments)
    coverage = {
        a.id: services.coverage(stream.functions or [], profiles.get(a.candidate_id))
        for a in assessments
    }
    return render_template(
        "candidates/stream.html",
        stream=stream,
        hats=services.hat_rows(stream),
        assessments=assessments,
        profiles=profiles,
        coverage=coverage,
    )


@bp.route("/streams/<int:stream_id>/edit", methods=["GET", "POST"])
@requires("streams.edit")
def edit_stream(stream_id: int) -> ResponseReturnValue:
    """Change a value stream's description, functions or team."""
    stream = _stream_or_404(stream_id)
    options = services.function_options(stream.functions or [])
    if request.method == "GET":
        form = StreamForm(
            function_names=options,
            data={
                "name": stream.name,
                "journey": stream.journey,
                "business_owner": stream.business_owner,
                "functions": list(stream.functions or []),
                **{f"hat_{k}": v for k, v in (stream.hats or {}).items()},
                "version": stream.version,
            },
        )
    else:
        form = StreamForm(function_names=options)
    if form.validate_on_submit():
        try:
            with transaction():
                services.save_stream(
                    stream,
                    name=form.name.data or "",
                    journey=form.journey.data or "",
                    business_owner=form.business_owner.data or "",
                    functions=list(form.functions.data or []),
                    hats=form.hats(),
                    expected_version=form.expected_version() or 0,
                )
        except (services.StaleRecord, StaleEdit):
            return _stale_stream(form, stream_id)
        except services.CandidateError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Value stream {stream.name} saved.", "success")
            return redirect(url_for("candidates.show_stream", stream_id=stream.id))
    return _stream_form_page(form, stream)


# ---------------------------------------------------------------------------
# Candidates and assessments


@bp.route("/candidates")
@requires("assessments.list")
def list_assessments() -> ResponseReturnValue:
    """Assessments, newest first, 50 a page, filterable by stream, role version and status."""
    stream_arg = request.args.get("stream", "")
    version_arg = request.args.get("version", "")
    status = request.args.get("status", "")
    if status not in ASSESSMENT_STATUSES:
        status = ""
    filters = services.AssessmentFilters(
        stream_id=parse_id(stream_arg),
        no_stream=stream_arg == "none",
        version_id=parse_id(version_arg),
        status=status or None,
    )
    # The filters' versions also label the rows (no second load of the same versions).
    streams = services.stream_names()
    versions = services.published_version_choices()
    paged = paging(services.count_assessments(filters), requested_page(request.args))
    rows = services.candidate_rows(
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
    profiles = services.profiles_for(u.id for u in services.exec_users())
    execs = []
    for user in services.exec_users():
        profile = profiles.get(user.id)
        role = f" ({profile.current_role})" if profile and profile.current_role else ""
        execs.append((str(user.id), f"{user.name}{role}"))
    versions = [(str(v.id), v.label) for v in services.published_versions()]
    return NominateForm(execs=execs, streams=_stream_choices(), versions=versions, **kwargs)


@bp.route("/candidates/nominate", methods=["GET", "POST"])
@requires("assessments.nominate")
def nominate() -> ResponseReturnValue:
    """Nominate an exec for a value stream and a published role version."""
    if request.method == "GET":
        default = services.default_role_version()
        stream = request.args.get("stream", "")
        form = _nominate_form(
            data={
                "value_stream": stream if parse_id(stream) is not None else "",
                "role_version": str(default.id) if default else "",
            }
        )
    else:
        form = _nominate_form()
    if form.validate_on_submit():
        stream = _stream_or_404(int(form.value_stream.data))
        version = next(
            v for v in services.published_versions() if str(v.id) == form.role_version.data
        )
        invite_link = None
        try:
            with transaction():
                if form.candidate.data == NEW_PERSON:
                    candidate = services.create_exec(
                        form.new_name.data or "", form.new_email.data or ""
                    )
                else:
                    found = db.session.get(User, int(form.candidate.data))
                    if found is None:
                        abort(404)
                    candidate = found
                assessment = services.nominate(candidate, stream, version, actor=_actor())
                if form.candidate.data == NEW_PERSON:
                    invite_link = url_for(
                        "auth.set_password",
                        token=accounts.issue_token(candidate, "invite"),
                        _external=True,
                    )
        except services.DuplicateAssessment as exc:
            form.candidate.errors.append(str(exc))
        except services.CandidateError as exc:
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
    profile = services.profile_of(assessment.candidate)
    role = assessment.role_version.role
    answers = services.saved_answers(assessment)
    sa = assessment.self_assessment
    submitted = sa is not None and sa.status == "submitted" and current_user.role != "exec"
    # Independence: a panel member sees the self-ratings only after submitting their interview.
    own_interview = panel.own_interview(current_user, assessment)
    ratings_held_back = submitted and not may(current_user, "panel.view_input", assessment)
    show_answers = submitted and not ratings_held_back
    stream_form = None
    if assessment.value_stream is None and may(current_user, "assessments.nominate"):
        stream_form = SetStreamForm(streams=_stream_choices(), data={"version": assessment.version})
    return render_template(
        "candidates/assessment.html",
        assessment=assessment,
        profile=profile,
        coverage=services.coverage(services.needed_functions(assessment), profile),
        progress=services.progress(assessment),
        state=services.self_state(assessment),
        pages=services.lens_pages(role) if show_answers else [],
        answers=answers,
        scale=RATING_SCALE,
        stream_form=stream_form,
        reopen_form=ActionForm(data={"version": sa.version}) if sa is not None else None,
        ratings_held_back=ratings_held_back,
        own_interview=own_interview,
        sections=services.assessment_sections(assessment, _actor()),
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
            services.set_stream(assessment, stream, actor=_actor())
    except services.CandidateError as exc:
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
    profile = services.profile_of(user)
    experience = dict(profile.experience) if profile and profile.experience else {}
    names = services.function_options(experience)
    if request.method == "GET":
        data: dict[str, Any] = {
            "current_role": profile.current_role if profile else "",
            "business_area": profile.business_area if profile else "",
        }
        for name in names:
            data[experience_field_name(name)] = experience.get(name, "none")
        data["version"] = services.profile_version(profile)
        form = profile_form(names, data=data)
    else:
        form = profile_form(names)
    stale = False
    if form.validate_on_submit():
        try:
            with transaction(concurrent_insert_is_stale=True):
                services.save_profile(
                    user,
                    current_role=form.current_role.data or "",
                    business_area=form.business_area.data or "",
                    experience=form.experience(),
                    expected_version=form.expected_version() or 0,
                )
        except (services.StaleRecord, StaleEdit):
            # Also a unique-key clash: someone created the profile at the same moment.
            profile = services.profile_of(user)
            form.version.data = str(services.profile_version(profile))
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
            services.assessments_of(user)
            if user.id == current_user.id or may(current_user, "assessments.list")
            else []
        ),
    ), (409 if stale else 200)


# ---------------------------------------------------------------------------
# Self-assessment


def _self_context(assessment: Assessment) -> dict[str, Any]:
    role = assessment.role_version.role
    pages = services.lens_pages(role)
    answers = services.saved_answers(assessment)
    return {
        "assessment": assessment,
        "role": role,
        "pages": pages,
        "page_progress": {
            page.lens: services.Progress(
                sum(
                    1
                    for c in page.competencies
                    if c.key in answers and answers[c.key].level is not None
                ),
                len(page.competencies),
            )
            for page in pages
        },
        "progress": services.progress(assessment),
        "scale": RATING_SCALE,
        "answers": answers,
        "submitted": services.self_state(assessment) == "submitted",
    }


def _page_or_404(assessment: Assessment, lens: str) -> tuple[services.LensPage, int]:
    pages = services.lens_pages(assessment.role_version.role)
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
        resume=services.resume_page(assessment),
        state=services.self_state(assessment),
        **_self_context(assessment),
    )


def _render_self_page(
    assessment: Assessment,
    page: services.LensPage,
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
        data = answers_as_data(page.competencies, services.saved_answers(assessment))
        data["version"] = str(sa.version) if sa is not None else ""
        form = self_assessment_form(page.competencies, data=data)
        return _render_self_page(assessment, page, index, form)

    form = self_assessment_form(page.competencies)
    form.validate()
    try:
        with transaction(concurrent_insert_is_stale=True):
            saved = services.save_self_answers(
                assessment,
                form.valid_answers(),
                expected_version=form.expected_version(),
                actor=_actor(),
            )
            saved_input.discard(current_user.id, request.path)
    except (services.StaleSelfAssessment, StaleEdit):
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
        form.form_errors.append(str(services.StaleSelfAssessment()))
        return _render_self_page(assessment, page, index, form, conflict=True), 409
    form.version.data = str(saved.version) if saved is not None else ""
    if form.problems():
        note = "Your other answers on this page are saved." if form.valid_answers() else None
        return _render_self_page(assessment, page, index, form, saved_note=note)
    pages = services.lens_pages(assessment.role_version.role)
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
            saved = services.save_self_answers(
                assessment,
                form.valid_answers(),
                expected_version=form.expected_version(),
                actor=_actor(),
            )
    except services.AlreadySubmitted as exc:
        return jsonify(saved=False, message=str(exc)), 409
    except (services.StaleSelfAssessment, StaleEdit):
        return jsonify(
            saved=False,
            conflict=True,
            message="Not saved: these answers were changed in another window or tab. "
            "Press 'Save draft' to compare them with yours.",
        ), 409
    done = services.progress(assessment)
    return jsonify(
        saved=True,
        version=saved.version if saved is not None else None,
        answered=done.answered,
        total=done.total,
        progress=done.text,
        problems=form.problems(),
    )


@bp.route("/assessments/<int:assessment_id>/self/check", methods=["GET", "POST"])
@requires("self.fill")
def self_check(assessment_id: int) -> ResponseReturnValue:
    """Check your answers, then submit; read-only once submitted."""
    assessment = _assessment_or_404(assessment_id, "self.fill")
    sa = assessment.self_assessment
    form = ActionForm(data={"version": sa.version if sa else ""})
    problems: list[services.Problem] = []
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            with transaction():
                services.submit_self(
                    assessment, expected_version=form.expected_version(), actor=_actor()
                )
        except services.StaleSelfAssessment:
            form.form_errors.append(
                "Your answers were changed in another window or tab after you opened this page. "
                "Check them below, then submit again."
            )
            form.version.data = str(sa.version) if sa else ""
            status = 409
        except services.AlreadySubmitted as exc:
            flash(str(exc), "error")
            return redirect(url_for("candidates.self_check", assessment_id=assessment.id))
        except services.CandidateError:
            problems = services.submission_problems(assessment)
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
    if services.self_state(assessment) != "submitted":
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
            services.reopen_self(assessment, actor=_actor())
    except services.CandidateError as exc:
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
