"""The selection area."""

from flask import Blueprint

bp = Blueprint("selection", __name__)

from app.selection import routes  # noqa: E402,F401
