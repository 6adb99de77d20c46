"""Done when: with MAIL_SERVER set and `flask worker` running, creating a user without a
password delivers an invite email whose link, under BASE_URL, opens the set-password page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import create_engine, select

from app import create_app, queue
from app.extensions import db
from app.models import OutboxMessage
from config import BASE_DIR, TestConfig
from tests.fixtures.mail import SMTPServer
from tests.fixtures.processes import app_env, running, wait_until

START_SECONDS = 60.0
BASE_URL = "https://streamlead.example.org"


def test_the_worker_delivers_the_invite_of_a_user_created_without_a_password(
    app: Flask, smtp_server: SMTPServer, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    engine = create_engine(database_url)
    db.metadata.create_all(engine)
    env = app_env(
        database_url,
        f"sqlite:///{tmp_path / 'tasks.db'}",
        MAIL_SERVER=smtp_server.host,
        MAIL_PORT=str(smtp_server.port),
        MAIL_DEFAULT_SENDER="Example Organisation <streamlead@example.org>",
        BASE_URL=BASE_URL,
        PDF_PRERENDER="0",
    )

    def statuses() -> list[str]:
        with engine.connect() as conn:
            return list(conn.scalars(select(OutboxMessage.status)))

    log = tmp_path / "worker.log"
    worker = [sys.executable, "-m", "flask", "worker", "--workers", "1", "--no-periodic"]
    with running(worker, env, log):
        created = subprocess.run(
            [
                sys.executable,
                "-m",
                "flask",
                "users",
                "create",
                "--email",
                "nia@example.org",
                "--name",
                "Nia Jones",
                "--role",
                "interviewer",
            ],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        shown = created.stdout.strip().splitlines()[-1].removeprefix("Invite link (single use): ")
        wait_until(lambda: statuses() == ["sent"], START_SECONDS, "the invite was not sent", log)
    [email] = smtp_server.messages
    assert email["To"] == "nia@example.org"
    assert email["From"] == "Example Organisation <streamlead@example.org>"
    assert "set your password" in email["Subject"]
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert shown.startswith(f"{BASE_URL}/account/set-password/")
    assert shown in text and f'href="{shown}"' in html

    class FileConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    other = create_app(FileConfig)
    try:
        page = other.test_client().get(urlsplit(shown).path)
        assert page.status_code == 200
        assert b"Choose your password" in page.data
    finally:
        with other.app_context():
            db.engine.dispose()
        queue.configure(app)  # the session's app runs the queue again
        engine.dispose()
