"""One counter that every transaction writing data moves on: what cached pages are keyed by."""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class DataVersion(db.Model):  # type: ignore[name-defined,misc]
    """The organisation's data version: its one row (id 1) counts the transactions that wrote.

    app/data_version.py moves it on in the same transaction as the write, so a page cached at
    one version can never outlive the data it showed (app/page_cache.py)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


# The row must exist for the counter to move: created with the table (tests, `create_all`);
# the migration inserts it for databases that are upgraded.
event.listen(
    DataVersion.__table__,
    "after_create",
    DDL("INSERT INTO data_version (id, n) VALUES (1, 0)"),  # type: ignore[no-untyped-call]
)
