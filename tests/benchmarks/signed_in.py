"""What being signed in costs a request: the bare page signed out and signed in, in process.

    python -m tests.benchmarks.signed_in [--database-url URL] [--rounds 15] [--requests 200]
                                         [--profile [--profile-path PATH]]

The app runs in production configuration (CSRF on, security headers, no TESTING) with one CPO;
the bare Flask page of the load benchmark (`/bench/bare`, returns "ok") is fetched through the
Flask test client, in alternating rounds signed out and with the CPO's session cookie, so other
work on the machine slows both alike. Prints the median ms per request of each and the
difference, the fixed cost every signed-in page pays, by the wall clock and by this process's
CPU time (on a busy machine the CPU time is the steadier figure; on PostgreSQL it leaves out
the database server's share and the round trips). `--profile` prints cProfile's view of
the signed-in requests instead.

Without --database-url it uses a throwaway SQLite file; a PostgreSQL database given by URL is
emptied first, so its name must contain 'bench'.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import MetaData

from app import create_app
from app.auth import services as accounts
from app.extensions import db
from app.policy import public
from config import ProductionConfig

PASSWORD = "correct horse battery staple"
BARE = "/bench/bare"


def build_app(url: str, tmp: Path) -> Flask:
    """The production app on `url` with the bare page, its schema fresh and one CPO in it."""

    class BenchConfig(ProductionConfig):
        SECRET_KEY = "benchmark-" + "k" * 40
        SQLALCHEMY_DATABASE_URI = url
        SESSION_COOKIE_SECURE = False
        TASK_QUEUE_URL = f"sqlite:///{tmp / 'tasks.db'}"
        ARGON2_TIME_COST = 1
        ARGON2_MEMORY_COST = 8
        ARGON2_PARALLELISM = 1

    app = create_app(BenchConfig)

    @app.route(BARE)
    @public
    def bare() -> str:
        return "ok"

    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        db.create_all()
        accounts.create_user("cpo@example.org", "Priya Raman", "cpo", PASSWORD)
        db.session.commit()
    return app


def signed_in_client(app: Flask) -> FlaskClient:
    """A test client holding the CPO's session cookie (the sign-in form posts its CSRF token)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    reply = client.post(
        "/login", data={"email": "cpo@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert reply.status_code == 302, f"sign-in failed: {reply.status_code}"
    assert client.get(BARE).status_code == 200
    return client


def per_request_ms(client: FlaskClient, requests: int, path: str = BARE) -> float:
    """Mean ms of one GET of `path` (the bare page) over `requests` requests."""
    return timed(client, requests, path)[0]


def timed(client: FlaskClient, requests: int, path: str = BARE) -> tuple[float, float]:
    """Mean wall-clock and CPU ms (this process) of one GET of `path` over `requests`."""
    began, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        reply = client.get(path)
        if reply.status_code not in (200, 404):
            raise SystemExit(f"{path} answered {reply.status_code}")
    wall = (time.perf_counter() - began) * 1000 / requests
    return wall, (time.process_time() - cpu) * 1000 / requests


def main() -> None:
    """Seed, sign in, time both in alternating rounds (or profile the signed-in requests)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=200, help="requests per round")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--profile-path",
        default=BARE,
        help="the page --profile fetches signed in (a 404 page shows what the layout costs)",
    )
    args = parser.parse_args()
    if args.database_url and "bench" not in args.database_url.rsplit("/", 1)[-1]:
        parser.error("--database-url must name a benchmark database (its name containing 'bench')")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        app = build_app(args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}", tmp)
        signed_out, signed_in = app.test_client(), signed_in_client(app)
        per_request_ms(signed_out, 50)
        per_request_ms(signed_in, 50)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(per_request_ms, signed_in, args.requests * 5, args.profile_path)
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
        else:
            out, into = [], []
            for _ in range(args.rounds):
                out.append(timed(signed_out, args.requests))
                into.append(timed(signed_in, args.requests))
            print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':', 1)[0]}")
            for index, clock in enumerate(("wall clock", "CPU time of this process")):
                bare = statistics.median(t[index] for t in out)
                signed = statistics.median(t[index] for t in into)
                print(
                    f"{clock} (median of {args.rounds}): signed out {bare:.3f} ms a request,"
                    f" signed in {signed:.3f} ms; being signed in costs {signed - bare:.3f} ms,"
                    f" signed in runs at {bare / signed:.0%} of signed out's rate"
                )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
