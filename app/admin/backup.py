"""Whole-database backup to one JSON document, and restore into an empty database."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from app.extensions import db

FORMAT = "streamlead-backup"
FORMAT_VERSION = 1
# Derived or transient data: rebuilt on demand, so not worth carrying in a backup. Unsent
# form input (saved_input) is short-lived and personal: never backed up, ignored on restore.
SKIPPED_TABLES = frozenset({"rendered_document", "export_job", "saved_input"})


class BackupError(ValueError):
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
    counts: dict[str, int] = {}
    for name, table in known.items():
        rows = [_decode(table, row) for row in tables.get(name, [])]
        if rows:
            conn.execute(table.insert(), rows)
        counts[name] = len(rows)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, list(known.values()))
    return counts


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Move PostgreSQL id sequences past the restored rows."""
    for table in tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        highest = select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery()
        sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
        conn.execute(select(func.setval(sequence, highest + 1, False)))
