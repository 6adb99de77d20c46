"""Time the CPO's home page and download centre with N candidates who each have a
self-assessment and two interviews.

    python -m tests.benchmarks.cpo_home [--database-url URL] [--candidates 1000] [--repeats 20]

The data is the ratings import benchmark's file (`flask ratings import`): every candidate has a
submitted self-assessment and two submitted interviews over 7 competencies, none decided, so
every one of them is waiting for the CPO's decision. Each page is fetched through the Flask test
client, signed in, after a warm-up request; the median and fastest of the repeats are printed.

Without --database-url it uses a throwaway SQLite file; a PostgreSQL database given by URL is
emptied first, so its name must contain 'bench'.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import MetaData

from app import create_app
from app.auth import services as accounts
from app.extensions import db
from app.roles import lifecycle
from assessments.role_files import load_default_role
from tests.benchmarks.ratings_import import _config, _seven, write_csv

PASSWORD = "correct horse battery staple"
PAGES = {"/": "home page", "/reports": "download centre"}


def main() -> None:
    """Seed, import, sign in as the CPO, time the pages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    if args.database_url and "bench" not in args.database_url.rsplit("/", 1)[-1]:
        parser.error("--database-url must name a benchmark database (its name containing 'bench')")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app({**_config(), "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        role = _seven(load_default_role())
        with app.app_context():
            # Drop whatever is there, including tables another version of the app made.
            existing = MetaData()
            existing.reflect(bind=db.engine)
            existing.drop_all(bind=db.engine)
            db.create_all()
            lifecycle.add_version(role, publish=True, actor=None)
            accounts.create_user("cpo@example.org", "Priya Raman", "cpo", PASSWORD)
            db.session.commit()
        path = Path(tmp) / "ratings.csv"
        write_csv(path, args.candidates, [c.key for c in role.competencies])
        result = app.test_cli_runner().invoke(
            args=["ratings", "import", str(path), "--role", role.key]
        )
        if result.exit_code != 0:
            raise SystemExit(result.output)
        client = app.test_client()
        signed_in = client.post("/login", data={"email": "cpo@example.org", "password": PASSWORD})
        assert signed_in.status_code == 302, "sign-in failed"
        timings = {url: _time(client, url, args.repeats) for url in PAGES}
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print(f"{args.candidates:,} candidates with a self-assessment and two interviews, as the CPO:")
    for url, (median, fastest, size) in timings.items():
        print(
            f"  {PAGES[url]} ({url}, {size:,} bytes): median {median:.1f} ms,"
            f" fastest {fastest:.1f} ms of {args.repeats}"
        )


def _time(client: FlaskClient, url: str, repeats: int) -> tuple[float, float, int]:
    """(median ms, fastest ms, bytes) of GET url after one warm-up request."""
    warm = client.get(url)
    assert warm.status_code == 200, (url, warm.status_code)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times), min(times), len(response.get_data())


if __name__ == "__main__":
    main()
