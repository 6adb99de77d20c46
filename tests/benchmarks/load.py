"""Load benchmark: wrk drives gunicorn on 127.0.0.1 through every page a CPO, HR and an
interviewer use, with 1,000 fully interviewed candidates; then documents after a change.

    python -m tests.benchmarks.load [--out docs/benchmarks.md] [--seconds 10] [--pages a,b]

SQLite by default (a temporary file); PostgreSQL with DATABASE_URL naming a database whose
name contains 'bench' (it is emptied first). How it measures, and every option: the section
"Pages under load (wrk)" of docs/benchmarks.md. Every loop is bounded in count and time, and
only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huey.storage import SqliteStorage
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from app.data_version import BUMP
from tests.benchmarks import load_documents
from tests.benchmarks.load_report import PageRow, Run, report, write_section
from tests.benchmarks.pdf import machine_description
from tests.benchmarks.web import Client
from tests.benchmarks.wrk import (
    LUA_PLAIN,
    LUA_STATUS,
    Load,
    WrkMissing,
    bare_floor_message,
    ensure_wrk,
    run_wrk,
)

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "streamlead-demo"
USERS = {
    "cpo": "cpo@example.org",
    "hr": "hr@example.org",
    "interviewer": "interviewer1@example.org",
}
# (name, who, path): every page a CPO, HR and an interviewer use; {ids} come from the seed.
PAGES: list[tuple[str, str, str]] = [
    ("cpo-home", "cpo", "/"),
    ("cpo-candidates", "cpo", "/candidates"),
    ("cpo-streams", "cpo", "/streams"),
    ("cpo-stream", "cpo", "/streams/{big_stream_id}"),
    ("cpo-shortlist", "cpo", "/value-streams/{big_stream_id}/shortlist"),
    ("cpo-results", "cpo", "/assessments/{results_assessment_id}/results"),
    ("cpo-calibration", "cpo", "/assessments/{results_assessment_id}/calibration"),
    ("cpo-progress", "cpo", "/progress"),
    ("cpo-roles", "cpo", "/roles"),
    ("cpo-reports", "cpo", "/reports"),
    ("interviewer-home", "interviewer", "/"),
    ("interviewer-interviews", "interviewer", "/interviews"),
    ("interviewer-kit", "interviewer", "/interviews/{kit_interview_id}"),
    ("hr-home", "hr", "/"),
    ("hr-progress", "hr", "/progress"),
    ("hr-reports", "hr", "/reports"),
]
ALONE_WARMUP, ALONE_REQUESTS, ALONE_LIMIT = 2, 5, 20.0  # requests, requests, seconds
SETTLE_LIMIT = 90.0  # seconds to wait for the server to drain a slow page's backlog
BARE = "/bench/bare"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_name(url: str) -> str:
    """'SQLite' or 'PostgreSQL', from a database URL."""
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(scheme, scheme)


def run_step(env: dict[str, str], args: list[str], what: str, timeout: float = 600) -> float:
    """Run one set-up command; seconds it took. Stops the benchmark with its output on failure."""
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.monotonic() - began
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    print(f"  {what}: {seconds:.1f} s", flush=True)
    return seconds


def seed(env: dict[str, str], args: argparse.Namespace, state_file: Path) -> dict[str, Any]:
    """The data set: demo organisation, role, streams, candidates, their ratings, drafts."""
    print("Building the data set ...", flush=True)
    seed_args = [
        f"--candidates={args.candidates}",
        f"--shortlist={args.shortlist}",
        f"--competencies={args.competencies}",
    ]
    step = ["tests.benchmarks.load_seed"]
    if database_name(env["DATABASE_URL"]) != "SQLite":
        run_step(env, [*step, "reset", str(state_file)], "emptying the benchmark database")
    run_step(env, ["flask", "db", "upgrade"], "flask db upgrade")
    run_step(env, ["flask", "demo", "--password", PASSWORD], "flask demo")
    run_step(env, [*step, "prepare", str(state_file), *seed_args], "role, stream, candidates")
    state: dict[str, Any] = json.loads(state_file.read_text())
    state["import_seconds"] = run_step(
        env,
        ["flask", "ratings", "import", state["ratings_file"], "--role", state["role_key"]],
        f"flask ratings import ({state['ratings']:,} ratings)",
    )
    state_file.write_text(json.dumps(state))
    run_step(env, [*step, "finish", str(state_file)], "draft interviews")
    state = dict(json.loads(state_file.read_text()))
    if database_name(env["DATABASE_URL"]) != "SQLite":
        state["settle_seconds"] = run_step(
            env, [*step, "settle", str(state_file)], "VACUUM (ANALYZE), as autovacuum would"
        )
    return state


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A long-running process of ours, its output in a log file."""
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop one process we started: SIGTERM, then SIGKILL after 30 s."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for_server(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    """Until gunicorn answers the bare page (60 s at most)."""
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if Client(port, timeout=5).get(BARE).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not answer within 60 s")


def settle(port: int) -> None:
    """Wait until the bare page answers quickly twice: a slow page's backlog has drained."""
    client, quick, began = Client(port, timeout=SETTLE_LIMIT), 0, time.monotonic()
    while quick < 2 and time.monotonic() - began < SETTLE_LIMIT:
        try:
            quick = quick + 1 if client.get(BARE).seconds < 0.05 else 0
        except OSError:
            time.sleep(0.5)


def alone(client: Client, row: PageRow) -> bool:
    """One request at a time: the median after warm-up; False if the page does not answer 200."""
    began, times = time.monotonic(), []
    for n in range(ALONE_WARMUP + ALONE_REQUESTS):
        reply = client.get(row.path)
        if reply.status != 200:
            row.alone_note = f"HTTP {reply.status}" + (
                f" to {reply.location}" if reply.location else ""
            )
            return False
        if n >= ALONE_WARMUP:
            times.append(reply.seconds * 1000)
        if time.monotonic() - began > ALONE_LIMIT and times:
            break
    row.alone_ms = statistics.median(times) if times else None
    if len(times) < ALONE_REQUESTS:
        row.alone_note = f"{len(times)} timed"
    return True


def built(client: Client, row: PageRow, move_version: Callable[[], None]) -> None:
    """One request at a time, each right after a write elsewhere (the data version moved, as
    any save moves it), so the page is built rather than served from the page cache."""
    times = []
    # Warm-up as for *alone*: a page served from the cache so far has never run its view in
    # either worker (templates compiled, statements cached) until now.
    for n in range(2 * ALONE_WARMUP + ALONE_REQUESTS):
        move_version()
        reply = client.get(row.path)
        if reply.status != 200:
            return
        if n >= 2 * ALONE_WARMUP:
            times.append(reply.seconds * 1000)
    row.built_ms = statistics.median(times)


def version_mover(database_url: str) -> Callable[[], None]:
    """Move the data version on in the benchmark's database, in a transaction of its own."""
    engine = create_engine(database_url, poolclass=NullPool)

    def move() -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql(BUMP)

    return move


def measure_pages(
    port: int,
    clients: dict[str, Client],
    rows: list[PageRow],
    load: Load,
    args: argparse.Namespace,
    run: Run,
    scripts: tuple[Path, Path],
    database_url: str,
) -> None:
    """Bare signed-in once, then each page: alone (and built), bare, page under wrk."""
    base = f"http://127.0.0.1:{port}"
    move_version = version_mover(database_url)
    status, plain = scripts
    run.bare_signed_in = run_wrk(base + BARE, load, args.bare_seconds, plain, clients["cpo"].cookie)
    for number, row in enumerate(rows, start=1):
        settle(port)
        client = clients[row.who]
        ok = alone(client, row)
        if ok:
            built(client, row, move_version)
        row.bare = run_wrk(base + BARE, load, args.bare_seconds, plain)
        if ok:
            row.page = run_wrk(base + row.path, load, args.seconds, status, client.cookie)
        shown = (
            f"{row.page.rps:,.1f} req/s, {row.share:.1%} of bare"
            if row.page and row.share
            else "not run"
        )
        print(
            f"  [{number}/{len(rows)}] {row.name} {row.path}: alone {row.alone_ms or 0:.1f} ms,"
            f" built {row.built_ms or 0:.1f} ms,"
            f" {shown} (bare {row.bare.rps:,.0f}) {row.alone_note}",
            flush=True,
        )
        run.rows.append(row)


def drain_queue(queue: SqliteStorage, limit: float) -> str:
    """Give the worker `limit` seconds to empty the queue left by seeding; drop the rest."""
    before, began = queue.queue_size(), time.monotonic()
    while queue.queue_size() and time.monotonic() - began < limit:
        time.sleep(1)
    left = queue.queue_size()
    if left:
        queue.flush_queue()
    took = time.monotonic() - began
    return (
        f"Tasks queued while seeding: {before:,}; the worker took {took:.0f} s"
        + (
            f" and {left:,} were dropped unrun after --drain-seconds {limit:g}"
            if left
            else " to empty it"
        )
        + "."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--bare-seconds", type=int, default=3, help="bare run before each page")
    parser.add_argument("--timeout", type=int, default=0, help="wrk --timeout (default: --seconds)")
    parser.add_argument("--pages", default="", help="comma-separated page names, or 'none'")
    parser.add_argument("--list-pages", action="store_true")
    parser.add_argument("--no-documents", action="store_true")
    parser.add_argument(
        "--doc-wait", type=float, default=2.0, help="seconds from change to download"
    )
    parser.add_argument("--drain-seconds", type=float, default=60.0)
    parser.add_argument("--export-size", type=int, default=50)
    parser.add_argument("--export-timeout", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--shortlist", type=int, default=250)
    parser.add_argument("--competencies", type=int, default=7)
    parser.add_argument("--out", help="replace this database's figures in this file")
    parser.add_argument("--keep", action="store_true", help="keep the data, logs and database")
    args = parser.parse_args()
    if args.list_pages:
        for name, who, path in PAGES:
            print(f"{name:24} {who:12} {path}")
        return 0
    wanted = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(wanted) - {name for name, _, _ in PAGES} - {"none"}
    if unknown:
        parser.error(f"unknown page(s) {', '.join(sorted(unknown))}: see --list-pages")
    if args.shortlist > args.candidates or args.seconds < 1 or args.bare_seconds < 1:
        parser.error("--shortlist must not exceed --candidates; durations are whole seconds >= 1")
    url = os.environ.get("DATABASE_URL", "")
    # The database is emptied first: refuse any whose name does not say it is for benchmarks.
    if url and "bench" not in url.rsplit("/", 1)[-1].split("?", 1)[0]:
        parser.error("DATABASE_URL must name a benchmark database (its name containing 'bench')")
    try:
        ensure_wrk()
    except WrkMissing as exc:
        print(f"Cannot run the load benchmark: {exc}", file=sys.stderr)
        return 2
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="streamlead-load-"))
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "STREAMLEAD_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "0",
        "SESSION_IDLE_MINUTES": "120",
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "DATABASE_URL": url or f"sqlite:///{tmp}/load.sqlite",
        "TASK_QUEUE_URL": f"sqlite:///{tmp}/tasks.db",  # never a shared queue: we may flush it
        "PYTHONUNBUFFERED": "1",
    }
    run = Run(database_name(env["DATABASE_URL"]))
    began = time.monotonic()
    state = seed(env, args, tmp / "state.json")
    port = free_port()
    server = worker = None
    try:
        server = start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "tests.benchmarks.load_app:app",
            ],
            env,
            tmp / "gunicorn.log",
        )
        wait_for_server(port, server, tmp / "gunicorn.log")
        clients = {who: Client(port) for who in USERS}
        for who, email in USERS.items():
            clients[who].sign_in(email, PASSWORD)
        load = Load(args.threads, args.connections, args.seconds, args.timeout or args.seconds)
        scripts = (tmp / "count_status.lua", tmp / "plain.lua")
        scripts[0].write_text(LUA_STATUS)
        scripts[1].write_text(LUA_PLAIN)
        rows = [
            PageRow(name, who, path.format(**state))
            for name, who, path in PAGES
            if (not wanted or name in wanted) and "none" not in wanted
        ]
        if rows:
            print(f"Measuring {len(rows)} pages ...", flush=True)
            measure_pages(port, clients, rows, load, args, run, scripts, env["DATABASE_URL"])
        if not args.no_documents:
            print("Document timings (starting flask worker) ...", flush=True)
            worker = start([sys.executable, "-m", "flask", "worker"], env, tmp / "worker.log")
            queue = SqliteStorage(name="streamlead", filename=str(tmp / "tasks.db"))
            run.documents_setup.append(drain_queue(queue, args.drain_seconds))
            run.documents_setup.append(
                f"`flask worker` with its default {os.environ.get('TASK_WORKERS', '2')} worker"
                f" processes; first download {args.doc_wait:g} s after the change was saved."
            )
            run.documents = load_documents.measure(
                clients, state, args.doc_wait, args.export_size, args.export_timeout
            )
            if worker.poll() is not None:
                run.documents_setup.append("**The worker had stopped** (see worker.log).")
    finally:
        stop(worker)
        stop(server)
    load_after = os.getloadavg()[0]
    run.setup = [
        f"Machine: {machine_description()}; Python {platform.python_version()}",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC on commit {_commit()}",
        f"Data: demo organisation + {args.candidates:,} candidates x (self-assessment + 2"
        f" interviews) x {args.competencies} competencies = {state['ratings']:,} ratings,"
        f" imported in {state['import_seconds']:.1f} s; {state['big_stream_candidates']} in the"
        f" measured shortlist's stream"
        + (
            f"; then VACUUM (ANALYZE), as autovacuum would a minute later, in"
            f" {state['settle_seconds']:.1f} s"
            if "settle_seconds" in state
            else ""
        ),
        f"Load: wrk -t{args.threads} -c{args.connections} -d{args.seconds}s --timeout"
        f" {load.timeout}s per page, bare page {args.bare_seconds} s before each;"
        f" gunicorn {args.workers} sync workers",
        f"Load average (1 min) at start and end: {load_before:.2f} and {load_after:.2f}"
        f" (other work on this shared machine slows every row); whole run"
        f" {(time.monotonic() - began) / 60:.1f} min",
    ]
    text = report(run)
    print()
    print(text)
    warning = bare_floor_message(run.bare_rps)
    if warning:
        print("\n" + "!" * 80 + "\n" + warning + "\n" + "!" * 80)
    errors = sum(r.page.errors for r in run.rows if r.page) + sum(1 for r in run.rows if not r.page)
    if errors:
        print(f"\nERRORS: {errors} failed requests or pages not run (see the table).")
    if args.out:
        write_section(Path(args.out), run.database, text)
        print(f"Wrote the {run.database} figures to {args.out}")
    if args.keep:
        print(f"Logs and data kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if errors or warning else 0


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
