"""Move the data version on in every transaction that writes, before its first write.

A page cached at version n (app/page_cache.py) is served only while the version is still n, so
the version must move whenever anything a page can show changes, however it was written: ORM
flushes, bulk Core statements (the ratings import), the worker's writes. Watching the SQL that
reaches the database catches all of them. The counter is moved in the same transaction, so it
commits or rolls back with the change, and *before* the transaction's first write, so every
writing transaction takes the counter's row lock first: on PostgreSQL writers queue there in one
order and cannot deadlock over it. See docs/decisions.md, "Issue 14 — Cached pages".
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

BUMP = "UPDATE data_version SET n = n + 1 WHERE id = 1"
# Set on a connection's info to write without moving the version (migrations run before the
# table exists; a deploy that migrates restarts the processes and their caches anyway).
OFF = "streamlead_data_version_off"
_MOVED = "streamlead_data_version_moved"
_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
# Tables whose writes no cached page or document shows: the once-a-minute "last seen" of a
# session record, the PDFs the worker renders ahead of downloads (made *from* the data) and the
# worker's record of each task it runs (shown only in Administration, which is not cached)
# would otherwise empty every cache for nothing, and queue every task behind the counter's lock.
_UNSHOWN = tuple(
    f"{verb} {table} "
    for table in ("user_session", "rendered_document", "render_state", "task_run")
    for verb in ("INSERT INTO", "UPDATE", "DELETE FROM")
)
_INSTALLED: weakref.WeakSet[Any] = weakref.WeakSet()


def writes(statement: str) -> bool:
    """Does this SQL statement change data a page can show, or lock rows to change them?

    A locking read (SELECT ... FOR UPDATE, PostgreSQL) counts as a write: the counter's lock is
    then always the first lock a transaction takes, so no transaction can hold a row another
    one needs while it waits for the counter."""
    head = statement.lstrip()[:8].upper()
    if head.startswith(_WRITES):
        return not statement.startswith(_UNSHOWN)
    if head.startswith("SELECT"):
        return statement.endswith(" FOR UPDATE") or " FOR UPDATE " in statement
    # A common table expression can lead a write (WITH ... INSERT/UPDATE/DELETE).
    return head.startswith("WITH") and any(word in statement.upper() for word in _WRITES)


@contextmanager
def paused(conn: Connection) -> Iterator[Connection]:
    """Write on this connection without moving the version: only for a schema older than the
    version's table (migrations, and tests that write data as an old schema held it)."""
    conn.info[OFF] = True
    try:
        yield conn
    finally:
        conn.info.pop(OFF, None)


def install(engine: Engine) -> None:
    """Move the version on before the first write of each transaction on this engine."""
    if engine in _INSTALLED:
        return
    _INSTALLED.add(engine)

    @event.listens_for(engine, "before_cursor_execute")
    def _move_on(
        conn: Connection, cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        info = conn.info
        if info.get(_MOVED) or info.get(OFF) or not writes(statement):
            return
        info[_MOVED] = True
        cursor.execute(BUMP)

    @event.listens_for(engine, "begin")
    def _begun(conn: Connection) -> None:
        conn.info.pop(_MOVED, None)

    @event.listens_for(engine, "rollback_savepoint")
    def _savepoint_undone(conn: Connection, _name: Any, _context: Any) -> None:
        # The move may have been inside the savepoint: the next write moves it again.
        conn.info.pop(_MOVED, None)
