"""The home page: where this person stands and what they have to do next."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.main import bp
from app.main.journey import STATE_LABELS, journeys
from app.page_cache import cached_page
from app.policy import requires
from app.steps import home_cards, next_steps


@bp.route("/")
@requires("home.view")
@cached_page
def home() -> ResponseReturnValue:
    """Each role's home page: the exec's journey, and the actions this person may take."""
    user = current_user._get_current_object()
    return render_template(
        "main/home.html",
        cards=home_cards(next_steps(user)),
        journeys=journeys(user),
        state_labels=STATE_LABELS,
        role=user.role,
    )
