"""Render the demo's documents with two checkouts, interleaved, and compare time and pixels.

Run from the repository root (the baseline is any other checkout, e.g. a git worktree)::

    git worktree add --detach ../render-base f845dd7
    /work/main/.venv/bin/python -m tests.benchmarks.render_ab --baseline ../render-base \
        [--current .] [--n 15] [--freeze production|both|none] [--png DIR] [--mixed]

Each checkout gets its own worker process, started in that checkout so that its own `app`
is imported: the worker loads the demo (`flask demo`) into a throwaway SQLite database, builds
the readiness report, coaching plan and interview guide once, renders each once to warm up
(counting its pages), and then renders on request. This process asks the two workers in turn,
alternating which goes first, so both see the same machine load, one document at a time: n
renders of the readiness report in each checkout, then of the plan, then of the guide.

With --mixed each round renders all three instead, the rotation used before 2026-12-01 (the
set-up is not quite the old one: it also renders the shared-chapters row, below, once). A
checkout's full garbage collections then come round at the same point of the rotation and fall
on the same document round after round, so which document's figures carry them, and how much
the others gain, depends on how many documents there are (docs/decisions.md, "Issue 14 — The
guide's last tables, float containment, and measuring renders like for like").

Per document it prints the pages in each checkout (pdfinfo, from poppler-utils, counts them),
the median render time of each and the change, the change in median CPU time, the change in
mean CPU time (a full collection falls on some renders and not others: the median follows
the larger group, the mean shares the collections out, and a checkout without `gc.freeze()`
pays far more for each), and the change in median CPU time a page.
`--freeze production` runs `gc.freeze()` after start-up where the checkout's production does
(it has `app.reports.pdf.freeze_after_startup`); `both` and `none` force it either way, to
separate what freezing saves from what the code saves.

Documents grow between checkouts as the product does: the guide gained the rater guide's
chapter after f845dd7. When one checkout's guide has chapters the other's has not, one more
row renders each guide without them ("guide, shared chapters"), so the renderer is also
compared on the same pages; chapters are matched by their `<h2>` heading. It is measured last.

With --png DIR it also writes each checkout's PDFs to DIR, turns every page into a PNG at 80 dpi
with pdftoppm and reports, per page, the share of pixels that differ and the largest colour
difference, so a change that should not alter the look can be checked (and looked at).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DOCUMENTS = ("readiness", "coaching plan", "interview guide")
HERE = Path(__file__).resolve()
GUIDE = "interview guide"
SHARED_GUIDE = "guide, shared chapters"
_SECTION = re.compile(r"<section\b[^>]*>\s*<h2\b[^>]*>(.*?)</h2>.*?</section>", re.S)


def _stem(name: str) -> str:
    """A document's name as a file name: "guide, shared chapters" -> "guide-shared-chapters"."""
    return re.sub(r"\W+", "-", name)


def _heading(inner_html: str) -> str:
    """A heading's text: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", inner_html).split())


def without_new_chapters(html: str, reference: str) -> str:
    """`html` without the sections whose `<h2>` heading no section of `reference` has."""
    known = {_heading(match.group(1)) for match in _SECTION.finditer(reference)}
    return _SECTION.sub(
        lambda match: match.group(0) if _heading(match.group(1)) in known else "", html
    )


# --- the worker: runs inside one checkout ----------------------------------------------------


def _build(app: Any) -> dict[str, Any]:
    """The demo's first scored readiness report, first issued plan and first published guide,
    through whichever document API the checkout has (the builders moved after f845dd7)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Assessment, CoachingPlan, RoleVersion
    from app.reports import documents

    try:  # the builders one module per document, built for an audience
        from app.models.loaders import load_assessment_for_report, load_plan_for_document
        from app.reports import coaching_plan, guide, readiness

        def readiness_doc(a: Any) -> Any:
            return readiness.readiness_document(a, documents.OPERATOR)

        def plan_doc(p: Any) -> Any:
            return coaching_plan.plan_document(p, documents.OPERATOR)

        def guide_doc(v: Any) -> Any:
            return guide.interview_guide_document(v, documents.OPERATOR)

    except ImportError:  # f845dd7: every builder in documents.py, one audience
        load_assessment_for_report = documents.load_assessment
        load_plan_for_document = documents.load_plan
        readiness_doc = documents.readiness_document
        plan_doc = documents.plan_document
        guide_doc = documents.interview_guide_document

    docs: dict[str, Any] = {}
    with app.app_context():
        for assessment_id in db.session.scalars(select(Assessment.id).order_by(Assessment.id)):
            assessment = load_assessment_for_report(assessment_id)
            if assessment is not None and documents.is_scored(assessment):
                docs["readiness"] = readiness_doc(assessment)
                break
        plan_id = db.session.scalar(
            select(CoachingPlan.id)
            .where(CoachingPlan.status == "issued")
            .order_by(CoachingPlan.id)
            .limit(1)
        )
        docs["coaching plan"] = plan_doc(load_plan_for_document(plan_id))
        version = db.session.scalars(
            select(RoleVersion).where(RoleVersion.status == "published").order_by(RoleVersion.id)
        ).first()
        docs["interview guide"] = guide_doc(version)
    return docs


@contextlib.contextmanager
def demo_app(*demo_args: str) -> Iterator[Any]:
    """An app over a throwaway SQLite database with `flask demo` loaded (extra arguments are
    passed on), or None, with the reason on stderr, if the demo fails; the file goes at exit.

    Shared by the document benchmarks (render, render_ab, prerender, shortlist_pdf); this module
    imports nothing else of the tests so that it runs unchanged inside an older checkout."""
    import tempfile

    from app import create_app
    from config import TestConfig

    with tempfile.TemporaryDirectory() as tmp:

        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/demo.sqlite"

        app = create_app(Config)
        with app.app_context():
            from app.extensions import db

            db.create_all()
            result = app.test_cli_runner().invoke(args=["demo", *demo_args])
        if result.exit_code != 0:
            print(result.output, repr(result.exception), file=sys.stderr)
            yield None
        else:
            yield app


def demo_documents() -> dict[str, Any] | None:
    """The three documents' HTML, built from the demo with the checkout on the import path
    (None if the demo fails)."""
    with demo_app() as app:
        return None if app is None else _build(app)


def page_count(data: bytes) -> int:
    """How many pages a PDF has, as pdfinfo reads it."""
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
    match = re.search(rb"^Pages:\s+(\d+)", info, re.M)
    assert match is not None, info
    return int(match.group(1))


def worker(checkout: Path, freeze: str) -> int:
    """Load the demo, build the documents, then answer requests read from stdin: render a
    document (`document`), give its HTML (`html_of`), or take more HTML to render (`add`)."""
    import gc

    sys.path.insert(0, str(checkout))
    os.chdir(checkout)
    from app.reports import pdf

    docs = demo_documents()
    if docs is None:
        return 1
    frozen = freeze == "both" or (freeze == "production" and hasattr(pdf, "freeze_after_startup"))
    if frozen:
        gc.collect()
        gc.freeze()
    pages = {  # the warm-up render (fonts, stylesheet, caches) also counts the pages
        name: page_count(pdf.render_pdf(doc.html, title=doc.title, author=doc.author))
        for name, doc in docs.items()
    }
    print(json.dumps({"ready": True, "frozen": frozen, "pages": pages}), flush=True)
    renders = {name: (doc.html, doc.title, doc.author) for name, doc in docs.items()}
    for line in sys.stdin:
        request = json.loads(line)
        if "html_of" in request:  # the driver reads a document's HTML
            print(json.dumps({"html": renders[request["html_of"]][0]}), flush=True)
            continue
        if "add" in request:  # more HTML to render, with another document's title and author
            _html, title, author = renders[request["like"]]
            renders[request["add"]] = (request["html"], title, author)
            data = pdf.render_pdf(request["html"], title=title, author=author)
            print(json.dumps({"pages": page_count(data)}), flush=True)
            continue
        html, title, author = renders[request["document"]]
        start, cpu = time.perf_counter(), time.process_time()
        data = pdf.render_pdf(html, title=title, author=author)
        elapsed = (time.perf_counter() - start) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        if request.get("write"):
            Path(request["write"]).write_bytes(data)
        print(json.dumps({"ms": elapsed, "cpu_ms": cpu_ms}), flush=True)
    return 0


# --- the driver ------------------------------------------------------------------------------


class Worker:
    """One checkout's worker process, asked for one thing at a time (see `worker`)."""

    def __init__(self, checkout: Path, freeze: str) -> None:
        self.checkout = checkout
        self.pages: dict[str, int] = {}
        env = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONHASHSEED": "0"}
        self.process = subprocess.Popen(
            [sys.executable, str(HERE), "--worker", str(checkout), "--freeze", freeze],
            cwd=checkout,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        if request is not None:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker for {self.checkout} stopped")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ready(self) -> dict[str, Any]:
        """Wait until the demo is loaded and every document rendered once."""
        answer = self._ask()
        self.pages = {name: int(n) for name, n in answer["pages"].items()}
        return answer

    def html_of(self, document: str) -> str:
        """The HTML this checkout builds for `document`."""
        return str(self._ask({"html_of": document})["html"])

    def add(self, name: str, html: str, like: str) -> None:
        """Give the worker more HTML to render as `name`, titled as `like`."""
        self.pages[name] = int(self._ask({"add": name, "html": html, "like": like})["pages"])

    def render(self, document: str, write: Path | None = None) -> tuple[float, float]:
        """Milliseconds one render of `document` took inside the worker: wall clock and CPU."""
        request: dict[str, Any] = {"document": document}
        if write is not None:
            request["write"] = str(write)
        answer = self._ask(request)
        return float(answer["ms"]), float(answer["cpu_ms"])

    def close(self) -> None:
        """End the worker by closing its input."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def compare_pngs(folder: Path, names: tuple[str, ...] = DOCUMENTS) -> list[str]:
    """Per document and page: share of differing pixels and the largest channel difference."""
    from PIL import Image, ImageChops

    lines = []
    for name in names:
        stem = _stem(name)
        pages: dict[str, list[Path]] = {}
        for side in ("baseline", "current"):
            prefix = folder / f"{stem}-{side}"
            subprocess.run(
                ["pdftoppm", "-r", "80", "-png", f"{prefix}.pdf", str(prefix)], check=True
            )
            pages[side] = sorted(folder.glob(f"{stem}-{side}-*.png"))
        base, new = pages["baseline"], pages["current"]
        if len(base) != len(new):
            lines.append(f"{name}: {len(base)} pages before, {len(new)} after")
        for number, (a, b) in enumerate(zip(base, new, strict=False), start=1):
            left, right = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
            if left.size != right.size:
                lines.append(f"{name} page {number}: sizes differ {left.size} {right.size}")
                continue
            diff = ImageChops.difference(left, right)
            grey = diff.convert("L")
            changed = sum(grey.histogram()[1:])
            share = changed / (grey.width * grey.height)
            largest = max(high for _low, high in diff.getextrema())
            lines.append(
                f"{name} page {number}: {share:7.3%} of pixels differ, largest difference"
                f" {largest}/255"
            )
    return lines


def _shared_guide(baseline: Worker, current: Worker) -> tuple[str, ...]:
    """Set up the "shared chapters" row when one checkout's guide has chapters the other's has
    not: each renders its guide without the chapters only it has. Returns the row's name, or
    nothing when the chapters are the same."""
    base_html, current_html = baseline.html_of(GUIDE), current.html_of(GUIDE)
    shared_base = without_new_chapters(base_html, current_html)
    shared_current = without_new_chapters(current_html, base_html)
    if (shared_base, shared_current) == (base_html, current_html):
        return ()
    baseline.add(SHARED_GUIDE, shared_base, like=GUIDE)
    current.add(SHARED_GUIDE, shared_current, like=GUIDE)
    return (SHARED_GUIDE,)


def main(argv: list[str] | None = None) -> int:
    """Start both workers, alternate renders, print medians and the change per document."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help="the checkout to compare against")
    parser.add_argument("--current", type=Path, default=Path.cwd(), help="default: here")
    parser.add_argument("--n", type=int, default=15, help="renders per document per checkout")
    parser.add_argument("--freeze", choices=("production", "both", "none"), default="production")
    parser.add_argument("--png", type=Path, default=None, help="write PDFs and PNGs here")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="the three documents in one rotation (before 2026-12-01)",
    )
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker.resolve(), args.freeze)
    if args.baseline is None:
        parser.error("--baseline is required")

    sides = {"baseline": args.baseline.resolve(), "current": args.current.resolve()}
    workers = {side: Worker(path, args.freeze) for side, path in sides.items()}
    try:
        for side, w in workers.items():
            print(f"{side}: {w.checkout} {w.ready()}", flush=True)
        names = DOCUMENTS + _shared_guide(workers["baseline"], workers["current"])
        if args.png:
            args.png.mkdir(parents=True, exist_ok=True)
            for name in names:
                for side, w in workers.items():
                    w.render(name, write=args.png / f"{_stem(name)}-{side}.pdf")
        times: dict[str, dict[str, list[float]]] = {
            name: {side: [] for side in sides} for name in names
        }
        cpu: dict[str, dict[str, list[float]]] = {
            name: {side: [] for side in sides} for name in names
        }
        order = list(sides)
        # One document at a time by default (see the module's docstring): in a rotation of
        # several, a checkout's full collections fall on the same document round after round.
        rotations = (
            [DOCUMENTS, names[len(DOCUMENTS) :]] if args.mixed else [(name,) for name in names]
        )
        for rotation in filter(None, rotations):  # --mixed without a shared row: one rotation
            for i in range(args.n):
                for name in rotation:
                    for side in order if i % 2 == 0 else reversed(order):
                        wall_ms, cpu_ms = workers[side].render(name)
                        times[name][side].append(wall_ms)
                        cpu[name][side].append(cpu_ms)
    finally:
        for w in workers.values():
            w.close()

    print(f"\nmedians (and mean CPU) of n={args.n} renders each; CPU is the process's own time")
    print(
        f"{'document':22} {'pages':>7} {'baseline':>9} {'current':>9} {'change':>8}"
        f"  {'CPU change':>10}  {'CPU mean':>8}  {'CPU a page':>10}"
    )
    for name in names:
        before = statistics.median(times[name]["baseline"])
        after = statistics.median(times[name]["current"])
        cpu_before = statistics.median(cpu[name]["baseline"])
        cpu_after = statistics.median(cpu[name]["current"])
        mean_before = statistics.fmean(cpu[name]["baseline"])
        mean_after = statistics.fmean(cpu[name]["current"])
        pages_before = workers["baseline"].pages[name]
        pages_after = workers["current"].pages[name]
        per_page = (cpu_after / pages_after) / (cpu_before / pages_before) - 1
        print(
            f"{name:22} {pages_before:>3}→{pages_after:<3} {before:7.0f}ms {after:7.0f}ms"
            f" {(after - before) / before:+8.1%}  {(cpu_after - cpu_before) / cpu_before:+10.1%}"
            f"  {(mean_after - mean_before) / mean_before:+8.1%}  {per_page:+10.1%}"
        )
    if args.png:
        print()
        print("\n".join(compare_pngs(args.png, names)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
