"""Document timings of the load benchmark: change something through the web, then download.

With `flask worker` running, each timing makes a change a document shows (a decision, an
interview submitted, a progress review) the way a person does, waits `wait` seconds (the time
a person takes to reach the download link), then downloads the affected document: the first
download, and the same download again. A busy answer (503, Retry-After) is retried within
bounds. Last, a bulk export of `export_size` documents is timed from pressing the button to
the ZIP being ready. Every loop is bounded in count and time.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from typing import Any

from tests.benchmarks.web import Client, Form, Reply, csrf_token, fill, forms_of

FIRST_DOWNLOAD_LIMIT = 120.0  # seconds, over every attempt
MAX_ATTEMPTS = 60
REPEATS = 3


@dataclass
class DocRow:
    """One document timing."""

    document: str
    change: str
    first_ms: float | None = None  # the request that returned the document
    since_change_s: float | None = None  # from the change being saved to the document in hand
    attempts: int = 0
    repeat_ms: float | None = None
    note: str = ""


class ChangeFailed(RuntimeError):
    """The change could not be made through the web (the page or form was not as expected)."""


def _form_with(html: str, field_prefix: str) -> Form:
    for form in forms_of(html):
        if form.method == "post" and any(n.startswith(field_prefix) for n, _ in form.fields):
            return form
        if form.method == "post" and any(n.startswith(field_prefix) for n in form.radios):
            return form
    raise ChangeFailed(f"no form with a field {field_prefix!r} on the page")


def _post(client: Client, page: str, form: Form, values: dict[str, str]) -> float:
    """Send a form; returns when the change is saved (a redirect), else raises."""
    reply = client.request("POST", form.action or page, fill(form, values))
    if reply.status != 302:
        raise ChangeFailed(f"POST {form.action or page} answered {reply.status}, not a redirect")
    return time.monotonic()


def record_decision(cpo: Client, assessment_id: int) -> float:
    """The CPO puts a candidate on hold, with a rationale."""
    page = f"/assessments/{assessment_id}/decision"
    form = _form_with(cpo.get(page).text, "rationale")
    return _post(
        cpo,
        page,
        form,
        {"decision": "on-hold", "rationale": "On hold until the second round of interviews."},
    )


def submit_interview(interviewer: Client, interview_id: int) -> float:
    """The interviewer submits their completed draft from the kit."""
    page = f"/interviews/{interview_id}"
    form = _form_with(interviewer.get(page).text, "rating-")
    return _post(interviewer, page, form, {"action": "submit"})


def record_review_or_tick(cpo: Client, hr: Client, assessment_id: int) -> tuple[float, str]:
    """A progress review of the plan when a checkpoint is due, else an induction item ticked."""
    page = f"/assessments/{assessment_id}/reviews/new"
    html = cpo.get(page).text
    forms = [f for f in forms_of(html) if f.method == "post"]
    review = next(
        (
            f
            for f in forms
            if "checkpoint_day" in f.radios or any(n == "checkpoint_day" for n, _ in f.fields)
        ),
        None,
    )
    if review is not None:
        values = {"notes": "Steady progress; keep the load plan."}
        if not dict(review.fields).get("actual_load_share"):
            values["actual_load_share"] = "40"
        return _post(cpo, page, review, values), "progress review recorded (CPO)"
    page = f"/assessments/{assessment_id}/induction"
    ticks = [f for f in forms_of(hr.get(page).text) if f.method == "post" and "/tick" in f.action]
    if not ticks:
        raise ChangeFailed("no checkpoint due for a review and no induction item left to tick")
    return _post(hr, page, ticks[0], {}), "induction item ticked (HR; no checkpoint due)"


def _is_document(reply: Reply) -> bool:
    return reply.status == 200 and ("pdf" in reply.content_type or "zip" in reply.content_type)


def download(client: Client, path: str, row: DocRow, changed_at: float) -> None:
    """The first download after the change (retrying a busy answer), then the same again."""
    began = time.monotonic()
    reply = None
    while row.attempts < MAX_ATTEMPTS and time.monotonic() - began < FIRST_DOWNLOAD_LIMIT:
        row.attempts += 1
        reply = client.get(path)
        if _is_document(reply):
            row.first_ms = reply.seconds * 1000
            row.since_change_s = time.monotonic() - changed_at
            break
        if reply.status != 503:
            row.note = f"HTTP {reply.status} {reply.content_type}"
            return
        time.sleep(min(float(reply.retry_after or 1), 2.0))
    if row.first_ms is None:
        row.note = f"no document after {row.attempts} attempts (last HTTP {reply and reply.status})"
        return
    if row.attempts > 1:
        row.note = f"{row.attempts - 1} busy answer(s) (503) first"
    repeats = [client.get(path) for _ in range(REPEATS)]
    row.repeat_ms = statistics.median(r.seconds * 1000 for r in repeats if _is_document(r))


def bulk_export(hr: Client, size: int, skip: set[str], limit: float) -> DocRow:
    """Tick `size` documents in the download centre and time start -> ZIP ready."""
    row = DocRow(f"bulk export of {size} readiness reports (ZIP)", "none (press Download)")
    # The download centre shows a page at a time: tick readiness reports page after page.
    refs: list[str] = []
    page = 1
    while len(refs) < size:
        html = hr.get(f"/reports?kind=readiness&page={page}").text
        found = re.findall(r'name="documents" type="checkbox" value="([^"]+)"', html)
        refs += [r for r in found if r.startswith("readiness:") and r not in skip and r not in refs]
        if 'rel="next"' not in html:
            break
        page += 1
    refs = refs[:size]
    if len(refs) < size:
        row.note = f"only {len(refs)} documents listed"
    began = time.monotonic()
    form = [("csrf_token", csrf_token(html)), *(("documents", r) for r in refs)]
    reply = hr.request("POST", "/reports", form)
    if _is_document(reply):
        row.first_ms, row.since_change_s = reply.seconds * 1000, time.monotonic() - began
        return row
    match = re.search(r"/reports/exports/(\d+)", reply.location)
    if reply.status != 302 or match is None:
        row.note = f"the export did not start: HTTP {reply.status}"
        return row
    job = match.group(1)
    polls = 0
    while time.monotonic() - began < limit and polls < int(limit * 4):
        polls += 1
        got = hr.get(f"/reports/exports/{job}/download")
        if _is_document(got):
            row.since_change_s = time.monotonic() - began
            row.note = f"ZIP of {len(got.body) / 1e6:.1f} MB"
            return row
        if polls % 10 == 0 and "Failed" in hr.get(f"/reports/exports/{job}").text:
            row.note = "the export failed"
            return row
        time.sleep(0.25)
    row.note = f"no ZIP after {limit:.0f} s"
    return row


def measure(
    clients: dict[str, Client],
    state: dict[str, Any],
    wait: float,
    export_size: int,
    export_limit: float,
) -> list[DocRow]:
    """Every document timing, in order; a change that cannot be made is reported, not fatal."""
    cpo, hr, tom = clients["cpo"], clients["hr"], clients["interviewer"]
    rows: list[DocRow] = []
    readiness = "/reports/assessments/{}/readiness-report.pdf"
    shortlist = (
        f"/reports/streams/{state['big_stream_id']}/roles/{state['version_id']}/shortlist.pdf"
    )
    n_big = state["big_stream_candidates"]

    def timed(
        document: str, change: str, make: Any, downloads: list[tuple[Client, str, str]]
    ) -> None:
        try:
            changed_at = make()
        except ChangeFailed as exc:
            rows.append(DocRow(document, change, note=f"change failed: {exc}"))
            return
        if isinstance(changed_at, tuple):
            changed_at, change = changed_at
        time.sleep(wait)
        for index, (client, path, label) in enumerate(downloads):
            row = DocRow(label if index else document, change if not index else "(same change)")
            download(client, path, row, changed_at)
            rows.append(row)

    for number, assessment_id in enumerate(state["decide"], start=1):
        docs = [(cpo, readiness.format(assessment_id), "readiness report (CPO)")]
        if number == 1:
            docs.append((cpo, shortlist, f"shortlist of {n_big} (CPO)"))
        timed(
            "readiness report (CPO)",
            "decision recorded (CPO)",
            lambda a=assessment_id: record_decision(cpo, a),
            docs,
        )
    for item in state["submit"]:
        timed(
            "readiness report (CPO)",
            "interview submitted (interviewer)",
            lambda i=item["interview_id"]: submit_interview(tom, i),
            [(cpo, readiness.format(item["assessment_id"]), "readiness report (CPO)")],
        )
    plan = state.get("plan")
    if plan:
        timed(
            "coaching plan (HR)",
            "progress review",
            lambda: record_review_or_tick(cpo, hr, plan["assessment_id"]),
            [(hr, f"/reports/plans/{plan['plan_id']}/coaching-plan.pdf", "coaching plan (HR)")],
        )
    touched = {f"readiness:{a}" for a in state["decide"]}
    touched |= {f"readiness:{i['assessment_id']}" for i in state["submit"]}
    rows.append(bulk_export(hr, export_size, touched, export_limit))
    return rows
