"""Benchmark the PDF documents: render through the app vs bare WeasyPrint, cache, bulk, memory.

Run from the repository root::

    .venv/bin/python -m tests.benchmarks.pdf            # writes docs/benchmarks.md
    .venv/bin/python -m tests.benchmarks.pdf --quick    # fewer repetitions, prints only

It builds its own throwaway SQLite database (or uses --database-url) with one value stream,
50 selected execs and an issued coaching plan each, then measures in one run on this machine:

1. the coaching plan rendered through the app (HTTP request, data loading, templates, cache
   miss, render, cache store) against bare WeasyPrint on the same final HTML;
2. the same plan served again when nothing changed (a cache hit);
3. a bulk export of the 50 plans, with the CPU time of all processes over the wall time
   (about 2.0 means both cores were busy);
4. the resident memory of one process before and after 200 renders through the app.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

PASSWORD = "benchmark-password-123"  # a throwaway benchmark database
PLANS = 50
TARGET_RATIO = 1.3
TARGET_CACHE_MS = 20.0
TARGET_RSS_MB = 100.0


def _rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def machine_description() -> str:
    """CPU model, cores, memory and kernel, for the benchmark reports."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            kb = int(info.readline().split()[1])
            memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


@dataclass
class Results:
    """Every figure the benchmark measures."""

    app_render: list[float] = field(default_factory=list)
    bare_same_options: list[float] = field(default_factory=list)
    bare_default: list[float] = field(default_factory=list)
    html_build: list[float] = field(default_factory=list)
    cache_hit: list[float] = field(default_factory=list)
    pages: int = 0
    pdf_kb: int = 0
    bulk_wall: float = 0.0
    bulk_cpu: float = 0.0
    bulk_processes: int = 0
    rss_before: float = 0.0
    rss_after: float = 0.0
    rss_renders: int = 0
    load_before: float = 0.0
    load_after: float = 0.0
    notes: list[str] = field(default_factory=list)


def build_data(app: Any) -> list[int]:
    """One value stream, 50 execs selected with scored interviews and an issued plan each."""
    from app.auth import services as accounts
    from app.coaching import plans
    from app.extensions import db
    from app.induction import services as inductions
    from app.models import (
        Assessment,
        CoachingPlan,
        ExecProfile,
        Interview,
        InterviewRating,
        ProgressReview,
        SelfAssessment,
        SelfRating,
        ValueStream,
    )
    from app.roles import lifecycle
    from assessments.role_files import load_default_role

    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        cpo = accounts.create_user("cpo@bench.example", "Priya Raman", "cpo", PASSWORD)
        accounts.create_user("hr@bench.example", "Hannah Price", "hr", PASSWORD)
        panel = [
            accounts.create_user(f"panel{i}@bench.example", f"Panel Member {i}", "interviewer")
            for i in (1, 2)
        ]
        version = lifecycle.add_version(load_default_role(), publish=True, actor=cpo)
        stream = ValueStream(
            name="Home buying",
            journey="From first search to getting the keys",
            business_owner="Retail lending",
            functions=list(version.role.functions),
            hats={"product": "Ana Ortiz", "engineering": "Raj Patel"},
        )
        db.session.add(stream)
        template = inductions.ensure_default_template(cpo)
        start = date.today() - timedelta(days=40)
        plan_ids = []
        for n in range(PLANS):
            person = accounts.create_user(f"exec{n}@bench.example", f"Executive {n:02d}", "exec")
            db.session.add(
                ExecProfile(
                    user_id=person.id,
                    current_role="Director of Operations",
                    business_area="Retail",
                    experience={"Product management": "some", "Commercial and P&L": "deep"},
                )
            )
            assessment = Assessment(candidate=person, role_version=version, value_stream=stream)
            db.session.add(assessment)
            sa = SelfAssessment(assessment=assessment, status="submitted", submitted_at=now)
            for i, c in enumerate(version.role.competencies):
                sa.ratings.append(SelfRating(competency_key=c.key, level=min(4, 2 + (i + n) % 3)))
            db.session.add(sa)
            for j, member in enumerate(panel):
                interview = Interview(
                    assessment=assessment,
                    interviewer=member,
                    status="submitted",
                    submitted_at=now,
                    recommendation="yes",
                )
                for i, c in enumerate(version.role.competencies):
                    level = max(1, c.required_level - (i + j + n) % 3)
                    interview.ratings.append(InterviewRating(competency_key=c.key, level=level))
                db.session.add(interview)
            assessment.decision = "selected"
            assessment.decided_at = now
            db.session.flush()
            checklist = inductions.create_checklist(assessment, start, template, cpo)
            for task in checklist.tasks[:6]:
                task.done = True
            plan = CoachingPlan(
                assessment=assessment,
                number=1,
                status="issued",
                start_date=start,
                content=plans.build_plan_content(assessment, mentor_name=cpo.name),
                issued_at=now,
                issued_by=cpo,
            )
            db.session.add(plan)
            db.session.flush()
            db.session.add(
                ProgressReview(
                    plan=plan,
                    checkpoint_day=30,
                    held_on=start + timedelta(days=30),
                    ratings={g["key"]: g["target_level"] for g in plan.content["goals"][:1]},
                    actual_load_share=55,
                    closed_share=0.2,
                    notes="Settling in well; the P&L walkthrough is done.",
                    decision="continue",
                    rationale="On track.",
                    reviewer=cpo,
                    decided_at=now,
                )
            )
            plan_ids.append(plan.id)
        db.session.commit()
    return plan_ids


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _clear_cache(app: Any) -> None:
    from sqlalchemy import delete

    from app.extensions import db
    from app.models import RenderedDocument

    with app.app_context():
        db.session.execute(delete(RenderedDocument))
        db.session.commit()


def measure(app: Any, plan_ids: list[int], *, repeats: int, renders: int, bulk: bool) -> Results:
    """Run every measurement; see the module docstring."""
    import io

    import weasyprint
    from pypdf import PdfReader

    from app.extensions import db
    from app.models.loaders import load_plan_for_document
    from app.reports import coaching_plan, documents
    from app.reports.pdf import PDF_VARIANT, STATIC_BASE_URL

    results = Results(load_before=os.getloadavg()[0])
    client = app.test_client()
    response = client.post("/login", data={"email": "hr@bench.example", "password": PASSWORD})
    assert response.status_code == 302, "benchmark sign-in failed"
    url = f"/reports/plans/{plan_ids[0]}/coaching-plan.pdf"

    with app.app_context():
        plan = load_plan_for_document(plan_ids[0])
        assert plan is not None
        html = coaching_plan.plan_document(plan, documents.OPERATOR).html
        for _ in range(repeats):
            db.session.expire_all()
            results.html_build.append(
                _timed(
                    lambda: coaching_plan.plan_document(
                        load_plan_for_document(plan_ids[0]),  # type: ignore[arg-type]
                        documents.OPERATOR,
                    )
                )
            )

    def app_render() -> None:
        got = client.get(url)
        assert got.status_code == 200 and got.data.startswith(b"%PDF"), got.status_code

    # Warm both paths (fonts, caches), then interleave so machine noise hits both alike.
    _clear_cache(app)
    app_render()
    weasyprint.HTML(string=html, base_url=STATIC_BASE_URL).write_pdf()

    def app_once() -> None:
        _clear_cache(app)
        results.app_render.append(_timed(app_render))

    def bare_same_once() -> None:
        results.bare_same_options.append(
            _timed(
                lambda: weasyprint.HTML(string=html, base_url=STATIC_BASE_URL).write_pdf(
                    pdf_variant=PDF_VARIANT
                )
            )
        )

    def bare_default_once() -> None:
        results.bare_default.append(
            _timed(lambda: weasyprint.HTML(string=html, base_url=STATIC_BASE_URL).write_pdf())
        )

    steps = [app_once, bare_same_once, bare_default_once]
    for i in range(repeats):
        # Rotate the order each round so no path always runs first or last.
        for step in steps[i % 3 :] + steps[: i % 3]:
            step()

    pdf = client.get(url).data
    results.pages = len(PdfReader(io.BytesIO(pdf)).pages)
    results.pdf_kb = len(pdf) // 1024
    for _ in range(max(repeats * 2, 20)):
        results.cache_hit.append(_timed(app_render))

    if bulk:
        _clear_cache(app)
        bulk_export(app, plan_ids, results)

    if renders:
        results.rss_renders = renders
        # Warm up first: fonts, WeasyPrint's caches and the allocator settle in a few renders.
        for i in range(5):
            _clear_cache(app)
            client.get(f"/reports/plans/{plan_ids[i % len(plan_ids)]}/coaching-plan.pdf")
        results.rss_before = _rss_mb()
        for i in range(renders):
            _clear_cache(app)
            got = client.get(f"/reports/plans/{plan_ids[i % len(plan_ids)]}/coaching-plan.pdf")
            assert got.status_code == 200
        results.rss_after = _rss_mb()
    results.load_after = os.getloadavg()[0]
    return results


def bulk_export(app: Any, plan_ids: list[int], results: Results) -> None:
    """Time a bulk export of every plan on a real worker: Huey's consumer with one forked
    process per core on a throwaway queue file, as `flask worker` runs it."""
    from app.extensions import db
    from app.models import ExportJob, User
    from app.queue import huey, storage_for
    from app.reports import exports
    from app.reports.tasks import queue_export

    saved = (huey.storage, huey._immediate)
    with tempfile.TemporaryDirectory() as tmp:
        storage_class, kwargs = storage_for(f"sqlite:///{tmp}/tasks.db")
        huey._immediate = False
        huey.storage = storage_class(huey.name, **kwargs)
        consumer = huey.create_consumer(
            workers=os.cpu_count() or 1, worker_type="process", periodic=False, max_delay=0.1
        )
        consumer.start()  # forks the workers from this warmed-up process
        pids = [process.pid for _worker, process in consumer.worker_threads]
        results.bulk_processes = len(pids)
        try:
            with app.app_context():
                hr = db.session.query(User).filter_by(email="hr@bench.example").one()
                job = exports.create_export(hr, [f"plan:{i}" for i in plan_ids])
                job_id = job.id
                child_before = sum(_cpu_seconds(pid) for pid in pids)
                own_before = time.process_time()
                wall_start = time.perf_counter()
                queue_export(job_id)
                db.session.commit()
                exports.wait_for_export(job_id, timeout=600)
                results.bulk_wall = time.perf_counter() - wall_start
                child_after = sum(_cpu_seconds(pid) for pid in pids)
                results.bulk_cpu = (child_after - child_before) + (time.process_time() - own_before)
                finished = db.session.get(ExportJob, job_id)
                assert finished is not None and finished.status == "done", finished.error
        finally:
            consumer.stop(graceful=True)
            huey.storage.close()
            huey.storage, huey._immediate = saved


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def report(results: Results, command: str) -> str:
    """The figures as Markdown."""
    app_median = statistics.median(results.app_render)
    bare = statistics.median(results.bare_same_options)
    bare_default = statistics.median(results.bare_default)
    ratio = app_median / bare
    ratio_default = app_median / bare_default
    hit = statistics.median(results.cache_hit) * 1000
    hit_max = max(results.cache_hit) * 1000
    lines = [
        "# Benchmarks",
        "",
        "Figures from `tests/benchmarks/pdf.py`, all measured in one run on the same machine.",
        "",
        f"- Machine: {machine_description()}",
        f"- Python {platform.python_version()}, WeasyPrint {_weasyprint_version()},"
        f" measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Load average (1 min) when the run started and ended: {results.load_before:.2f} and"
        f" {results.load_after:.2f}; other work on the machine slows every row alike.",
        f"- Document: a coaching plan of {results.pages} pages ({results.pdf_kb} KB), with"
        " goals, load schedule, trade-offs, checkpoints, a 20-item induction checklist and a"
        " review; medians of "
        f"{len(results.app_render)} runs, app and bare WeasyPrint interleaved in rotating order.",
        "",
        "| measurement | result | target | met |",
        "| --- | --- | --- | --- |",
        f"| coaching plan rendered through the app (request, data, templates, render,"
        f" cache store) | {app_median * 1000:.0f} ms | | |",
        f"| bare WeasyPrint, same final HTML, same options (PDF/UA-1) | {bare * 1000:.0f} ms | | |",
        f"| app / bare, same options | {ratio:.2f}x | within {TARGET_RATIO}x |"
        f" {'yes' if ratio <= TARGET_RATIO else 'NO'} |",
        f"| bare WeasyPrint, same HTML, default options (no PDF/UA tagging) |"
        f" {bare_default * 1000:.0f} ms | | |",
        f"| app / bare, default options | {ratio_default:.2f}x | within {TARGET_RATIO}x |"
        f" {'yes' if ratio_default <= TARGET_RATIO else 'NO'} |",
        f"| of which building the HTML (queries and templates) | {_ms(results.html_build)} | | |",
        f"| unchanged plan served again (cache hit, whole request) | {hit:.1f} ms"
        f" (slowest {hit_max:.1f} ms of {len(results.cache_hit)}) | < {TARGET_CACHE_MS:.0f} ms |"
        f" {'yes' if hit < TARGET_CACHE_MS else 'NO'} |",
    ]
    if results.bulk_wall:
        usage = results.bulk_cpu / results.bulk_wall
        lines.append(
            f"| bulk export of {PLANS} plans ({results.bulk_processes} worker processes) |"
            f" {results.bulk_wall:.1f} s wall, {results.bulk_cpu:.1f} s CPU:"
            f" {usage:.2f} cores busy | both cores |"
            f" {'yes' if usage >= 1.6 else 'NO'} |"
        )
    if results.rss_renders:
        growth = results.rss_after - results.rss_before
        lines.append(
            f"| resident memory over {results.rss_renders} renders in one process |"
            f" {results.rss_before:.0f} MB to {results.rss_after:.0f} MB (+{growth:.0f} MB) |"
            f" < {TARGET_RSS_MB:.0f} MB growth | {'yes' if growth < TARGET_RSS_MB else 'NO'} |"
        )
    lines += [
        "",
        "How to read it:",
        "",
        "- *Through the app* is a full `GET` of the plan's PDF by a signed-in HR user with the"
        " cache emptied first: session check, queries, Jinja, WeasyPrint, storing the PDF.",
        "- *Bare WeasyPrint* is `weasyprint.HTML(string=html, base_url=static).write_pdf()` on"
        " the very HTML the app rendered. The app asks for PDF/UA-1 (tagged, accessible PDF),"
        " so the like-for-like comparison uses the same option; the default-options row shows"
        " what the tagging costs.",
        "- *Served again* is the same `GET` with the PDF in the cache: the HTML is still built"
        " (it is the cache key) but nothing is rendered.",
        "- *Bulk export* queues the export's tasks for a worker of one process per core, forked"
        " from the warmed-up benchmark process as `flask worker` forks them; CPU time is the"
        " worker processes' plus the benchmark process's (which only waits).",
        "- *Memory* is VmRSS of the benchmark process after 5 warm-up renders and after the"
        " renders, each a cache miss cycling through the 50 plans.",
        "",
        "Run it again with:",
        "",
        "```sh",
        ".venv/bin/python -m tests.benchmarks.pdf",
        "```",
        "",
        "Options: `--repeats N` (default 10), `--renders N` (default 200), `--no-bulk`,"
        " `--database-url URL` (default: a throwaway SQLite file), `--quick` (3 repeats, 20"
        " renders, print only), `--out FILE`.",
    ]
    lines += [f"- Note: {n}" for n in results.notes]
    return "\n".join(lines) + "\n"


def _weasyprint_version() -> str:
    import weasyprint

    return str(weasyprint.__version__)


def main(argv: list[str] | None = None) -> int:
    """Build the data, measure, print and (unless --quick) write docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--no-bulk", action="store_true")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=str(Path("docs") / "benchmarks.md"))
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.renders = 3, 20

    from app import create_app
    from config import TestConfig

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/benchmark.sqlite"

        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = url
            ORGANISATION_NAME = "Example Organisation"

        app = create_app(Config)
        print(f"Building {PLANS} plans in {url} ...", file=sys.stderr)
        plan_ids = build_data(app)
        print("Measuring ...", file=sys.stderr)
        results = measure(
            app, plan_ids, repeats=args.repeats, renders=args.renders, bulk=not args.no_bulk
        )
        if args.database_url:
            from app.extensions import db

            with app.app_context():
                db.drop_all()

    given = argv if argv is not None else sys.argv[1:]
    command = ".venv/bin/python -m tests.benchmarks.pdf " + " ".join(given)
    text = report(results, command.strip())
    print(text)
    if not args.quick:
        out = Path(args.out)
        # The load benchmark's section (written by hand from tests/benchmarks/load.py) stays.
        kept = out.read_text() if out.exists() else ""
        marker = "\n## Pages under load"
        tail = kept[kept.index(marker) :] if marker in kept else ""
        out.write_text(text.rstrip("\n") + "\n" + tail)
        print(f"Wrote {args.out}", file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(peak resident memory of this process: {peak:.0f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
