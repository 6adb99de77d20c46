"""Value streams: list, describe, show and edit."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.candidates import bp
from app.candidates import streams as value_streams
from app.candidates.errors import CandidateError
from app.candidates.forms import StreamForm
from app.candidates.route_helpers import _stream_or_404
from app.models import ASSESSMENT_STATUSES, ValueStream
from app.page_cache import cached_page
from app.pagination import requested_page
from app.policy import requires
from app.transactions import StaleEdit, transaction


@bp.route("/streams")
@requires("streams.view")
@cached_page
def list_streams() -> ResponseReturnValue:
    """Every value stream with its hats and candidates."""
    streams = value_streams.stream_options()
    return render_template(
        "candidates/streams.html",
        streams=streams,
        hats={s.id: value_streams.hat_rows(s) for s in streams},
        summaries=value_streams.stream_summaries(streams),
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
        saved_hats=value_streams.hat_rows(stream) if stale and stream is not None else [],
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
    form = StreamForm(function_names=value_streams.function_options())
    if request.method == "GET":
        form.functions.data = list(value_streams.function_options())
    if form.validate_on_submit():
        try:
            with transaction():
                stream = value_streams.save_stream(
                    None,
                    name=form.name.data or "",
                    journey=form.journey.data or "",
                    business_owner=form.business_owner.data or "",
                    functions=list(form.functions.data or []),
                    hats=form.hats(),
                )
        except CandidateError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Value stream {stream.name} added.", "success")
            return redirect(url_for("candidates.show_stream", stream_id=stream.id))
    return _stream_form_page(form, None)


@bp.route("/streams/<int:stream_id>")
@requires("streams.view")
@cached_page
def show_stream(stream_id: int) -> ResponseReturnValue:
    """A value stream: journey, functions, hats present and missing, candidates 25 a page."""
    stream = _stream_or_404(stream_id)
    paged, candidates = value_streams.stream_candidates(stream, requested_page(request.args))
    return render_template(
        "candidates/stream.html",
        stream=stream,
        hats=value_streams.hat_rows(stream),
        candidates=candidates,
        paging=paged,
    )


@bp.route("/streams/<int:stream_id>/edit", methods=["GET", "POST"])
@requires("streams.edit")
def edit_stream(stream_id: int) -> ResponseReturnValue:
    """Change a value stream's description, functions or team."""
    stream = _stream_or_404(stream_id)
    options = value_streams.function_options(stream.functions or [])
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
                value_streams.save_stream(
                    stream,
                    name=form.name.data or "",
                    journey=form.journey.data or "",
                    business_owner=form.business_owner.data or "",
                    functions=list(form.functions.data or []),
                    hats=form.hats(),
                    expected_version=form.expected_version() or 0,
                )
        except StaleEdit:
            return _stale_stream(form, stream_id)
        except CandidateError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Value stream {stream.name} saved.", "success")
            return redirect(url_for("candidates.show_stream", stream_id=stream.id))
    return _stream_form_page(form, stream)
