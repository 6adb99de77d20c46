"""The notifications area's commands: `flask notify due` (app/notifications/reminders.py)."""

from __future__ import annotations

from app.notifications.reminders import notify_cli

COMMANDS = [notify_cli]
