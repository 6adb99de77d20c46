"""Real Chromium (Debian's package) driven by Playwright against a live server on loopback."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.demo import load_demo
from app.extensions import db
from config import TestConfig
from tests.browser.live import LiveServer
from tests.fixtures.app import drop_postgres_database, fresh_postgres_database
from tests.fixtures.builders import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium as root in a sandbox-less container, with nothing reaching out to the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser tests, and skip them with a reason where no Chromium can be had."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(
                    pytest.mark.skip(
                        reason="Debian's chromium is not installed (make test installs it as root)"
                    )
                )


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Launch Debian's Chromium instead of a downloaded browser."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


class Buffered:
    """The app with each response read whole before it is sent: a static file (the favicon a
    browser abandons when the test moves on) is then closed even if the client has gone.

    It also counts the requests being answered, so the server is stopped only once none is: a
    request thread still running when the engine is disposed and its database dropped would
    leave its connection open for the garbage collector to find in some later test."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.busy = 0
        self.idle = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.idle:
            self.busy += 1
        try:
            body = self.app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            with self.idle:
                self.busy -= 1
                self.idle.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait for the requests being answered to finish (whether they did in time)."""
        with self.idle:
            return self.idle.wait_for(lambda: self.busy == 0, timeout=timeout)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh database with the demo data, served on a free loopback port, CSRF on."""
    base = os.environ.get("TEST_DATABASE_URL")
    name = f"streamlead_browser_{os.getpid()}"
    url = fresh_postgres_database(base, name) if base else f"sqlite:///{tmp_path / 'live.sqlite'}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = True

    application = create_app(Config)
    with application.app_context():
        db.create_all()
    with application.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    wsgi = Buffered(application)
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", application)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        assert wsgi.wait_until_idle(timeout=30), "a request was still being answered after 30 s"
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        if base:
            drop_postgres_database(base, name)
