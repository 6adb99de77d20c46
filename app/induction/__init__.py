"""The induction area."""

from flask import Blueprint

bp = Blueprint("induction", __name__)

from app.induction import routes  # noqa: E402,F401
