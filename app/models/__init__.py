"""Database models, one module per area; import them from here."""

from app.models.audit import AuditEvent
from app.models.users import ROLE_LABELS, ROLES, AccountToken, User

__all__ = ["ROLES", "ROLE_LABELS", "AccountToken", "AuditEvent", "User"]
