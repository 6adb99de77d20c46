"""Routes of the coaching area."""

from app.coaching import bp  # noqa: F401
