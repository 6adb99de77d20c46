"""Time `flask ratings import` on N candidates x (self + 2 interviews) x every competency.

    python -m tests.benchmarks.ratings_import [--database-url URL] [--candidates 1000]

Without --database-url it uses a throwaway SQLite file; a PostgreSQL database given by URL is
emptied (drop_all) first, so it must be a database made for the benchmark: one whose name
contains 'bench' (anything else is refused).
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from app import create_app
from app.extensions import db
from app.roles import lifecycle
from assessments.model import RoleDefinition
from assessments.role_files import load_default_role
from config import TestConfig


def write_csv(path: Path, candidates: int, competencies: list[str]) -> int:
    """The file: each candidate rates themselves and is rated by two of ten interviewers."""
    lines = ["candidate_email,rater_email,source,competency,level,evidence"]
    for n in range(candidates):
        email = f"candidate.{n}@example.org"
        raters = [
            (email, "self"),
            (f"interviewer.{n % 10}@example.org", "interview"),
            (f"interviewer.{(n + 1) % 10}@example.org", "interview"),
        ]
        for rater, source in raters:
            for i, key in enumerate(competencies):
                lines.append(f"{email},{rater},{source},{key},{(n + i) % 5},Evidence {n} {i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main() -> None:
    """Build the database, write the file, time the command, print the seconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--candidates", type=int, default=1000)
    args = parser.parse_args()
    # The database is emptied first: refuse any whose name does not say it is for benchmarks.
    if args.database_url and "bench" not in args.database_url.rsplit("/", 1)[-1]:
        parser.error("--database-url must name a benchmark database (its name containing 'bench')")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app({**_config(), "SQLALCHEMY_DATABASE_URI": url})
        role = _seven(load_default_role())
        with app.app_context():
            db.drop_all()
            db.create_all()
            lifecycle.add_version(role, publish=True, actor=None)
            db.session.commit()
        path = Path(tmp) / "ratings.csv"
        ratings = write_csv(path, args.candidates, [c.key for c in role.competencies])
        runner = app.test_cli_runner()
        start = time.perf_counter()
        result = runner.invoke(args=["ratings", "import", str(path), "--role", role.key])
        seconds = time.perf_counter() - start
        if result.exit_code != 0:
            raise SystemExit(result.output)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print(f"{ratings:,} ratings for {args.candidates:,} candidates: {seconds:.2f} s")


def _seven(role: RoleDefinition) -> RoleDefinition:
    """The shipped role trimmed to its first 7 competencies, as in the issue's measurement."""
    return dataclasses.replace(role, competencies=role.competencies[:7])


def _config() -> dict[str, object]:
    return {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}


if __name__ == "__main__":
    main()
