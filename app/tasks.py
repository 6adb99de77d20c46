"""The foundation's background tasks: daily housekeeping run by the worker's scheduler.

Each deletes what has outlived its keeping period, so running one twice does no harm.
"""

from __future__ import annotations

import logging

from app.queue import crontab, periodic_task

log = logging.getLogger(__name__)


@periodic_task(crontab(minute="15", hour="3"), description="Delete old kept form input")
def purge_saved_input() -> int:
    """Delete kept form input older than SAVED_INPUT_KEEP_DAYS (daily, 03:15 UTC)."""
    from app.saved_input import purge_expired

    removed = purge_expired()
    log.info("Deleted %d kept form input(s)", removed)
    return removed


@periodic_task(crontab(minute="20", hour="3"), description="Delete old session records")
def purge_ended_sessions() -> int:
    """Delete session records that ended over SESSION_RECORD_KEEP_DAYS ago (daily, 03:20 UTC)."""
    from app.auth.records import purge_ended

    removed = purge_ended()
    log.info("Deleted %d ended session record(s)", removed)
    return removed


@periodic_task(crontab(minute="25", hour="3"), description="Delete old task records")
def purge_task_records() -> int:
    """Delete background task records older than TASK_RECORD_KEEP_DAYS (daily, 03:25 UTC)."""
    from app.task_runs import purge_old

    removed = purge_old()
    log.info("Deleted %d background task record(s)", removed)
    return removed
