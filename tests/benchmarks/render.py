"""Time WeasyPrint renders of the demo's readiness report, coaching plan and interview guide.

Run from the repository root::

    /work/main/.venv/bin/python -m tests.benchmarks.render [--n 7] [--png DIR]

Loads the demo (`flask demo`) into a throwaway SQLite database, builds each document's HTML
once, then renders the three documents interleaved N times (after one warm-up render each) and
prints the median per document. With --png it also writes each PDF to DIR for pixel checks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Load the demo, build the HTML once, print median render times per document."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=7, help="renders per document")
    parser.add_argument("--no-freeze", action="store_true", help="skip gc.freeze()")
    parser.add_argument("--png", default=None, help="write each PDF to this folder")
    args = parser.parse_args(argv)

    from app.reports.pdf import freeze_after_startup, render_pdf
    from tests.benchmarks.render_ab import demo_documents

    docs = demo_documents()
    if docs is None:
        return 1
    if not args.no_freeze:  # as gunicorn.conf.py does in each web worker
        freeze_after_startup()

    times: dict[str, list[float]] = {name: [] for name in docs}
    for name, doc in docs.items():  # warm-up, and the PDFs for the pixel check
        pdf = render_pdf(doc.html, title=doc.title, author=doc.author)
        if args.png:
            Path(args.png).mkdir(parents=True, exist_ok=True)
            (Path(args.png) / f"{name.replace(' ', '-')}.pdf").write_bytes(pdf)
    for _ in range(args.n):
        for name, doc in docs.items():
            start = time.perf_counter()
            render_pdf(doc.html, title=doc.title, author=doc.author)
            times[name].append((time.perf_counter() - start) * 1000)
    for name, values in times.items():
        print(f"{name:16} median {statistics.median(values):7.0f} ms  (n={len(values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
