"""Routes of the induction area."""

from app.induction import bp  # noqa: F401
