"""A bulk export survives the web process that started it being killed: the worker builds it.

Real processes on a shared SQLite database and queue file: gunicorn serves, `flask worker`
builds. The export is started over HTTP, gunicorn (master and worker) is killed with SIGKILL
right away, a new gunicorn is started, and the finished ZIP is downloaded from it.
"""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import create_engine, select

from app.models import ExportJob
from tests.fixtures.pdf import pdf_text
from tests.fixtures.processes import Web, app_env, free_port, running, stop, wait_until

SETUP_SECONDS = 120.0
START_SECONDS = 60.0
EXPORT_SECONDS = 120.0
PASSWORD = "streamlead-demo"


def _gunicorn(port: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "--workers", "1", "--timeout", "60",
        "-b", f"127.0.0.1:{port}", "app:create_app()",
    ]  # fmt: skip


def test_an_export_finishes_after_the_web_server_that_started_it_is_killed(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    env = app_env(database_url, f"sqlite:///{tmp_path / 'tasks.db'}", SECRET_KEY="export-test")
    log, web_log = tmp_path / "worker.log", tmp_path / "web.log"
    flask = [sys.executable, "-m", "flask"]
    for step in (["db", "upgrade"], ["demo", "--password", PASSWORD]):
        subprocess.run(
            [*flask, *step], env=env, check=True, timeout=SETUP_SECONDS, capture_output=True
        )
    engine = create_engine(database_url)

    def job_status(job_id: int) -> str:
        with engine.connect() as conn:
            return str(conn.scalar(select(ExportJob.status).where(ExportJob.id == job_id)))

    port = free_port()
    web = Web(f"http://127.0.0.1:{port}")
    worker_command = [*flask, "worker", "--workers", "2", "--no-periodic"]
    with running(worker_command, env, log):
        with running(_gunicorn(port), env, web_log) as first:
            wait_until(web.up, START_SECONDS, "the first gunicorn did not answer", web_log)
            web.sign_in("hr@example.org", PASSWORD)
            token, page = web.csrf("/reports")
            refs = [box["value"] for box in page.find_all("input", attrs={"name": "documents"})]
            assert len(refs) >= 3, refs
            status, headers, _ = web.request(
                "/reports", [("csrf_token", token)] + [("documents", ref) for ref in refs]
            )
            assert status == 302, status
            location = headers["Location"]
            job_id = int(re.fullmatch(r"/reports/exports/(\d+)", location).group(1))  # type: ignore[union-attr]
            stop(first, signal.SIGKILL)  # master and worker, with no chance to clean up
            assert job_status(job_id) in ("queued", "running")  # not done by the web process
        with running(_gunicorn(port), env, web_log):
            wait_until(web.up, START_SECONDS, "the second gunicorn did not answer", web_log)
            wait_until(
                lambda: "Your download is ready" in web.request(location)[2].decode(),
                EXPORT_SECONDS,
                "the export did not finish",
                log,
            )
            status, _headers, body = web.request(f"{location}/download")
    assert status == 200
    archive = zipfile.ZipFile(io.BytesIO(body))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == len(refs)
    texts = {name: pdf_text(archive.read(name)) for name in pdfs}
    for name, text in texts.items():
        kind = "Coaching plan" if name.startswith("coaching-plan") else "Readiness report"
        assert kind in text, name
    engine.dispose()
