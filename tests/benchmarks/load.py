"""Load benchmark: gunicorn on loopback, 8 signed-in users, 1,000 candidates.

Run:  .venv/bin/python -m tests.benchmarks.load [--seconds 60] [--users 8] [--workers 2]

It builds a fresh SQLite database (or uses DATABASE_URL), loads the demo organisation and
1,000 extra candidates, starts gunicorn on 127.0.0.1, and then:
  1. drives the bare Flask page alone, then each main page alone, for a short phase each,
     recording requests per second and p95 latency;
  2. drives all main pages together for --seconds as a mixed journey, counting errors.
Every loop is bounded in count and time; only 127.0.0.1 is contacted. Results are printed
as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
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
from pathlib import Path
from urllib.parse import urlencode

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
from app.roles.services import latest_published
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


def drive(port: int, users: int, seconds: float, plan: list[tuple[str, str]]) -> Result:
    """`users` threads loop over (role email, path) pairs until time runs out."""
    result = Result()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    emails = sorted({email for email, _ in plan})
    start_barrier = threading.Barrier(users + 1)

    def user_loop(index: int) -> None:
        clients = {email: Client(port) for email in emails}
        for email, client in clients.items():
            client.sign_in(email)
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
    start_barrier.wait()
    began = time.monotonic()
    deadline = began + seconds
    for thread in threads:
        thread.join(timeout=seconds + 30)
    result.seconds = time.monotonic() - began
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the mixed phase")
    parser.add_argument(
        "--phase-seconds", type=float, default=8.0, help="length of each page phase"
    )
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--candidates", type=int, default=1000)
    args = parser.parse_args()

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
    try:
        for _ in range(100):
            try:
                Client(port).request("GET", "/bench/bare")
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        bare = drive(port, args.users, args.phase_seconds, [("cpo@example.org", "/bench/bare")])
        rows.append(("bare Flask page", bare))
        for role, pages in MAIN_PAGES.items():
            for path in pages:
                result = drive(
                    port, args.users, args.phase_seconds, [(f"{role}@example.org", path)]
                )
                rows.append((f"{path} ({role})", result))
        plan = [
            (f"{role}@example.org", path) for role, pages in MAIN_PAGES.items() for path in pages
        ]
        mixed = drive(port, args.users, args.seconds, plan)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print()
    print("| page | requests/s | share of bare | p95 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    failed = False
    for name, result in rows:
        share = result.rps / bare.rps if bare.rps else 0.0
        ok = name == "bare Flask page" or (
            share >= 0.25 and result.p95_ms < 100 and not result.errors
        )
        failed |= not ok
        cells = [name, f"{result.rps:.0f}", f"{share:.0%}", f"{result.p95_ms:.1f}"]
        print("| " + " | ".join([*cells, str(len(result.errors))]) + " |")
    print()
    print(
        f"Mixed journey over {len(plan)} pages, {args.users} users, {mixed.seconds:.0f} s: "
        f"{len(mixed.latencies)} requests, {mixed.rps:.0f}/s, p95 {mixed.p95_ms:.1f} ms, "
        f"{len(mixed.errors)} errors"
    )
    if mixed.errors:
        print("First errors:", mixed.errors[:5])
    failed |= bool(mixed.errors)
    print("TARGETS MET" if not failed else "TARGETS MISSED")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
