"""Notifications and email: what people are told, in the app and by email (issue 17).

Call `notify` (a person with an account), `send_to_address` (someone without one) and
`mark_done` (the thing asked for is done) from services; kinds are listed in `kinds.py` and
email templates in templates/email/. Delivery is the worker's job (`tasks.py`).
"""

from flask import Blueprint

from app.notifications.kinds import KINDS
from app.notifications.services import mark_done, notify, send_to_address

bp = Blueprint("notifications", __name__)

__all__ = ["KINDS", "bp", "mark_done", "notify", "send_to_address"]
