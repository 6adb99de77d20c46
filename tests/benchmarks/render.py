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
import tempfile
import time
from pathlib import Path
from typing import Any


def build_documents(app: Any) -> dict[str, Any]:
    """The demo's first scored readiness report, first issued plan and a published guide."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Assessment, CoachingPlan, RoleVersion
    from app.models.loaders import load_assessment_for_report, load_plan_for_document
    from app.reports import coaching_plan, documents, guide, readiness

    with app.app_context():
        docs: dict[str, Any] = {}
        for assessment_id in db.session.scalars(select(Assessment.id).order_by(Assessment.id)):
            assessment = load_assessment_for_report(assessment_id)
            if assessment is not None and documents.is_scored(assessment):
                docs["readiness"] = readiness.readiness_document(assessment, documents.OPERATOR)
                break
        plan_id = db.session.scalar(
            select(CoachingPlan.id)
            .where(CoachingPlan.status == "issued")
            .order_by(CoachingPlan.id)
            .limit(1)
        )
        plan = load_plan_for_document(plan_id)
        docs["coaching plan"] = coaching_plan.plan_document(plan, documents.OPERATOR)
        version = db.session.scalars(
            select(RoleVersion).where(RoleVersion.status == "published").order_by(RoleVersion.id)
        ).first()
        docs["interview guide"] = guide.interview_guide_document(version, documents.OPERATOR)
        return docs


def main(argv: list[str] | None = None) -> int:
    """Load the demo, build the HTML once, print median render times per document."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=7, help="renders per document")
    parser.add_argument("--no-freeze", action="store_true", help="skip gc.freeze()")
    parser.add_argument("--png", default=None, help="write each PDF to this folder")
    args = parser.parse_args(argv)

    from app import create_app
    from app.reports.pdf import freeze_after_startup, render_pdf
    from config import TestConfig

    with tempfile.TemporaryDirectory() as tmp:

        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/render.sqlite"

        app = create_app(Config)
        with app.app_context():
            from app.extensions import db

            db.create_all()
            result = app.test_cli_runner().invoke(args=["demo"])
        if result.exit_code != 0:
            print(result.output, repr(result.exception), file=sys.stderr)
            return 1
        docs = build_documents(app)
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
