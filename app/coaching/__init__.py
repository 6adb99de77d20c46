"""The coaching area."""

from flask import Blueprint

bp = Blueprint("coaching", __name__)

from app.coaching import routes  # noqa: E402,F401
