"""Move the data version on in every transaction that writes, as it commits.

A page cached at version n (app/page_cache.py) is served only while the version is still n, so
the version must move whenever anything a page can show changes, however it was written: ORM
flushes, bulk Core statements (the ratings import), the worker's writes. Watching the SQL that
reaches the database catches all of them: a write is noted on its connection, and the counter is
moved in the same transaction right before it commits, so it commits (or rolls back) with the
change. Moved last, the counter's row lock is held only while a transaction commits, by one
that waits for nothing else then: no writer waits on it for long, and none can deadlock over it
on PostgreSQL. See docs/decisions.md, "Issue 14 — Cached pages".

Not covered, and not used by the app: AUTOCOMMIT connections (no commit to move it in) and
two-phase transactions.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

BUMP = "UPDATE data_version SET n = n + 1 WHERE id = 1"
_WROTE = "streamlead_data_version_wrote"
_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
# A common table expression leading a write: "WITH x AS (...) UPDATE ...".
_CTE_WRITE = re.compile(r"\)\s*(INSERT|UPDATE|DELETE)\s", re.IGNORECASE)
# Tables whose writes no cached page or document shows: the once-a-minute "last seen" of a
# session record, the PDFs the worker renders ahead of downloads (made *from* the data), the
# worker's record of each task it runs and the audit trail (both shown only in Administration,
# which is not cached; a failed sign-in writes only to the audit trail) would otherwise empty
# every cache for nothing.
_UNSHOWN = tuple(
    f"{verb} {table} "
    for table in ("user_session", "rendered_document", "render_state", "task_run", "audit_event")
    for verb in ("INSERT INTO", "UPDATE", "DELETE FROM")
)
_INSTALLED: weakref.WeakSet[Any] = weakref.WeakSet()
_PAUSED: weakref.WeakSet[Connection] = weakref.WeakSet()


def writes(statement: str) -> bool:
    """Does this SQL statement change data a page can show?"""
    head = statement.lstrip()[:8].upper()
    if head.startswith(_WRITES):
        return not statement.lstrip().startswith(_UNSHOWN)
    return head.startswith("WITH") and _CTE_WRITE.search(statement) is not None


@contextmanager
def paused(conn: Connection) -> Iterator[Connection]:
    """Commit writes on this connection inside the block without moving the version: only for a
    schema older than the version's table (migrations; tests writing as an old schema did)."""
    _PAUSED.add(conn)
    try:
        yield conn
    finally:
        _PAUSED.discard(conn)


def install(engine: Engine) -> None:
    """Move the version on as each transaction that wrote on this engine commits."""
    if engine in _INSTALLED:
        return
    _INSTALLED.add(engine)

    @event.listens_for(engine, "before_cursor_execute")
    def _note(
        conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        if not conn.info.get(_WROTE) and writes(statement):
            conn.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    def _move_on(conn: Connection) -> None:
        # Runs right before the database commits, inside the transaction; on the raw cursor,
        # so the statement is not itself watched. A failure here fails the commit: the change
        # and the version move together or not at all.
        if conn.info.pop(_WROTE, False) and conn not in _PAUSED:
            cursor = conn.connection.cursor()
            try:
                cursor.execute(BUMP)
            finally:
                cursor.close()

    @event.listens_for(engine, "begin")
    @event.listens_for(engine, "rollback")
    def _forget(conn: Connection) -> None:
        conn.info.pop(_WROTE, None)
