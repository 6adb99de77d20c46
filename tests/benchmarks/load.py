"""Load benchmark: gunicorn on loopback, 8 signed-in users, 1,000 candidates.

Run:  .venv/bin/python -m tests.benchmarks.load [--out docs/benchmarks.md]

It builds a fresh SQLite database (or uses DATABASE_URL), loads the demo organisation and
1,000 extra candidates, starts gunicorn on 127.0.0.1, and then:
  1. for --rounds rounds, drives the bare Flask page and then each main page alone, a short
     phase each, recording requests per second and p95 latency;
  2. drives all main pages together for --seconds as a mixed journey, counting errors.
Every loop is bounded in count and time; only 127.0.0.1 is contacted. Results are printed
as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from tests.benchmarks.pdf import machine_description

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "streamlead-demo"
MAIN_PAGES = {
    "cpo": ["/", "/candidates", "/streams", "/progress", "/roles", "/reports"],
    "hr": ["/", "/progress", "/reports"],
    "admin": ["/admin/users", "/admin/audit"],
}
MAX_REQUESTS_PER_PHASE = 200_000


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(env: dict[str, str], candidates: int) -> None:
    """Migrate, load the demo, and add candidates with submitted self-assessments."""
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*flask, "demo", "--password", PASSWORD], env=env, check=True, capture_output=True
    )
    code = f"""
from app import create_app
from app.extensions import db
from app.models import Assessment, SelfAssessment, SelfRating, User, ValueStream
from app.roles.lookups import latest_published
app = create_app()
with app.app_context():
    version = latest_published("product-director")
    streams = db.session.query(ValueStream).all()
    keys = [c["key"] for c in version.content["competencies"]]
    for n in range({candidates}):
        user = User(email=f"load{{n}}@example.org", name=f"Load Candidate {{n:04d}}", role="exec")
        stream = streams[n % len(streams)] if streams else None
        a = Assessment(candidate=user, role_version=version, value_stream=stream)
        sa = SelfAssessment(assessment=a, status="submitted" if n % 2 else "draft")
        sa.ratings = [
            SelfRating(competency_key=k, level=(n + i) % 5, evidence="Example")
            for i, k in enumerate(keys)
        ]
        db.session.add_all([user, a, sa])
        if n % 200 == 199:
            db.session.commit()
    db.session.commit()
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


class Client:
    """One keep-alive HTTP connection with a session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            raise
        data = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("streamlead_session="):
                self.cookie = header.split(";", 1)[0]
        return response.status, data

    def sign_in(self, email: str) -> None:
        _status, page = self.request("GET", "/login")
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        token = match.group(1) if match else ""
        status, _ = self.request(
            "POST", "/login", urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
        )
        if status != 302:
            raise RuntimeError(f"sign-in as {email} failed with {status}")


@dataclass
class Result:
    """Latencies and errors of one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) < 2:
            return 0.0
        return statistics.quantiles(self.latencies, n=20)[18] * 1000


Users = list[dict[str, Client]]


def sign_in_users(port: int, users: int, emails: list[str]) -> Users:
    """One signed-in client per (user, email), made once and reused by every phase."""
    pool = []
    for _ in range(users):
        clients = {email: Client(port) for email in emails}
        for email, client in clients.items():
            client.sign_in(email)
        pool.append(clients)
    return pool


def drive(pool: Users, seconds: float, plan: list[tuple[str, str]]) -> Result:
    """One thread per user loops over (email, path) pairs until time runs out."""
    result = Result()
    lock = threading.Lock()
    users = len(pool)
    start_barrier = threading.Barrier(users + 1)
    deadline = 0.0

    def user_loop(index: int) -> None:
        clients = pool[index]
        start_barrier.wait()
        n = index
        count = 0
        while time.monotonic() < deadline and count < MAX_REQUESTS_PER_PHASE:
            email, path = plan[n % len(plan)]
            n += 1
            count += 1
            began = time.perf_counter()
            try:
                status, _ = clients[email].request("GET", path)
            except (http.client.HTTPException, OSError) as exc:
                with lock:
                    result.errors.append(f"{path}: {exc}")
                continue
            elapsed = time.perf_counter() - began
            with lock:
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors.append(f"{path}: HTTP {status}")

    threads = [threading.Thread(target=user_loop, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    start_barrier.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    result.seconds = time.monotonic() - began
    return result


@dataclass
class PageRow:
    """One page's phases over every round, each next to the bare phase run just before it."""

    name: str
    phases: list[Result] = field(default_factory=list)
    bare: list[Result] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.phases)

    @property
    def share(self) -> float:
        """Median over rounds of this page's rate over the bare page's rate in the same round."""
        return statistics.median(p.rps / b.rps for p, b in zip(self.phases, self.bare, strict=True))

    @property
    def p95_ms(self) -> float:
        pooled = Result(latencies=[t for r in self.phases for t in r.latencies], seconds=1.0)
        return pooled.p95_ms

    @property
    def errors(self) -> int:
        return sum(len(r.errors) for r in self.phases)


DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

INTRO = """## Pages under load

Figures from `tests/benchmarks/load.py`: gunicorn on loopback, the demo organisation plus 1,000
candidates, 8 signed-in users with no think time, one run per database.

How to read it:

- Targets (issue 8): every main page serves at least 25% of the bare page's requests per second,
  with p95 under 100 ms, at 8 concurrent users, and nothing fails.
- *Bare Flask page* is a view returning `ok` in the same app and gunicorn (so it pays for the
  session cookie and the signed-in user like every page). Each page's phase follows its own bare
  phase, round after round; *share of bare* is the median over rounds of the page's rate over
  that bare rate, so drift on a shared machine affects both alike.
- *requests/s* is the median over rounds; *p95* pools every request of the page's phases. The
  load client, and for PostgreSQL the database server too, run on the same two cores as
  gunicorn, so each SQL statement a page sends costs it more there than on SQLite. gunicorn's
  sync workers close the connection after each response, so every request opens a new one.

Run it again with:

```sh
.venv/bin/python -m tests.benchmarks.load                           # SQLite, print only
.venv/bin/python -m tests.benchmarks.load --out docs/benchmarks.md  # and write its figures
DATABASE_URL=postgresql+psycopg://USER@HOST/EMPTY_DB \\
  .venv/bin/python -m tests.benchmarks.load --workers 4 --out docs/benchmarks.md
```

Options: `--seconds` (mixed phase, default 60), `--phase-seconds` (default 3), `--rounds`
(default 3), `--users` (default 8), `--workers` (default 2), `--candidates` (default 1000).
Writing replaces only the figures of the database measured. PostgreSQL is measured with 4
workers, as in the README's production command (see docs/decisions.md).
"""


def database_name(url: str) -> str:
    """'SQLite' or 'PostgreSQL', from a database URL."""
    return DATABASES.get(url.split(":", 1)[0].split("+", 1)[0], url.split(":", 1)[0])


def report(
    rows: list[PageRow], bare: PageRow, mixed: Result, args: argparse.Namespace, database: str
) -> str:
    """One database's figures, as its subsection of docs/benchmarks.md."""
    plan_size = sum(len(pages) for pages in MAIN_PAGES.values())
    lines = [
        f"### {database}",
        "",
        f"- Machine: {machine_description()}",
        f"- Python {platform.python_version()}, measured"
        f" {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC",
        f"- {args.rounds} rounds of {args.phase_seconds:g} s per page, then {args.seconds:g} s"
        f" mixed; {args.candidates:,} extra candidates; {args.workers} gunicorn sync workers;"
        f" {args.users} users",
        f"- Load average (1 min) when the run started and ended: {args.load_before:.2f} and"
        f" {os.getloadavg()[0]:.2f}.",
        "",
        "| page | requests/s | share of bare | p95 ms | errors | target met |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| bare Flask page | {bare.rps:.0f} | 100% | {bare.p95_ms:.1f} | {bare.errors} | |",
    ]
    for row in rows:
        met = row.share >= 0.25 and row.p95_ms < 100 and not row.errors
        lines.append(
            f"| `{row.name.split()[0]}` as {row.name.split()[1].strip('()')} | {row.rps:.0f}"
            f" | {row.share:.0%} | {row.p95_ms:.1f} | {row.errors} | {'yes' if met else 'NO'} |"
        )
    lines += [
        "",
        f"Mixed journey, all {plan_size} pages in turn by {args.users} users for"
        f" {mixed.seconds:.0f} s: {len(mixed.latencies):,} requests, {mixed.rps:.0f}/s,"
        f" p95 {mixed.p95_ms:.1f} ms, {len(mixed.errors)} errors.",
        "",
    ]
    return "\n".join(lines)


def write_section(out: Path, database: str, figures: str) -> None:
    """Rewrite the 'Pages under load' section of `out`: the intro, this database's new figures,
    and the other databases' figures as they were."""
    text = out.read_text() if out.exists() else ""
    marker = "\n## Pages under load"
    head, section = text.split(marker, 1) if marker in text else (text, "")
    kept = {}
    for part in ("\n" + section).split("\n### ")[1:]:
        name = part.split("\n", 1)[0].strip()
        kept[name] = "### " + part.rstrip("\n") + "\n"
    kept[database] = figures.rstrip("\n") + "\n"
    ordered = [kept[name] for name in DATABASES.values() if name in kept]
    ordered += [body for name, body in kept.items() if name not in DATABASES.values()]
    out.write_text(head.rstrip("\n") + "\n\n" + INTRO + "\n" + "\n".join(ordered))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the mixed phase")
    parser.add_argument(
        "--phase-seconds", type=float, default=3.0, help="length of each page phase"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of page phases")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--out", help="replace the 'Pages under load' section of this file")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]

    tmp = tempfile.mkdtemp(prefix="streamlead-load-")
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "STREAMLEAD_ENV": "development",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/load.sqlite"),
        "LOGIN_RATE_LIMIT": "100000 per minute",
    }
    print(f"Seeding {args.candidates} candidates ...", flush=True)
    seed(env, args.candidates)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "tests.benchmarks.load_app:app",
        ],
        env=env,
        cwd=ROOT,
    )
    bare_plan = [("cpo@example.org", "/bench/bare")]
    try:
        for _ in range(100):
            try:
                Client(port).request("GET", "/bench/bare")
                break
            except OSError:
                time.sleep(0.1)
        pool = sign_in_users(port, args.users, [f"{role}@example.org" for role in MAIN_PAGES])
        drive(pool, 1.0, bare_plan)  # warm both workers up before measuring
        bare = PageRow("bare Flask page")
        rows = [PageRow(f"{path} ({role})") for role, pages in MAIN_PAGES.items() for path in pages]
        for round_number in range(args.rounds):
            print(f"Round {round_number + 1} of {args.rounds} ...", flush=True)
            for row in rows:
                path, role = row.name.split()[0], row.name.split()[1].strip("()")
                row.bare.append(drive(pool, args.phase_seconds, bare_plan))
                bare.phases.append(row.bare[-1])
                row.phases.append(drive(pool, args.phase_seconds, [(f"{role}@example.org", path)]))
        plan = [
            (f"{role}@example.org", path) for role, pages in MAIN_PAGES.items() for path in pages
        ]
        print(f"Mixed journey for {args.seconds:g} s ...", flush=True)
        mixed = drive(pool, args.seconds, plan)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    database = database_name(env["DATABASE_URL"])
    text = report(rows, bare, mixed, args, database)
    print()
    print(text)
    failed = bool(mixed.errors) or any(
        row.share < 0.25 or row.p95_ms >= 100 or row.errors for row in rows
    )
    if mixed.errors:
        print("First errors:", mixed.errors[:5])
    if args.out:
        write_section(Path(args.out), database, text)
        print(f"Wrote the {database} figures to {args.out}")
    print("TARGETS MET" if not failed else "TARGETS MISSED")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
