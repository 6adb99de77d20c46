"""Routes of the roles area."""

from app.roles import bp  # noqa: F401
