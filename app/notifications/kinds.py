"""Every kind of notification and email, with its label on the preferences page.

The one list: `notify` and `send_to_address` refuse a kind that is not here, so a new kind is
added here first (and, when people may choose how they get it, to `RECEIVED_BY`).
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "account.invite": "Invitation to set your password",
    "account.reset": "Password reset link",
    "self.nominated": "You have been nominated: complete your self-assessment",
    "self.reminder": "Reminder: your self-assessment is due",
    "interview.assigned": "You are on an interview panel",
    "interview.reminder": "Reminder: your interview is due",
    "review.due": "A checkpoint review is due in 7 days",
    "induction.overdue": "Induction items you own are overdue",
    "self.submitted": "A self-assessment has been submitted",
    "panel.complete": "All interviews are submitted: ready for calibration",
    "decision.made": "The decision on your assessment",
    "plan.issued": "A coaching plan has been issued",
    "review.failfast": "Fail-fast warning at a checkpoint review",
    "stakeholder.invite": "Invitation to give stakeholder feedback",
    "stakeholder.reminder": "Reminder: stakeholder feedback is due",
}

# Sent whatever the preferences say: a person asked for (or needs) the link to sign in, and
# the people who receive them may have no account to set preferences with.
ALWAYS_EMAILED: frozenset[str] = frozenset(
    {"account.invite", "account.reset", "stakeholder.invite", "stakeholder.reminder"}
)

# role -> the kinds that role can receive, shown on its preferences page.
RECEIVED_BY: dict[str, tuple[str, ...]] = {
    "admin": (),
    "cpo": (
        "interview.assigned",
        "interview.reminder",
        "review.due",
        "induction.overdue",
        "self.submitted",
        "panel.complete",
        "review.failfast",
    ),
    "interviewer": ("interview.assigned", "interview.reminder"),
    "exec": (
        "self.nominated",
        "self.reminder",
        "review.due",
        "induction.overdue",
        "decision.made",
        "plan.issued",
    ),
    "hr": ("induction.overdue", "plan.issued", "review.failfast"),
}


# Messages Streamlead makes itself, not through `notify`: named in the outbox only.
OTHER_LABELS: dict[str, str] = {"digest": "Daily digest"}


def label(kind: str) -> str:
    """The kind as people read it."""
    return KINDS.get(kind) or OTHER_LABELS.get(kind, kind)


def choosable_kinds(role: str) -> list[tuple[str, str]]:
    """(kind, label) a person in this role may set email preferences for."""
    return [(kind, KINDS[kind]) for kind in RECEIVED_BY.get(role, ()) if kind in KINDS]
