"""Routes of the reports area."""

from app.reports import bp  # noqa: F401
