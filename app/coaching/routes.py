"""Routes of the coaching area: progress overview, coaching plans and progress reviews."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import localtime, saved_input
from app.coaching import bp, plans, progress, standing, steps  # noqa: F401  (steps registers home-page steps)
from app.coaching.forms import DecisionForm, review_form
from app.coaching.plan_forms import PlanForm, VersionForm
from app.extensions import db
from app.form_fields import rows_changed
from app.models import Assessment, CoachingPlan, ProgressReview
from app.page_cache import cached_page
from app.policy import authorize, may, requires
from app.transactions import StaleEdit, show_on_form, transaction
from assessments.model import LENS_LABELS, RATING_SCALE
from assessments.progress import REVIEW_DECISION_CONSEQUENCES, REVIEW_DECISION_LABELS

STALE_PLAN = (
    "Someone else saved this plan after you opened it, so your changes have not been saved."
    " What you entered is kept below, with the saved plan underneath: check both, then save again."
)
STALE_REVIEW = (
    "Someone else changed this review after you opened it, so your decision has not been saved."
    " Check the review below and record the decision again."
)


def _assessment_or_404(assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    return assessment


def _plan_or_404(assessment: Assessment, number: int) -> CoachingPlan:
    plan = plans.plan_by_number(assessment, number)
    if plan is None:
        abort(404)
    return plan


def _review_or_404(assessment: Assessment, review_id: int) -> ProgressReview:
    review = db.session.get(ProgressReview, review_id)
    if review is None or review.plan.assessment_id != assessment.id:
        abort(404)
    return review


@bp.route("/progress")
@requires("progress.overview")
@cached_page
def progress_overview() -> ResponseReturnValue:
    """Every selected exec's induction and coaching progress on one page."""
    return render_template(
        "coaching/overview.html", rows=standing.progress_overview(), today=plans.today()
    )


# --- plans ----------------------------------------------------------------------------------


def _plan_page(assessment: Assessment, plan: CoachingPlan) -> ResponseReturnValue:
    authorize("plan.view", plan)
    on = plans.today()
    state = standing.plan_state(assessment, on)
    reviews = state.reviews
    private = may(current_user, "review.view")
    latest_review = reviews[-1] if reviews else None
    latest_summary = progress.review_summary(latest_review) if latest_review else None
    visible_versions = [p for p in assessment.plans if may(current_user, "plan.view", p)]
    content = plans.read_content(plan.content)
    return render_template(
        "coaching/plan.html",
        assessment=assessment,
        plan=plan,
        content=content,
        mentor_also_decides=plans.mentor_also_decides(content),
        state=state,
        checkpoints=standing.checkpoint_statuses(plan, reviews, on, closed=state.exited),
        load_months=standing.load_months(plan, reviews),
        reviews=[(r, progress.review_summary(r)) for r in reviews],
        latest_review=latest_review,
        latest_summary=latest_summary,
        versions=visible_versions,
        status_labels=plans.PLAN_STATUS_LABELS,
        lens_labels=LENS_LABELS,
        rating_scale=RATING_SCALE,
        decision_labels=REVIEW_DECISION_LABELS,
        action_form=VersionForm(formdata=None, data={"version": str(plan.version)}),
        private=private,
        percent=progress.percent,
        today=on,
    )


@bp.route("/assessments/<int:assessment_id>/plan")
@requires("plan.view")
def show_plan(assessment_id: int) -> ResponseReturnValue:
    """The exec's current coaching plan (for the exec: the version in force)."""
    assessment = _assessment_or_404(assessment_id)
    visible = [p for p in assessment.plans if may(current_user, "plan.view", p)]
    if not visible:
        if assessment.plans:
            abort(403)  # only a draft exists: execs never see drafts
        abort(404)
    return _plan_page(assessment, visible[-1])


@bp.route("/assessments/<int:assessment_id>/plan/v<int:number>")
@requires("plan.view")
def show_plan_version(assessment_id: int, number: int) -> ResponseReturnValue:
    """One version of the coaching plan; earlier versions stay readable."""
    assessment = _assessment_or_404(assessment_id)
    return _plan_page(assessment, _plan_or_404(assessment, number))


def _render_editor(
    assessment: Assessment,
    plan: CoachingPlan,
    form: PlanForm,
    *,
    saved: CoachingPlan | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    goals = {g["key"]: g for g in plan.content.get("goals", [])}
    return (
        render_template(
            "coaching/edit_plan.html",
            assessment=assessment,
            plan=plan,
            form=form,
            goals=goals,
            saved=saved,
            saved_content=plans.read_content(saved.content) if saved is not None else None,
            lens_labels=LENS_LABELS,
            cpo_name=form.cpo_name,
        ),
        status,
    )


@bp.route("/assessments/<int:assessment_id>/plan/v<int:number>/edit", methods=["GET", "POST"])
@requires("plan.edit")
def edit_plan(assessment_id: int, number: int) -> ResponseReturnValue:
    """The CPO edits a draft plan: goals, mentor, load, trade-offs and checkpoints."""
    assessment = _assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment, number)
    if plan.status != "draft":
        flash(
            f"Version {plan.number} has been issued and cannot be changed."
            " Start a new version to make changes.",
            "error",
        )
        return redirect(
            url_for("coaching.show_plan_version", assessment_id=assessment.id, number=number)
        )
    cpo = plans.cpo_name()
    if request.method == "GET":
        kept = saved_input.give_back(current_user.id, request.path)
        if kept is not None:  # its version shows any conflict on save
            flash(saved_input.RESTORED_MESSAGE, "info")
            form = PlanForm(formdata=kept, plan_content=plan.content, cpo_name=cpo)
            return _render_editor(assessment, plan, form)
        return _render_editor(
            assessment, plan, PlanForm.from_content(plan.content, plan.version, cpo)
        )
    form = PlanForm(plan_content=plan.content, cpo_name=cpo)
    if rows_changed(form):  # "Add another" or "Remove": the same page, a row more or fewer
        return _render_editor(assessment, plan, form)
    if not form.validate_on_submit():
        return _render_editor(assessment, plan, form)
    try:
        with transaction():
            plans.update_draft(
                plan, form.content(), expected_version=form.expected_version(), actor=current_user
            )
            saved_input.discard(current_user.id, request.path)
    except StaleEdit:
        plan = _plan_or_404(_assessment_or_404(assessment_id), number)
        form.form_errors.append(STALE_PLAN)
        form.version.data = str(plan.version)
        return _render_editor(assessment, plan, form, saved=plan, status=409)
    except plans.PlanError as exc:
        show_on_form(form, exc)
        return _render_editor(assessment, plan, form)
    flash(f"Draft coaching plan v{plan.number} saved.", "success")
    return redirect(
        url_for("coaching.show_plan_version", assessment_id=assessment.id, number=number)
    )


@bp.route("/assessments/<int:assessment_id>/plan/v<int:number>/issue", methods=["POST"])
@requires("plan.edit")
def issue_plan(assessment_id: int, number: int) -> ResponseReturnValue:
    """Issue a draft: it is frozen, the exec can read it, and the one before is superseded."""
    assessment = _assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment, number)
    form = VersionForm()
    try:
        with transaction():
            plans.issue_plan(plan, expected_version=form.expected_version(), actor=current_user)
    except StaleEdit:
        flash(
            "Someone else changed this plan after you opened it, so it has not been issued."
            " Check the plan below and issue it again.",
            "error",
        )
    except plans.PlanError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"Coaching plan v{plan.number} issued. {assessment.candidate.name} can now read it.",
            "success",
        )
    return redirect(
        url_for("coaching.show_plan_version", assessment_id=assessment.id, number=number)
    )


@bp.route("/assessments/<int:assessment_id>/plan/v<int:number>/revise", methods=["POST"])
@requires("plan.edit")
def revise_plan(assessment_id: int, number: int) -> ResponseReturnValue:
    """Start the next draft version from the issued plan and open it in the editor."""
    assessment = _assessment_or_404(assessment_id)
    plan = _plan_or_404(assessment, number)
    try:
        with transaction():
            draft = plans.revise_plan(plan, current_user)
    except plans.PlanError as exc:
        flash(str(exc), "error")
        return redirect(
            url_for("coaching.show_plan_version", assessment_id=assessment.id, number=number)
        )
    return redirect(url_for("coaching.edit_plan", assessment_id=assessment.id, number=draft.number))


# --- reviews --------------------------------------------------------------------------------


def _review_choices(state: standing.PlanState) -> list[tuple[int, str]]:
    return [
        (c.day, f"{c.title} (due {localtime.format_date(c.due_on)})")
        for c in state.checkpoints
        if c.state in ("due", "overdue")
    ]


@bp.route("/assessments/<int:assessment_id>/reviews/new", methods=["GET", "POST"])
@requires("review.record")
def record_review(assessment_id: int) -> ResponseReturnValue:
    """Record a checkpoint review: re-rate each goal, the actual load share, and notes."""
    assessment = _assessment_or_404(assessment_id)
    on = plans.today()
    state = standing.plan_state(assessment, on)
    plan = state.issued
    options = _review_choices(state)
    goals = plan.content.get("goals", []) if plan is not None else []
    defaults: dict[str, Any] = {"held_on": on}
    if options:
        defaults["checkpoint_day"] = str(options[0][0])
    previous = state.reviews[-1] if state.reviews else None
    last = (previous.checkpoint_day, previous.ratings) if previous is not None else None
    form = review_form(goals, options, last, data=defaults)
    context = {
        "assessment": assessment,
        "plan": plan,
        "state": state,
        "form": form,
        "options": options,
        "goals": goals,
        "rating_scale": RATING_SCALE,
    }
    if plan is None or not options or not form.is_submitted():
        return render_template("coaching/record_review.html", **context)
    valid = form.validate_on_submit()
    held_on = form.parse_held_on(plan.start_date, on)
    load = form.parse_load()
    if not valid or held_on is None or load is None:
        return render_template("coaching/record_review.html", **context)
    try:
        with transaction():
            review = progress.record_review(
                plan,
                checkpoint_day=int(form.checkpoint_day.data),
                held_on=held_on,
                ratings=form.ratings(),
                actual_load_share=load,
                notes=form.notes.data or "",
                actor=current_user,
            )
    except plans.PlanError as exc:
        show_on_form(form, exc)
        return render_template("coaching/record_review.html", **context)
    if review.fail_fast:
        flash(
            "Review recorded. A fail-fast warning was raised: record your decision with a"
            " rationale.",
            "success",
        )
    else:
        flash("Review recorded. Record your decision with a rationale.", "success")
    return redirect(
        url_for("coaching.show_review", assessment_id=assessment.id, review_id=review.id)
        + "#decision"
    )


def _review_page(
    assessment: Assessment,
    review: ProgressReview,
    form: DecisionForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    summary = progress.review_summary(review)
    if form is None:
        form = DecisionForm(formdata=None, data={"version": str(review.version)})
    plan = review.plan
    return (
        render_template(
            "coaching/review.html",
            assessment=assessment,
            review=review,
            plan=plan,
            summary=summary,
            form=form,
            goals=plan.content.get("goals", []),
            rating_scale=RATING_SCALE,
            decision_labels=REVIEW_DECISION_LABELS,
            decision_consequences=REVIEW_DECISION_CONSEQUENCES,
            decider=plans.read_content(plan.content)["decider"],
            percent=progress.percent,
            month=plans.month_of(summary.day),
            planned_share=next(
                (
                    s["planned_share"]
                    for s in plan.content.get("load_schedule", [])
                    if s["month"] == plans.month_of(summary.day)
                ),
                None,
            ),
        ),
        status,
    )


@bp.route("/assessments/<int:assessment_id>/reviews/<int:review_id>")
@requires("review.view")
def show_review(assessment_id: int, review_id: int) -> ResponseReturnValue:
    """A review: gap closed per goal and overall, the fail-fast outcome, and the decision."""
    assessment = _assessment_or_404(assessment_id)
    return _review_page(assessment, _review_or_404(assessment, review_id))


@bp.route("/assessments/<int:assessment_id>/reviews/<int:review_id>/decision", methods=["POST"])
@requires("review.record")
def decide_review(assessment_id: int, review_id: int) -> ResponseReturnValue:
    """Record the CPO's decision with a rationale; this clears a fail-fast warning."""
    assessment = _assessment_or_404(assessment_id)
    review = _review_or_404(assessment, review_id)
    if review.decision is not None:
        flash("A decision has already been recorded for this review.", "error")
        return redirect(
            url_for("coaching.show_review", assessment_id=assessment.id, review_id=review.id)
        )
    form = DecisionForm()
    if not form.validate_on_submit():
        return _review_page(assessment, review, form)
    try:
        with transaction():
            progress.decide_review(
                review,
                decision=form.decision.data,
                rationale=form.rationale.data or "",
                expected_version=form.expected_version(),
                actor=current_user,
            )
    except StaleEdit:
        review = _review_or_404(_assessment_or_404(assessment_id), review_id)
        form.form_errors.append(STALE_REVIEW)
        form.version.data = str(review.version)
        return _review_page(assessment, review, form, status=409)
    except plans.PlanError as exc:
        show_on_form(form, exc)
        return _review_page(assessment, review, form)
    flash(f"Decision recorded: {REVIEW_DECISION_LABELS[review.decision or '']}.", "success")
    return redirect(
        url_for("coaching.show_review", assessment_id=assessment.id, review_id=review.id)
    )
