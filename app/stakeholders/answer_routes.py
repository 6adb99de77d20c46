"""The stakeholder's side: answer by link, no account. Save and come back (no JavaScript
needed), autosave (with it), check, submit, thanks. A link that does not work gets a clear page.

The link's token is the only credential: these routes are public, rate-limited per address on
links that do not work (like sign-in), and carry CSRF like every form. The token is in the URL,
so app/security.py sends these pages with no-store and no-referrer.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug import Response

from app import localtime
from app.errors import CSRF_REFUSED, render_error
from app.extensions import limiter
from app.models.stakeholders import StakeholderInvitation
from app.policy import public
from app.stakeholders import answers, bp, invitations
from app.stakeholders.forms import AnswerForm, answer_form
from app.transactions import DomainError, StaleEdit, transaction
from assessments.model import RATING_SCALE
from assessments.scale import SCALE_WORDS

# What a 0 means to someone who works with the exec (the role's words describe levels 1 to 4).
ZERO_MEANING = "You have seen them act in the opposite way to level 1."
NOT_OBSERVED_MEANING = "You have not seen this at work, or not enough to say."


def _link_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _not_working(response: Response) -> bool:
    """Only links that do not work count towards the limit: someone answering is never slowed."""
    return response.status_code == 404


# One budget per address across every link route, spent only by links that do not exist.
link_limit = limiter.shared_limit(_link_limit, scope="stakeholder-link", deduct_when=_not_working)


def _problem_page(invitation: StakeholderInvitation | None) -> tuple[str, int]:
    """The page for a link that does not work (404), expired (410) or was withdrawn (410)."""
    if invitation is None:
        return render_template("stakeholders/link_problem.html", problem="unknown"), 404
    status = invitations.status_of(invitation)
    asked_by = invitation.created_by.name if invitation.created_by else "the person who asked you"
    return render_template(
        "stakeholders/link_problem.html",
        problem=status,
        invitation=invitation,
        asked_by=asked_by,
        has_draft=bool(answers.draft_levels(invitation) or answers.draft_comments(invitation)),
    ), 410


def _keep_if_expired(token: str) -> None:
    """On an expired link, what was just posted still goes into the draft: nothing is lost, and
    it is there when the CPO gives more time. Nothing is sent."""
    invitation = invitations.invitation_by_token(token)
    if invitation is None or invitations.status_of(invitation) != "expired":
        return
    form = answer_form(answers.questions(answers.role_of(invitation)))
    form.validate()
    try:
        _save(invitation, form)
    except (DomainError, StaleEdit):
        return


def _open_invitation(token: str) -> tuple[StakeholderInvitation | None, tuple[str, int]]:
    """(invitation, None) when the link works, else (None, the page saying why)."""
    invitation = invitations.invitation_by_token(token)
    if invitation is None or invitations.status_of(invitation) != "sent":
        return None, _problem_page(invitation)
    return invitation, ("", 200)


def _context(invitation: StakeholderInvitation) -> dict[str, Any]:
    role = answers.role_of(invitation)
    return {
        "invitation": invitation,
        "candidate": invitation.assessment.candidate.name,
        "role": role,
        "groups": answers.lens_groups(role),
        "scale": RATING_SCALE,
        "scale_words": SCALE_WORDS,
        "zero_meaning": ZERO_MEANING,
        "not_observed_meaning": NOT_OBSERVED_MEANING,
        "min_responses": invitations.min_responses(),
        "progress": answers.progress(invitation),
        "due_on": invitation.due_on,
        "minutes": invitations.MINUTES_TO_ANSWER,
        "not_observed": answers.NOT_OBSERVED,
        "prompts_of": answers.prompts_of,
    }


def _form_data(invitation: StakeholderInvitation) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, level in answers.draft_levels(invitation).items():
        data[f"level-{key}"] = str(level)
    for key, text in answers.draft_comments(invitation).items():
        data["comment-overall" if key == answers.OVERALL else f"comment-{key}"] = text
    return data


def _render(
    invitation: StakeholderInvitation, form: AnswerForm, token: str, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "stakeholders/answer.html", form=form, token=token, **_context(invitation)
    ), status


def _save(invitation: StakeholderInvitation, form: AnswerForm) -> None:
    with transaction():
        answers.save_draft(invitation, form.levels(), form.comments())


@bp.route("/feedback/<token>", methods=["GET", "POST"])
@public
@link_limit
def answer(token: str) -> ResponseReturnValue:
    """The whole form on one page: a level or 'Not observed' and a comment per competency."""
    invitation, problem = _open_invitation(token)
    if invitation is None:
        if request.method == "POST":
            _keep_if_expired(token)
            invitation = invitations.invitation_by_token(token)
            return _problem_page(invitation)
        return problem
    asked = answers.questions(answers.role_of(invitation))
    if request.method == "GET":
        return _render(invitation, answer_form(asked, data=_form_data(invitation)), token)
    form = answer_form(asked)
    form.validate()
    try:
        _save(invitation, form)
    except (DomainError, StaleEdit):
        invitation = invitations.invitation_by_token(token)
        return _problem_page(invitation)
    if form.problems():
        return _render(invitation, form, token, 400)
    if request.form.get("action") == "check":
        return redirect(url_for("stakeholders.check", token=token))
    flash(
        f"Saved at {localtime.format_time(localtime.now())}. Come back to this link at any "
        "time before the due date to finish; nothing is sent until you submit.",
        "success",
    )
    return redirect(url_for("stakeholders.answer", token=token))


@bp.route("/feedback/<token>/autosave", methods=["POST"])
@public
@link_limit
def autosave(token: str) -> ResponseReturnValue:
    """Save the draft in the background (JavaScript); answers JSON."""
    invitation, _problem = _open_invitation(token)
    if invitation is None:
        _keep_if_expired(token)
        found = invitations.invitation_by_token(token)
        message = (
            "This link has expired. Your answers are kept, not sent: ask for more time to "
            "send them."
            if found is not None and invitations.status_of(found) == "expired"
            else "Not saved: this link no longer works."
        )
        return jsonify(saved=False, message=message), 404 if found is None else 410
    form = answer_form(answers.questions(answers.role_of(invitation)))
    form.validate()
    try:
        _save(invitation, form)
    except (DomainError, StaleEdit):
        return jsonify(saved=False, message="Not saved: this link no longer works."), 410
    done = answers.progress(invitation)
    return jsonify(
        saved=True,
        answered=done.answered,
        total=done.total,
        progress=done.text,
        problems=form.problems(),
    )


@bp.route("/feedback/<token>/check", methods=["GET", "POST"])
@public
@link_limit
def check(token: str) -> ResponseReturnValue:
    """Check the answers, then send them (after which the link stops working)."""
    invitation, problem = _open_invitation(token)
    if invitation is None:
        return problem
    form = AnswerForm(formdata=None) if request.method == "GET" else AnswerForm()
    status = 200
    if request.method == "POST":
        if form.validate() and not answers.problems(invitation):
            try:
                with transaction():
                    answers.submit_invitation(invitation)
            except (DomainError, StaleEdit):
                return _problem_page(invitations.invitation_by_token(token))
            return redirect(url_for("stakeholders.thanks"))
        status = 400
    comments = answers.draft_comments(invitation)
    return render_template(
        "stakeholders/check.html",
        form=form,
        token=token,
        levels=answers.draft_levels(invitation),
        comments=comments,
        overall=comments.get(answers.OVERALL, ""),
        problems=answers.problems(invitation),
        **_context(invitation),
    ), status


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> ResponseReturnValue:
    """A stakeholder's session (only there for the CSRF token) ended while their page was open:
    give the answers they posted back on a fresh page to save again; nothing is written.
    A missing token (no page of ours sent it) gets the app's usual refusal."""
    token = (request.view_args or {}).get("token")
    ours = error.description != "The CSRF token is missing."
    if ours and token and request.endpoint == "stakeholders.autosave":
        return jsonify(
            saved=False,
            message="Automatic saving has stopped because the page was open a long time. "
            "Press 'Save and come back later': what you typed is kept.",
        ), 400
    if ours and token and request.endpoint == "stakeholders.answer":
        invitation, problem = _open_invitation(token)
        if invitation is None:
            return problem
        form = answer_form(answers.questions(answers.role_of(invitation)))
        form.validate()  # the stale token's message leads the error summary
        return _render(invitation, form, token, 400)
    return render_error(400, CSRF_REFUSED)


@bp.route("/feedback/thanks")
@public
def thanks() -> ResponseReturnValue:
    """Thanks, and what happens to the answers now."""
    return render_template("stakeholders/thanks.html", min_responses=invitations.min_responses())
