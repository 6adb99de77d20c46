"""Routes of the interviews area."""

from app.interviews import bp  # noqa: F401
