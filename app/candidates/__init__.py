"""The candidates area."""

from flask import Blueprint

bp = Blueprint("candidates", __name__)

# The routes by concern; `steps` adds this area's next steps to the home page.
from app.candidates import (  # noqa: E402,F401
    due_routes,
    routes,
    self_assessment_routes,
    steps,
    stream_routes,
)
