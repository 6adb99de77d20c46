"""Time, count and profile the load benchmark's pages in process, against its kept data set.

    python -m tests.benchmarks.load --pages none --no-documents --keep   # builds the data
    python -m tests.benchmarks.pages /tmp/streamlead-load-XXXX [--pages cpo-reports,...]
        [--repeats 25] [--profile cpo-reports] [--sort tottime]

Each page is fetched through the Flask test client, signed in as its user, in production
configuration with the start-up objects frozen out of the garbage collector (as gunicorn's
workers do); it prints the median and fastest wall time, the median CPU time of the process (on a
busy shared machine CPU time moves far less than wall time, so two checkouts compare best by
it, run one after the other), the SQL statements and the bytes. `--profile NAME` adds a cProfile
of that page. Point PYTHONPATH at another checkout to measure it against the same data.

The shortlist PDF of the big stream is one of the pages (`cpo-shortlist-pdf`): with
PAGE_CACHE_MB=0 no download is remembered, so each one builds its document to find the stored
PDF's key, as the first download after a change does (the PDF is rendered once, by the warm-up).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

# Downloads timed like pages: the document is built, its stored PDF found by key and sent.
DOWNLOADS = (
    (
        "cpo-shortlist-pdf",
        "cpo",
        "/reports/streams/{big_stream_id}/roles/{version_id}/shortlist.pdf",
    ),
)


def main() -> None:
    """Sign in as each user, then time every page asked for."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="a directory kept by `load --keep`")
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--profile", default="", help="a page to profile")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort order")
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()
    os.environ.update(
        {
            "STREAMLEAD_ENV": "production",
            "SECRET_KEY": os.urandom(32).hex(),
            "SESSION_COOKIE_SECURE": "0",
            "SESSION_IDLE_MINUTES": "120",
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{args.data}/load.sqlite",
            "TASK_QUEUE_URL": f"sqlite:///{args.data}/tasks-pages.db",
        }
    )
    # Imported after the environment is set: the configuration is read on import.
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db
    from tests.benchmarks.load import PAGES, PASSWORD, USERS

    state = json.loads((args.data / "state.json").read_text())
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    clients = {}
    for who, email in USERS.items():
        client = app.test_client()
        answer = client.post("/login", data={"email": email, "password": PASSWORD})
        if answer.status_code != 302:
            raise SystemExit(f"sign-in as {email} failed: {answer.status_code}")
        clients[who] = client
    gc.collect()
    gc.freeze()
    statements = [0]

    def count(*_args: Any, **_kwargs: Any) -> None:
        statements[0] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    wanted = {p for p in args.pages.split(",") if p}
    for name, who, path in (*PAGES, *DOWNLOADS):
        if wanted and name not in wanted:
            continue
        url, client = path.format(**state), clients[who]
        if client.get(url).status_code != 200:
            raise SystemExit(f"{name} ({url}) did not answer 200")
        statements[0] = 0
        client.get(url)
        queries = statements[0]
        wall, cpu = [], []
        for _ in range(args.repeats):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - cpu_started) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:24} {statistics.median(wall):7.1f} ms  min {min(wall):6.1f}"
            f"  cpu {statistics.median(cpu):6.2f} ms  {queries:3d} queries"
            f"  {len(response.get_data()):>9,} bytes",
            flush=True,
        )
        if args.profile == name:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.repeats):
                client.get(url)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
