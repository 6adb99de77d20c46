"""Pooled connections are pinged only after sitting unused; a dead one is replaced, not used."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app import pool_ping
from app.extensions import db


def _closed(connection: Any) -> bool:
    try:
        connection.cursor().execute("SELECT 1")
    except Exception:
        return True
    connection.rollback()  # leave a live connection as the pool keeps it
    return False


def test_a_connection_in_steady_use_is_not_pinged(
    app: Flask, browser_as, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = browser_as("hr")
    with app.app_context():
        dialect = db.engine.dialect

    def no_ping(_connection: Any) -> bool:
        raise AssertionError("pinged a connection used moments ago")

    monkeypatch.setattr(dialect, "do_ping", no_ping)
    for _ in range(3):
        assert browser.client.get("/").status_code == 200


def test_a_connection_unused_for_a_while_is_pinged_and_replaced_when_dead(
    app: Flask, browser_as, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = browser_as("hr")
    assert browser.client.get("/").status_code == 200
    with app.app_context():
        dialect = db.engine.dialect
    pinged: list[Any] = []

    def dead(connection: Any) -> bool:
        pinged.append(connection)
        return False

    monkeypatch.setattr(dialect, "do_ping", dead)
    monkeypatch.setattr(pool_ping, "PING_AFTER_IDLE", 0.0)
    # The page is served on a fresh connection (a new one is not pinged again).
    assert browser.client.get("/").status_code == 200
    assert len(pinged) == 1 and _closed(pinged[0])

    def alive(connection: Any) -> bool:
        pinged.append(connection)
        return True

    monkeypatch.setattr(dialect, "do_ping", alive)
    # The pool hands out its connections in turn; each is pinged once it has been used.
    for _ in range(8):
        assert browser.client.get("/").status_code == 200
    assert len(pinged) >= 2 and not any(_closed(connection) for connection in pinged[1:])
