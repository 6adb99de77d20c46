"""The selection area."""

from flask import Blueprint

bp = Blueprint("selection", __name__)

# `sections` adds this area's blocks to the candidates area's assessment page.
from app.selection import routes, sections  # noqa: E402,F401
