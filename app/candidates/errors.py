"""What the candidates area refuses, with a message for the person who asked."""

from __future__ import annotations

from app.transactions import DomainError, StaleEdit


class CandidateError(DomainError):
    """A request that cannot be carried out, with a message for the person who asked."""


class StaleRecord(StaleEdit):
    """Someone else saved the record after this form was opened: nothing was overwritten."""
