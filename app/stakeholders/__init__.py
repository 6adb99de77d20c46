"""The stakeholders area: the CPO invites people who work with the exec; they answer by link."""

from flask import Blueprint

bp = Blueprint("stakeholders", __name__)

# `sections` adds this area's block to the candidates area's assessment page.
from app.stakeholders import answer_routes, reminders, routes, sections  # noqa: E402,F401
