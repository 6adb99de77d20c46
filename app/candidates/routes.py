"""Routes of the candidates area."""

from app.candidates import bp  # noqa: F401
