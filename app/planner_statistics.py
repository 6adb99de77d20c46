"""Fresh PostgreSQL planner statistics after a bulk load, instead of a minute or more later.

PostgreSQL plans each query from statistics ANALYZE gathers; autovacuum runs it once a table has
changed by a good share, but only on its next round (a minute apart at the defaults, later on a
busy server). Until then, tables a bulk load has just filled look nearly empty to the planner:
it expects a handful of rows where there are a thousand, joins them with nested loops that
compare every row with every other, and plans that look expensive enough are JIT-compiled
first. On the load benchmark's data that made the CPO home and the candidates list 3-4 times
slower (docs/decisions.md, "Issue 14 — Built pages on PostgreSQL"). So the bulk loads (`flask
ratings import`, `flask backup restore`) analyze the tables they wrote as soon as they have
committed, as PostgreSQL's manual advises after loading data.

SQLite keeps no statistics unless asked to (ANALYZE), and the app never asks: its plans do not
change after a load, so there is nothing to refresh. A database role that does not own a table
gets a warning from PostgreSQL and the table is skipped, which costs nothing but the freshness.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.extensions import db


def refresh(tables: Iterable[str]) -> None:
    """On PostgreSQL, ANALYZE these tables (by name) and commit; call it once the load has
    committed, so a failure here cannot undo the load."""
    dialect = db.session.get_bind().dialect
    names = sorted({dialect.identifier_preparer.quote(name) for name in tables})
    if dialect.name != "postgresql" or not names:
        return
    db.session.connection().exec_driver_sql(f"ANALYZE {', '.join(names)}")
    db.session.commit()
