"""Ping a pooled database connection before use only when it has sat unused for a while.

SQLAlchemy's `pool_pre_ping` pings on every checkout: one more round trip to the database for
every request, a quarter of what a signed-in page costs on PostgreSQL beyond the page itself
(docs/benchmarks.md). A connection that served a request moments ago is as good as a ping
shows; the one that can have gone stale is one that sat in the pool while the database
restarted or a firewall dropped it. So: ping after PING_AFTER_IDLE seconds unused, and a
failed ping replaces that connection and every older one, as `pool_pre_ping` does.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

PING_AFTER_IDLE = 10.0
_IDLE_SINCE = "streamlead_idle_since"
_INSTALLED: weakref.WeakSet[Any] = weakref.WeakSet()


def install(engine: Engine) -> None:
    """Ping this engine's connections on checkout after PING_AFTER_IDLE seconds unused."""
    if engine.pool in _INSTALLED:
        return
    _INSTALLED.add(engine.pool)
    dialect = engine.dialect

    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE:
            return  # just connected, or in use moments ago
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            raise exc.InvalidatePoolError("stale connection found by ping")

    event.listen(engine.pool, "checkout", _ping_if_idle)
    event.listen(engine.pool, "checkin", _note_idle_since)


def _note_idle_since(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_IDLE_SINCE] = time.monotonic()
