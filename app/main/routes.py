"""The home page: what this person has to do next."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.main import bp
from app.policy import requires
from app.steps import next_steps


@bp.route("/")
@requires("home.view")
def home() -> ResponseReturnValue:
    """Each role's home page, listing what to do next."""
    return render_template("main/home.html", steps=next_steps(current_user), role=current_user.role)
