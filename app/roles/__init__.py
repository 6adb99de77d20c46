"""The roles area."""

from flask import Blueprint

bp = Blueprint("roles", __name__)

from app.roles import draft_routes, question_routes, routes  # noqa: E402,F401
