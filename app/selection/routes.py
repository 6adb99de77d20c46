"""Routes of the selection area."""

from app.selection import bp  # noqa: F401
