"""Sign in, sign out, change password, and follow an invite or reset link."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.auth import bp, records, services, throttle
from app.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from app.auth.session import current_record, end_session, safe_next, start_session
from app.errors import render_error
from app.extensions import db, limiter
from app.models import User
from app.passwords import verify_password
from app.policy import public, requires

BAD_CREDENTIALS = "Enter a correct email address and password"


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    """Sign in; the same message whether or not the email exists."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]
    if form.validate_on_submit():
        email = form.email.data or ""
        if throttle.is_locked(email):  # refused before the password is even checked
            return render_error(429, throttle.locked_message())
        user = services.authenticate(email, form.password.data or "")
        if user is None:
            throttle.record_failure(email)
            db.session.commit()  # keep the failed-attempt audit event
            form.password.errors = [BAD_CREDENTIALS]
        else:
            throttle.clear(email)
            start_session(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> ResponseReturnValue:
    """Sign out (POST only, with CSRF, so no link can sign someone out)."""
    end_session()
    db.session.commit()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires("account.change_password")
def change_password() -> ResponseReturnValue:
    """Change one's own password after confirming the current one."""
    form = ChangePasswordForm()
    form.password_related = _related_words(current_user)
    if form.validate_on_submit():
        if throttle.is_locked(current_user.email):
            return render_error(429, throttle.locked_message())
        if not verify_password(current_user.password_hash, form.current_password.data or ""):
            throttle.record_failure(current_user.email)
            form.current_password.errors = ["Your current password is not correct"]
        else:
            user = current_user._get_current_object()
            services.set_password(user, form.new_password.data or "")
            start_session(user)
            db.session.commit()
            flash("Your password has been changed.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form, **_sessions_context())


def _related_words(user: User) -> tuple[str, ...]:
    """What an attacker would try first in this person's password."""
    return (user.email, user.name, str(current_app.config["ORGANISATION_NAME"]))


def _sessions_context() -> dict[str, object]:
    """The signed-in person's live sessions for the account page."""
    config = current_app.config
    record = current_record()
    return {
        "live_sessions": records.live_sessions(
            current_user.id, config["SESSION_IDLE_TIMEOUT"], config["SESSION_ABSOLUTE_TIMEOUT"]
        ),
        "this_session_id": record.id if record is not None else None,
        "describe_device": records.describe_device,
    }


@bp.route("/account/sessions/end-others", methods=["POST"])
@requires("account.sessions")
def end_other_sessions() -> ResponseReturnValue:
    """Sign out every other browser where this person is signed in."""
    record = current_record()
    user = current_user._get_current_object()
    count = services.end_sessions(
        user, "signed out elsewhere", keep=record.id if record is not None else None
    )
    db.session.commit()
    flash(f"Signed out of {count} other session{'' if count == 1 else 's'}.", "success")
    return redirect(url_for("auth.change_password"))


@bp.route("/account/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> ResponseReturnValue:
    """Choose a password from a single-use invite or reset link."""
    account_token = services.valid_token(token)
    if account_token is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    form.password_related = _related_words(account_token.user)
    if form.validate_on_submit():
        user = services.redeem_token(account_token, form.new_password.data or "")
        end_session()
        db.session.commit()
        throttle.clear(user.email)  # whoever was guessing, the owner has a new password now
        flash("Your password is set. Sign in with your email address and new password.", "success")
        return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/set_password.html", form=form, user=account_token.user)
