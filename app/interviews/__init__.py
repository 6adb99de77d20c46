"""The interviews area."""

from flask import Blueprint

bp = Blueprint("interviews", __name__)

# `sections` adds this area's blocks to the candidates area's assessment page.
from app.interviews import (  # noqa: E402,F401
    check_routes,
    focus_routes,
    guide_routes,
    routes,
    schedule_routes,
    sections,
)
