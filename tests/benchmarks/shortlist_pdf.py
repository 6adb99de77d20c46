"""Time one shortlist PDF in-process: building its HTML and WeasyPrint's render, apart.

Run from the repository root, against the database the load benchmark keeps (its 250-candidate
stream) or the demo (every stream's shortlist, short ones)::

    PYTHONPATH=$PWD /work/main/.venv/bin/python -m tests.benchmarks.load --pages none \
        --no-documents --keep --candidates 300 --shortlist 250      # prints the kept folder
    PYTHONPATH=$PWD /work/main/.venv/bin/python -m tests.benchmarks.shortlist_pdf \
        --kept /tmp/streamlead-load-XXXX [--n 5] [--pdf DIR] [--profile FILE]
    PYTHONPATH=$PWD /work/main/.venv/bin/python -m tests.benchmarks.shortlist_pdf --demo --pdf DIR

The shortlist is built for the CPO (cpo@example.org), as the worker renders it for the load
benchmark's download. After one warm-up of each step it runs the HTML build and the render N
times each and prints the medians, wall clock and CPU, plus the queries the build made and the
PDF's page count. `gc.freeze()` runs first, as in every worker process. With --profile it writes
a cProfile of one render to FILE (read it with `python -m pstats FILE`).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.render_ab import demo_app


def _timed(step: Any, n: int) -> tuple[Any, list[float], list[float]]:
    """The step's last result and its wall and CPU times in ms over n runs."""
    wall: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(n):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = step()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    return result, wall, cpu


def _pages(pdf: bytes) -> int:
    """The PDF's page count (pypdf is a test dependency)."""
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def measure(app: Any, stream_ids: list[int] | None, args: argparse.Namespace) -> None:
    """Build and render the shortlists of these streams (None: every stream) and print times."""
    from sqlalchemy import event, select

    from app.extensions import db
    from app.models import Assessment, RoleVersion, User, ValueStream
    from app.reports.pdf import freeze_after_startup, lay_out, render_pdf
    from app.reports.shortlist import shortlist_document

    with app.app_context():
        viewer = db.session.scalar(select(User).where(User.email == "cpo@example.org"))
        query = (
            select(Assessment.value_stream_id, Assessment.role_version_id)
            .where(Assessment.value_stream_id.is_not(None))
            .distinct()
            .order_by(Assessment.value_stream_id, Assessment.role_version_id)
        )
        if stream_ids:
            query = query.where(Assessment.value_stream_id.in_(stream_ids))
        pairs = db.session.execute(query).all()
        freeze_after_startup()
        queries: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
        for stream_id, version_id in pairs:
            stream = db.session.get(ValueStream, stream_id)
            version = db.session.get(RoleVersion, version_id)

            def build(stream: Any = stream, version: Any = version) -> Any:
                db.session.expire_all()
                return shortlist_document(stream, version, viewer)

            build()
            queries.clear()
            doc = build()
            n_queries = len(queries)
            doc, build_wall, build_cpu = _timed(build, args.n)
            pdf = render_pdf(doc.html, title=doc.title, author=doc.author)  # warm-up
            _, render_wall, render_cpu = _timed(
                lambda doc=doc: render_pdf(doc.html, title=doc.title, author=doc.author), args.n
            )
            layout = lay_out(doc.html)
            print(
                json.dumps(
                    {
                        "stream": stream.name,
                        "version": version.label,
                        "pages": _pages(pdf),
                        "html_kb": round(len(doc.html) / 1024),
                        "queries": n_queries,
                        "build_ms": round(statistics.median(build_wall)),
                        "build_cpu_ms": round(statistics.median(build_cpu)),
                        "render_ms": round(statistics.median(render_wall)),
                        "render_cpu_ms": round(statistics.median(render_cpu)),
                        "n": args.n,
                        "layout_pages": len(layout.pages),
                    }
                ),
                flush=True,
            )
            if args.pdf:
                folder = Path(args.pdf)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"shortlist-{stream_id}-{version_id}.pdf").write_bytes(pdf)
                (folder / f"shortlist-{stream_id}-{version_id}.html").write_text(doc.html)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                render_pdf(doc.html, title=doc.title, author=doc.author)
                profiler.disable()
                profiler.dump_stats(args.profile)


def main(argv: list[str] | None = None) -> int:
    """Open the kept load database or load the demo, then time its shortlists."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--kept", help="the load benchmark's kept folder (load.sqlite, state.json)")
    where.add_argument("--demo", action="store_true", help="every shortlist of the demo")
    parser.add_argument("--n", type=int, default=5, help="runs of each step")
    parser.add_argument("--pdf", default=None, help="write each PDF and its HTML to this folder")
    parser.add_argument("--profile", default=None, help="write a cProfile of one render here")
    args = parser.parse_args(argv)

    from app import create_app
    from config import TestConfig

    if args.kept:
        kept = Path(args.kept)
        state = json.loads((kept / "state.json").read_text())

        class KeptConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{kept / 'load.sqlite'}"

        measure(create_app(KeptConfig), [state["big_stream_id"]], args)
        return 0
    with demo_app() as app:
        if app is None:
            return 1
        measure(app, None, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
