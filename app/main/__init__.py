"""Home pages and what each person has to do next."""

from flask import Blueprint

bp = Blueprint("main", __name__)

# `services` adds the admin's steps to the home page.
from app.main import icons, routes, services  # noqa: E402,F401
