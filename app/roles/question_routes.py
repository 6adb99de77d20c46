"""Editing one interview question of a draft's competency: its probes and scoring key."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template
from flask.typing import ResponseReturnValue

from app.form_fields import rows_changed
from app.models import RoleVersion
from app.policy import requires
from app.roles import bp, editing
from app.roles.content import blocking_problems, canonical
from app.roles.errors import RoleEditError
from app.roles.forms import QuestionForm, apply_problems
from app.roles.route_helpers import (
    _actor,
    _page_context,
    _refuse_change,
    _reload,
    _to_version,
    _version_or_404,
)
from app.transactions import StaleEdit, transaction
from assessments.role_files import settle_schema_version


def _page(
    form: QuestionForm,
    draft: RoleVersion,
    competency: dict[str, Any],
    qnum: int,
    *,
    stale: bool = False,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "roles/question_form.html",
        form=form,
        competency=competency,
        qnum=qnum,
        stale=stale,
        **_page_context(draft),
    ), status


@bp.route(
    "/roles/<key>/v<int:number>/competencies/<ckey>/questions/<int:qnum>/edit",
    methods=["GET", "POST"],
)
@requires("roles.edit")
def edit_question(key: str, number: int, ckey: str, qnum: int) -> ResponseReturnValue:
    """Change one question's text, probes and what to listen for at each level."""
    draft = _version_or_404(key, number)
    if draft.status != "draft":
        return _refuse_change(draft)
    competency = editing.competency_by_key(draft, ckey)
    questions = list((competency or {}).get("interview_questions") or [])
    if competency is None or not 1 <= qnum <= len(questions):
        abort(404)
    form = QuestionForm()
    if not form.is_submitted():
        form.fill(questions[qnum - 1])
        form.version.data = str(draft.version)
        return _page(form, draft, competency, qnum)
    if rows_changed(form):
        return _page(form, draft, competency, qnum)
    valid = form.validate()
    questions[qnum - 1] = form.values()
    changed = {**competency, "interview_questions": questions}
    competencies = [changed if c is competency else c for c in draft.content["competencies"]]
    content = canonical(settle_schema_version({**draft.content, "competencies": competencies}))
    problems = blocking_problems(content)
    index = draft.content["competencies"].index(competency)
    if valid:  # the form's own messages say it better than the file format's
        apply_problems(form, problems, competency_index=index, content=content)
    if form.expected_version() != draft.version:
        form.version.data = str(draft.version)
        return _page(form, draft, competency, qnum, stale=True, status=409)
    if valid and not problems:
        try:
            with transaction():
                editing.save_competency(
                    draft, ckey, changed, expected_version=form.expected_version(), actor=_actor()
                )
        except (StaleEdit, RoleEditError):
            draft = _reload(key, number)
            form.version.data = str(draft.version)
            return _page(form, draft, competency, qnum, stale=True, status=409)
        flash(f"Question {qnum} of {competency['name']} saved.", "success")
        return _to_version(draft, f"competency-{ckey}")
    return _page(form, draft, competency, qnum, status=400)
