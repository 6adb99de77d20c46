"""Prebuilt statements for the busiest pages, and a way to run them for plain rows.

Building a SELECT and working out its cache key costs SQLAlchemy more than SQLite takes to run a
small query, and the ORM adds more per execution. The pages every user opens all day (home,
lists) therefore build their statements once, with bound parameters for what varies, and read
plain rows through the session's own connection (same transaction, no ORM objects).
Measured in docs/benchmarks.md ("Pages under load").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Executable

from app.extensions import db

P = ParamSpec("P")
T = TypeVar("T")


def prebuilt(build: Callable[P, T]) -> Callable[P, T]:
    """Build a statement once per set of arguments; the arguments must pick its shape only,
    never a value a user supplies (values go in bound parameters). Bounded all the same."""
    return lru_cache(maxsize=64)(build)  # type: ignore[return-value]


def rows(statement: Executable, **params: Any) -> list[Sequence[Any]]:
    """Every row of a SELECT of columns, as plain tuples, without the ORM's per-query work."""
    db.session.flush()  # what the ORM's autoflush would do before reading
    return list(db.session.connection().execute(statement, params))


def one(statement: Executable, **params: Any) -> Sequence[Any]:
    """The only row of a SELECT of columns (e.g. a row of counts)."""
    found = rows(statement, **params)
    if len(found) != 1:
        raise LookupError(f"expected one row, got {len(found)}")
    return found[0]
