"""The induction area."""

from flask import Blueprint

bp = Blueprint("induction", __name__)

# `steps` adds this area's next steps to the home page.
from app.induction import routes, steps  # noqa: E402,F401
