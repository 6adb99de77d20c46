"""Whole-database backup to one JSON document, and restore into an empty database."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeDecorator

from app import score_snapshots
from app.extensions import db
from app.transactions import DomainError

FORMAT = "streamlead-backup"
FORMAT_VERSION = 1
# Derived or transient data: rebuilt on demand, so not worth carrying in a backup. Restored
# session records would only be sessions nobody can use (user_session); unsent form input
# (saved_input) is short-lived and personal: never backed up, ignored on restore.
# Score snapshots are worked out from the restored evidence instead (app/score_snapshots.py).
# The data version is the target database's own counter (app/data_version.py): the restore's
# writes move it on, which is what keeps its cached pages honest.
SKIPPED_TABLES = frozenset(
    {
        "data_version",
        "rendered_document",
        "export_job",
        "export_item",
        "task_run",
        "user_session",
        "saved_input",
        "score_snapshot",
    }
)


class BackupError(DomainError):
    """A backup file that cannot be restored here, with the reason."""


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for name, value in row.items():
        if name not in table.c:
            raise BackupError(f"{table.name}.{name}: no such column in this version of Streamlead")
        column_type = table.c[name].type
        if isinstance(column_type, TypeDecorator):
            column_type = column_type.impl_instance
        if value is None:
            decoded[name] = None
        elif isinstance(column_type, DateTime):
            decoded[name] = datetime.fromisoformat(value)
        elif isinstance(column_type, Date):
            decoded[name] = date.fromisoformat(value)
        elif isinstance(column_type, LargeBinary):
            decoded[name] = base64.b64decode(value)
        else:
            decoded[name] = value
    return decoded


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision of the database, or None when it was not built by migrations."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def export_all() -> dict[str, Any]:
    """Every row of every table, in an order that restores without breaking constraints."""
    conn = db.session.connection()
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        order = list(table.primary_key.columns)
        rows = conn.execute(select(table).order_by(*order)).mappings()
        tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(conn),
        "tables": tables,
    }


def restore_all(document: Any) -> dict[str, int]:
    """Load a backup into an empty database of the same schema; returns rows per table."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("This is not a Streamlead backup file")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Backup format {document.get('format_version')} is not supported")
    conn = db.session.connection()
    revision = schema_revision(conn)
    if document.get("schema_revision") != revision:
        raise BackupError(
            f"The backup is of schema {document.get('schema_revision')}, this database is at "
            f"{revision}: run `flask db upgrade` to the same revision first"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise BackupError("The backup has no tables")
    known = {t.name: t for t in _tables()}
    unknown = sorted(set(tables) - set(known) - SKIPPED_TABLES)
    if unknown:
        raise BackupError(f"Unknown tables in the backup: {', '.join(unknown)}")
    for table in known.values():
        if conn.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"The database is not empty (table {table.name} has rows)")
    _begin_for_savepoints(conn)
    counts: dict[str, int] = {}
    for name, table in known.items():
        rows = [_decode(table, row) for row in tables.get(name, [])]
        if rows:
            _insert(conn, table, rows)
        counts[name] = len(rows)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, list(known.values()))
    # Rows inserted here bypass the session's hooks: score every restored assessment now.
    score_snapshots.rebuild()
    return counts


# SQLSTATE (PostgreSQL) or message start (SQLite) -> what was wrong, in plain words.
_PLAIN_WORDS = (
    ("23505", "UNIQUE", "a value that must be unique is repeated"),
    ("23503", "FOREIGN KEY", "it refers to a record that is not in the backup"),
    ("23514", "CHECK", "a value is not allowed"),
    ("23502", "NOT NULL", "a required value is missing"),
)


def _begin_for_savepoints(conn: Connection) -> None:
    """Open SQLite's transaction now: pysqlite starts none for SAVEPOINT, so releasing the first
    savepoint would commit; inside a real transaction, the whole restore rolls back together."""
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        conn.exec_driver_sql("BEGIN")


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert a table's rows; on a broken constraint, name the first bad row in one line."""
    try:
        with conn.begin_nested():
            conn.execute(table.insert(), rows)
        return
    except IntegrityError as exc:
        failure = exc
    # Only on failure: row by row, each in a savepoint, to find the first that breaks a rule.
    for index, row in enumerate(rows, start=1):
        try:
            with conn.begin_nested():
                conn.execute(table.insert(), [row])
        except IntegrityError as exc:
            raise BackupError(_explain(table, index, row, exc)) from exc
    raise BackupError(_explain(table, None, None, failure)) from failure


def _explain(
    table: Table, index: int | None, row: dict[str, Any] | None, exc: IntegrityError
) -> str:
    """One line an operator can act on; no values from the row (they may be personal data)."""
    orig = exc.orig
    code = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    message = str(orig).splitlines()[0] if orig is not None else str(exc)
    reason, rule = "it breaks a rule of the database", ""
    for sqlstate, prefix, words in _PLAIN_WORDS:
        if code == sqlstate or message.upper().startswith(prefix):
            reason = words
            break
    if diag is not None:
        rule = getattr(diag, "constraint_name", None) or getattr(diag, "column_name", None) or ""
    elif ": " in message:
        rule = message.split(": ", 1)[1]
    where = f"table {table.name}"
    if index is not None:
        ident = f" (id {row['id']})" if row and "id" in row else ""
        where += f", row {index}{ident}"
    detail = f" [{rule}]" if rule else ""
    return f"The backup cannot be restored: {where}: {reason}{detail}. Nothing was restored."


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Move PostgreSQL id sequences past the restored rows."""
    for table in tables:
        # Only an integer id has a sequence (stakeholder answers have random text ids).
        serial = table.autoincrement_column
        if serial is None or serial.name != "id":
            continue
        highest = select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery()
        sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
        conn.execute(select(func.setval(sequence, highest + 1, False)))
