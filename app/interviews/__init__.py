"""The interviews area."""

from flask import Blueprint

bp = Blueprint("interviews", __name__)

from app.interviews import routes  # noqa: E402,F401
