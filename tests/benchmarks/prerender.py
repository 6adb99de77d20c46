"""Time document downloads right after a change, with documents rendered ahead and without.

Run from the repository root::

    /work/main/.venv/bin/python -m tests.benchmarks.prerender [--repeat 20]

Loads the demo (`flask demo`) into a throwaway SQLite database and signs in through a Flask
test client. For the demo's first issued coaching plan, scored readiness report, shortlist and
interview guide it makes a change the document shows (an induction item ticked by the exec on
the page, a decision rationale or the exec's current role edited) and then times, in the same
process:

- the first download after the change, once with documents rendered ahead (tasks run at once,
  as a worker that has caught up) and once without (today's render in the request);
- the same download repeated (median of --repeat).

It counts renders, so a "cache hit" below means no render happened in the request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from tests.benchmarks.render_ab import demo_app

PASSWORD = "streamlead-demo"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return (time.perf_counter() - start) * 1000, value


def main(argv: list[str] | None = None) -> int:
    """Load the demo, change each document, print first and repeat download times."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="repeat downloads per document")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]

    from sqlalchemy import select

    from app.extensions import db
    from app.models import (
        Assessment,
        CoachingPlan,
        ExecProfile,
        InductionTask,
        Interview,
        RoleVersion,
    )
    from app.reports import pdf as pdf_module
    from app.reports import prerender

    renders: list[str] = []
    real_render = pdf_module.render_pdf

    def counting(html: str, *, title: str, author: str, fetcher: Any = None) -> bytes:
        renders.append(title)
        return real_render(html, title=title, author=author, fetcher=fetcher)

    pdf_module.render_pdf = counting  # type: ignore[assignment]

    with demo_app("--password", PASSWORD) as app:
        if app is None:
            return 1
        with app.app_context():
            plan = db.session.scalars(
                select(CoachingPlan)
                .where(CoachingPlan.status == "issued")
                .order_by(CoachingPlan.id)
            ).first()
            assert plan is not None
            exec_email = plan.assessment.candidate.email
            plan_id, plan_assessment = plan.id, plan.assessment_id
            scored = db.session.scalars(
                select(Interview.assessment_id)
                .where(Interview.status == "submitted")
                .order_by(Interview.assessment_id)
            ).first()
            assessment = db.session.get(Assessment, scored)
            assert assessment is not None and assessment.value_stream_id is not None
            stream_id, version_id = assessment.value_stream_id, assessment.role_version_id
            guide_version = db.session.scalars(
                select(RoleVersion.id)
                .where(RoleVersion.status == "published")
                .order_by(RoleVersion.id)
            ).first()

        urls = {
            "coaching plan": f"/reports/plans/{plan_id}/coaching-plan.pdf",
            "readiness report": f"/reports/assessments/{scored}/readiness-report.pdf",
            "shortlist": f"/reports/streams/{stream_id}/roles/{version_id}/shortlist.pdf",
            "interview guide": f"/reports/roles/{guide_version}/interview-guide.pdf",
        }
        staff = app.test_client()
        staff.post("/login", data={"email": "cpo@example.org", "password": PASSWORD})
        execs = app.test_client()
        execs.post("/login", data={"email": exec_email, "password": PASSWORD})

        def tick_next_item() -> None:
            """The exec ticks an induction item on the page (changes their plan)."""
            with app.app_context():
                task = db.session.scalars(
                    select(InductionTask)
                    .join(InductionTask.checklist)
                    .where(InductionTask.done.is_(False))
                    .where(InductionTask.checklist.has(assessment_id=plan_assessment))
                    .order_by(InductionTask.position)
                ).first()
                assert task is not None, "no induction item left to tick"
                task_id = task.id
            response = execs.post(
                f"/assessments/{plan_assessment}/induction/tasks/{task_id}/tick",
                data={f"task-{task_id}-note": "Done"},
            )
            assert response.status_code == 302, response.status_code

        def edit_rationale() -> None:
            """The CPO edits the decision rationale (changes the report and the shortlist)."""
            with app.app_context():
                row = db.session.get(Assessment, scored)
                assert row is not None
                row.decision_rationale = f"Rationale {time.perf_counter()}"
                db.session.commit()

        def edit_profile() -> None:
            """The exec's current role is edited (shows on the report and the shortlist)."""
            with app.app_context():
                row = db.session.get(Assessment, scored)
                assert row is not None
                profile = db.session.get(ExecProfile, row.candidate_id)
                assert profile is not None
                profile.current_role = f"Director {time.perf_counter():.6f}"
                db.session.commit()

        changes: dict[str, Callable[[], None]] = {
            "coaching plan": tick_next_item,
            "readiness report": edit_rationale,
            "shortlist": edit_profile,
        }

        def download(url: str) -> float:
            ms, response = _timed(lambda: staff.get(url))
            assert response.status_code == 200, (url, response.status_code)
            return ms

        rows: list[tuple[str, ...]] = []
        for name, url in urls.items():
            measured: dict[bool, tuple[float, int, float, float]] = {}
            for ahead in (False, True):
                app.config["PDF_PRERENDER"] = ahead
                if ahead:  # the worker after a deploy: every document current
                    with app.app_context():
                        for ref in prerender.all_refs():
                            prerender.render_ref(ref)
                            db.session.commit()
                download(url)  # warm: the first download of this kind in the process
                change = changes.get(name)
                worker_ms = 0.0
                if change is not None:
                    # With documents rendered ahead this includes the worker's renders.
                    worker_ms, _ = _timed(change)
                before = len(renders)
                first = download(url)
                in_request = len(renders) - before
                repeat = statistics.median(download(url) for _ in range(args.repeat))
                measured[ahead] = (first, in_request, repeat, worker_ms)
            today_first, today_renders, _, _ = measured[False]
            first, in_request, repeat, worker_ms = measured[True]
            rows.append(
                (
                    name,
                    f"{today_first:.0f} ms ({today_renders} render)"
                    if name in changes
                    else "(no change made)",
                    f"{first:.1f} ms ({'cache hit' if in_request == 0 else 'rendered'})",
                    f"{repeat:.1f} ms",
                    f"{worker_ms:.0f} ms" if name in changes else "",
                )
            )

    load = os.getloadavg()
    print(f"Load average before/after: {load_before:.1f} / {load[0]:.1f} (2 cores)")
    print(
        "| document | first download after a change, rendered in the request (before)"
        " | same, rendered ahead (after) | repeat download (median)"
        " | the change's commit, with the worker's renders run in it |"
    )
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
