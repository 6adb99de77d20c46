"""What the candidates area refuses, with a message for the person who asked."""

from __future__ import annotations


class CandidateError(ValueError):
    """A request that cannot be carried out, with a message for the person who asked."""


class StaleRecord(Exception):
    """Someone else saved the record after this form was opened: nothing was overwritten."""
