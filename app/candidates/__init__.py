"""The candidates area."""

from flask import Blueprint

bp = Blueprint("candidates", __name__)

# `steps` adds this area's next steps to the home page.
from app.candidates import routes, steps  # noqa: E402,F401
