"""The foundation's background tasks: daily housekeeping run by the worker."""

from __future__ import annotations

import logging

from app.queue import crontab, periodic_task

log = logging.getLogger(__name__)


@periodic_task(crontab(minute="15", hour="3"))
def purge_saved_input() -> int:
    """Delete kept form input older than SAVED_INPUT_KEEP_DAYS (daily, 03:15 UTC)."""
    from app.saved_input import purge_expired

    removed = purge_expired()
    log.info("Deleted %d kept form input(s)", removed)
    return removed
