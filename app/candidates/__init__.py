"""The candidates area."""

from flask import Blueprint

bp = Blueprint("candidates", __name__)

from app.candidates import routes  # noqa: E402,F401
