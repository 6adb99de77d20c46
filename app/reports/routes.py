"""Routes of the reports area: PDF downloads, the HR download centre, bulk exports.

Every document is built for the signed-in viewer: the builders ask the policy what that viewer
may read and raise `HeldBack` for a document they may not have at all, which answers 403.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.errors import render_error
from app.extensions import db
from app.models import EXPORT_STATUSES, ExportJob, RoleVersion, ValueStream
from app.models.loaders import load_assessment_for_report, load_plan_for_document
from app.page_cache import cached_page
from app.pagination import kept_args, requested_page
from app.policy import authorize, may, requires
from app.reports import (
    archive,
    bp,
    bundles,
    cache,
    coaching_plan,
    documents,
    exports,
    guide,
    listing,
    readiness,
    repeats,
    shortlist,
    tasks,
)
from app.reports.documents import Document, HeldBack
from app.reports.forms import BulkDownloadForm, FilterForm
from app.reports.pdf import RenderTimeout
from app.transactions import transaction

RETRY_AFTER_SECONDS = 10


@bp.errorhandler(HeldBack)
def held_back(_error: HeldBack) -> ResponseReturnValue:
    """A builder refused this viewer: the routes check first, so this is the last line."""
    # why: an error handler, outside any view's transaction; drop what the builder flushed.
    db.session.rollback()
    return render_error(403)


def _download(doc: Document) -> ResponseReturnValue:
    """Send a document's PDF as a download; a render over the time limit asks to retry."""
    try:
        with transaction():  # keeps a freshly rendered PDF in the shared cache
            pdf = cache.pdf_for(doc)
    except RenderTimeout:
        response = Response(
            render_template("reports/busy.html", retry_after=RETRY_AFTER_SECONDS), status=503
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    repeats.remember(doc)
    return _pdf(pdf, doc.filename)


@bp.before_request
def _repeat_download() -> ResponseReturnValue | None:
    """A download asked again while nothing changed: the PDF it was answered with."""
    return repeats.answer_again(_pdf)


def _pdf(body: bytes, filename: str) -> Response:
    return _file(body, filename, "application/pdf")


def _file(body: bytes, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Content-Length"] = str(len(body))
    return response


@bp.route("/reports/assessments/<int:assessment_id>/readiness-report.pdf")
@requires("reports.download")
@repeats.repeatable
def readiness_pdf(assessment_id: int) -> ResponseReturnValue:
    """The readiness report of one scored assessment."""
    assessment = load_assessment_for_report(assessment_id)
    if assessment is None or not documents.is_scored(assessment):
        abort(404)
    if not documents.may_read_readiness(current_user, assessment):
        # A panel member who has not submitted: say why, and what lifts it.
        return render_error(
            403,
            "You sit on this candidate's panel. Their readiness report shows the other panel"
            " members' ratings and notes, so it is held back until you submit your own"
            " interview.",
        )
    return _download(readiness.readiness_document(assessment, current_user))


@bp.route("/reports/plans/<int:plan_id>/coaching-plan.pdf")
@requires("plan.download")
@repeats.repeatable
def plan_pdf(plan_id: int) -> ResponseReturnValue:
    """One version of a coaching plan; an exec may download only their own issued plan."""
    plan = load_plan_for_document(plan_id)
    if plan is None:
        abort(404)
    authorize("plan.download", plan)
    return _download(coaching_plan.plan_document(plan, current_user))


@bp.route("/reports/streams/<int:stream_id>/roles/<int:version_id>/shortlist.pdf")
@requires("reports.download")
@repeats.repeatable
def shortlist_pdf(stream_id: int, version_id: int) -> ResponseReturnValue:
    """The candidates for one value stream and role version, side by side in ranking order."""
    stream = db.session.get(ValueStream, stream_id)
    version = db.session.scalar(
        select(RoleVersion)
        .where(RoleVersion.id == version_id)
        .options(joinedload(RoleVersion.definition))
    )
    if stream is None or version is None:
        abort(404)
    authorize("roles.view", version)  # no shortlist of a draft role version for HR
    return _download(shortlist.shortlist_document(stream, version, current_user))


@bp.route("/reports/roles/<int:version_id>/interview-guide.pdf")
@requires("guide.download")
@repeats.repeatable
def interview_guide_pdf(version_id: int) -> ResponseReturnValue:
    """A blank interview guide for a role version, to take notes on paper."""
    version = db.session.scalar(
        select(RoleVersion)
        .where(RoleVersion.id == version_id)
        .options(joinedload(RoleVersion.definition))
    )
    if version is None:
        abort(404)
    authorize("guide.download", version)
    return _download(guide.interview_guide_document(version, current_user))


DATE_PARTS = ("", "-day", "-month", "-year")
# The filters a page link keeps (the date boxes post their parts; a bookmarked ISO date too).
FILTER_ARGS = (
    "kind",
    "stream",
    "status",
    *(f"{name}{part}" for name in ("date_from", "date_to") for part in DATE_PARTS),
)


@bp.route("/reports", methods=["GET", "POST"])
@requires("reports.download")
@cached_page
def download_centre() -> ResponseReturnValue:
    """Issued plans and readiness reports, filtered, 25 a page; download one, the ticked ones,
    or every one that matches the filters as a ZIP."""
    streams = listing.value_streams()
    filter_form = FilterForm(request.args, streams=[(str(s_id), name) for s_id, name in streams])
    filter_form.validate()
    filters = filter_form.filters()
    bulk = BulkDownloadForm()
    if request.method == "POST" and request.form.get("all"):
        # Every matching document on every page, not only the ticked ones of this page.
        bulk.documents.data = listing.all_document_refs(filters, current_user)
    if request.method == "POST" and bulk.validate_on_submit():
        refs = list(dict.fromkeys(bulk.documents.data or []))
        try:
            bundle = bundles.documents_for(refs, current_user)
        except bundles.UnknownDocument:
            bulk.documents.errors = [
                "One of the ticked documents is no longer available. Tick them again and download"
            ]
        else:
            if exports.should_run_inline(bundle.documents):
                try:
                    with transaction():
                        body = exports.zip_inline(bundle)
                        _audit_export(refs)
                except RenderTimeout:
                    pass  # too slow after all: run it as a job instead
                else:
                    return _file(body, archive.export_filename(), "application/zip")
            with transaction():
                job = exports.create_export(current_user, refs)
                _audit_export(refs, job)
                tasks.queue_export(job.id)
            return redirect(url_for("reports.export_progress", job_id=job.id))
    paged, rows = listing.documents_page(filters, current_user, requested_page(request.args))
    ticked = set(bulk.documents.data or []) if request.method == "POST" else set()
    return render_template(
        "reports/download_centre.html",
        filter_form=filter_form,
        bulk=bulk,
        rows=rows,
        paging=paged,
        page_args=kept_args(request.args, FILTER_ARGS),
        ticked=ticked,
        shortlists=listing.shortlists(current_user),
        guides=listing.guide_versions(),
        filtered=any(
            filter_form.data.get(k) for k in ("kind", "stream", "status", "date_from", "date_to")
        ),
    )


def _audit_export(refs: list[str], job: ExportJob | None = None) -> None:
    """Who took personnel documents away in bulk is worth knowing later."""
    audit.record(
        "reports.export",
        f"{len(refs)} documents downloaded as one ZIP"
        + (f" (background export {job.id})" if job is not None else ""),
        obj=job,
        new={"documents": refs},
    )


def _job_or_404(job_id: int) -> ExportJob:
    job = db.session.get(ExportJob, job_id)
    if job is None:
        abort(404)
    authorize("export.view", job)
    return job


@bp.route("/reports/exports/<int:job_id>")
@requires("export.view")
def export_progress(job_id: int) -> ResponseReturnValue:
    """How far a bulk export has got; refreshes itself until the ZIP is ready."""
    job = _job_or_404(job_id)
    state = exports.job_state(job)
    return render_template(
        "reports/export_progress.html",
        job=job,
        state=state,
        state_label=EXPORT_STATUSES.get(state, "No progress for a while"),
        # People who find the refresh distracting can stop it (WCAG 2.2.1).
        refresh=state in ("queued", "running") and request.args.get("auto") != "off",
        may_cancel=state in ("queued", "running", "stalled")
        and may(current_user, "export.cancel", job),
    )


@bp.route("/reports/exports/<int:job_id>/download")
@requires("export.view")
def export_download(job_id: int) -> ResponseReturnValue:
    """The finished ZIP of a bulk export."""
    job = _job_or_404(job_id)
    if job.status != "done" or job.result is None:
        return redirect(url_for("reports.export_progress", job_id=job.id))
    return _file(job.result, job.filename, "application/zip")


@bp.route("/reports/exports/<int:job_id>/cancel", methods=["POST"])
@requires("export.cancel")
def cancel_export(job_id: int) -> ResponseReturnValue:
    """Stop a bulk export still being prepared: its remaining documents are not rendered."""
    job = db.session.get(ExportJob, job_id)
    if job is None:
        abort(404)
    authorize("export.cancel", job)
    with transaction():
        cancelled = exports.cancel_export(job, current_user)
    if cancelled:
        flash("The export was cancelled.", "success")
    else:
        flash("The export had already finished, so there was nothing to cancel.", "info")
    if may(current_user, "export.view", job):
        return redirect(url_for("reports.export_progress", job_id=job.id))
    return redirect(url_for("admin.list_tasks"))
