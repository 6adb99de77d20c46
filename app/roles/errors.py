"""Why a change to a role cannot be made, with a message for the person who asked."""

from __future__ import annotations

from app.models import RoleVersion
from app.transactions import DomainError, StaleEdit


class RoleEditError(DomainError):
    """A change to a role that cannot be made, with a message for the person who asked."""


class NotADraft(RoleEditError):
    """Published and retired versions never change."""


class StaleDraft(RoleEditError, StaleEdit):
    """The draft was saved by someone else since the form was loaded."""


class DraftExists(RoleEditError):
    """A role has at most one draft at a time."""

    def __init__(self, draft: RoleVersion) -> None:
        self.draft = draft
        super().__init__(
            f"{draft.definition.key} already has a draft (v{draft.number}): "
            "publish or discard it first"
        )
