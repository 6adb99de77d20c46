"""The load benchmark's figures as Markdown, and their place in docs/benchmarks.md."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.load_documents import DocRow
from tests.benchmarks.wrk import WrkResult, bare_floor_message

SECTION = "## Pages under load (wrk)"
DATABASES = ("SQLite", "PostgreSQL")
SHARE_GOAL = 0.25  # issue 14: every CPO and HR page serves at least this share of bare req/s

INTRO = f"""{SECTION}

Figures from `tests/benchmarks/load.py`, which drives gunicorn with `wrk` on 127.0.0.1. The data
set: the demo organisation plus 1,000 candidates who each have a submitted self-assessment and two
submitted interviews (a 7-competency "Head of Product" role: 21,000 ratings loaded with
`flask ratings import`), 250 of them in one value stream for the same role version, so that
stream's shortlist shows 250.

How it measures:

- On PostgreSQL the seeded database gets `VACUUM (ANALYZE)` before anything is measured, as
  autovacuum would give it a minute or so later (the ratings import analyzes its own tables
  already): the first pages measured used to be measured without statistics (see "Issue 14 —
  Built pages under gunicorn on PostgreSQL").
- gunicorn runs `tests.benchmarks.load_app:app` (the app plus a bare Flask page returning `ok`)
  with 2 sync workers and the repository's `gunicorn.conf.py`, in production configuration;
  no `--max-requests` (a recycled worker would be measured as a slow page).
- Each page is driven by `wrk -t2 -c8 -d10s --timeout 10s` with a signed-in session cookie
  (CPO, HR or an interviewer; refreshed before each page so it never idles out). A Lua
  `response` hook counts every answer that is not 200, so a redirect to the sign-in page or an
  error page is an error, not a fast page; socket errors and timeouts are counted too.
- Right before each page, the bare page is driven for 3 s with no cookie (and no Lua `response`
  hook, which would cost wrk a quarter of its rate there; wrk's own 4xx/5xx count checks it);
  *% of bare* is the page's req/s over that bare run's. The bare page must reach 2,000 req/s
  (median over the run), or the run prints a warning and says so here: below that the client
  or other work on the machine is the bottleneck and every ratio flatters the pages.
  *bare, signed in* is the same page with the CPO's cookie (session check and user load), for
  reference.
- *alone* is the median of up to 5 requests one at a time (after 2 warm-up requests), with no
  other load; a slow page is bounded by wrk's duration and `--timeout`, and the next page waits
  until the server answers the bare page quickly again. Pages a CPO and HR open all day are
  kept by the page cache (docs/decisions.md, "Issue 14 — Cached pages") while nothing is saved,
  so *alone* and the wrk figures are what a page costs when it is opened again. *built* is the
  cost of building it: the median of 5 requests (after 4 warm-up requests, two for each gunicorn
  worker), each right after the benchmark moved the data version on in the database (as any
  save does), so none is served from the cache.
- Document timings run with `flask worker` started after the pages (its queue from seeding is
  given `--drain-seconds` to empty, the rest dropped, so the worker is idle when the changes are
  made). Each change is made through the web as a person makes it, then the affected document
  is downloaded `--doc-wait` seconds later (a busy 503 is retried within bounds), and again
  (*repeat*, median of 3). The bulk export ticks 50 readiness reports in the download centre
  and times the press of the button to the ZIP being ready.

Run it again (a run takes about 5 minutes on SQLite and 8 on PostgreSQL with the defaults):

```sh
.venv/bin/python -m tests.benchmarks.load                           # SQLite, print only
.venv/bin/python -m tests.benchmarks.load --out docs/benchmarks.md  # and write the figures
bash .ci/postgres.sh && createdb -h 127.0.0.1 -p 54329 -U streamlead streamlead_bench
DATABASE_URL=postgresql+psycopg://streamlead@127.0.0.1:54329/streamlead_bench \\
  .venv/bin/python -m tests.benchmarks.load --out docs/benchmarks.md
```

Options: `--seconds` (per page, default 10), `--bare-seconds` (default 3), `--pages NAME,...`
(default all; `--list-pages` names them; `none` skips the pages), `--no-documents`,
`--doc-wait` (default 2 s), `--drain-seconds` (default 60), `--export-size` (default 50),
`--workers` (gunicorn, default 2), `--candidates` (1000), `--shortlist` (250), `--competencies`
(7). A PostgreSQL database is emptied first, so its name must contain `bench` (others are
refused). wrk comes from the Debian package `wrk`: the benchmark runs `apt-get install -y wrk`
when it is missing (as root), or stops and says how. Writing (`--out`) replaces only the figures
of the database measured.
"""


@dataclass
class PageRow:
    """One page's measurements."""

    name: str
    who: str
    path: str
    alone_ms: float | None = None
    built_ms: float | None = None  # alone, each request right after a write (no cached page)
    alone_note: str = ""
    page: WrkResult | None = None
    bare: WrkResult | None = None

    @property
    def share(self) -> float | None:
        if self.page is None or self.bare is None or not self.bare.rps:
            return None
        return self.page.rps / self.bare.rps


@dataclass
class Run:
    """Everything one run measured, and how it was set up."""

    database: str
    setup: list[str] = field(default_factory=list)
    rows: list[PageRow] = field(default_factory=list)
    bare_signed_in: WrkResult | None = None
    documents: list[DocRow] = field(default_factory=list)
    documents_setup: list[str] = field(default_factory=list)

    @property
    def bare_rps(self) -> list[float]:
        return [r.bare.rps for r in self.rows if r.bare is not None]


def _ms(value: float | None) -> str:
    return "–" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.1f}")


def _errors(result: WrkResult) -> str:
    if not result.errors:
        return "0"
    parts = []
    if result.not_200:
        parts.append(f"{result.not_200:,} not 200 (first: {result.first_bad_status})")
    parts += [f"{count:,} {kind}" for kind, count in result.socket_errors.items()]
    return "**" + ", ".join(parts) + "**"


def page_table(run: Run) -> list[str]:
    """The pages as a Markdown table."""
    lines = [
        "| page | as | URL | req/s | p50 ms | p99 ms | % of bare | ≥ 25 % | alone ms | built ms"
        " | errors |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    bare = run.bare_rps
    if bare:
        lines.append(
            f"| bare Flask page | nobody | `/bench/bare` | {statistics.median(bare):,.0f}"
            f" (median of {len(bare)}, {min(bare):,.0f}–{max(bare):,.0f}) | | | 100 % | | | | |"
        )
    if run.bare_signed_in is not None:
        b = run.bare_signed_in
        lines.append(
            f"| bare, signed in | CPO | `/bench/bare` | {b.rps:,.0f} | {_ms(b.p50_ms)} |"
            f" {_ms(b.p99_ms)} | | | | | {_errors(b)} |"
        )
    for row in run.rows:
        page, share = row.page, row.share
        alone = _ms(row.alone_ms) + (f" ({row.alone_note})" if row.alone_note else "")
        if page is None:
            lines.append(
                f"| {row.name} | {row.who} | `{row.path}` | – | – | – | – | – | {alone} |"
                f" {_ms(row.built_ms)} | not run |"
            )
            continue
        goal = (
            ""
            if share is None
            else ("yes" if share >= SHARE_GOAL and not page.errors else "**no**")
        )
        lines.append(
            f"| {row.name} | {row.who} | `{row.path}` | {page.rps:,.1f} | {_ms(page.p50_ms)} |"
            f" {_ms(page.p99_ms)} | {'–' if share is None else f'{share:.1%}'} | {goal} |"
            f" {alone} | {_ms(row.built_ms)} | {_errors(page)} |"
        )
    return lines


def document_table(run: Run) -> list[str]:
    """The document timings as a Markdown table."""
    lines = [
        "| document | change made through the web | first download, request ms |"
        " change to document in hand, s | repeat ms | note |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for d in run.documents:
        since = "–" if d.since_change_s is None else f"{d.since_change_s:.2f}"
        lines.append(
            f"| {d.document} | {d.change} | {_ms(d.first_ms)} | {since} | {_ms(d.repeat_ms)} |"
            f" {d.note} |"
        )
    return lines


def report(run: Run) -> str:
    """One database's subsection of the section."""
    lines = [f"### {run.database}", "", *(f"- {line}" for line in run.setup), ""]
    warning = bare_floor_message(run.bare_rps)
    if warning:
        lines += [f"**{warning}**", ""]
    if run.rows:
        lines += [*page_table(run), ""]
    if run.documents:
        lines += [f"Documents ({run.database}):", ""]
        lines += [f"- {line}" for line in run.documents_setup] + [""]
        lines += [*document_table(run), ""]
    return "\n".join(lines)


def write_section(out: Path, database: str, figures: str) -> None:
    """Rewrite the wrk section of `out`: the intro, this database's figures, and the other
    subsections (the other database, the old client's figures) as they were."""
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    if SECTION in text:
        head, rest = text.split(SECTION, 1)
        after = rest.split("\n## ", 1)
        section, tail = after[0], ("\n## " + after[1] if len(after) > 1 else "")
    else:
        head, section, tail = text.rstrip("\n") + "\n\n", "", ""
    kept: dict[str, str] = {}
    for part in ("\n" + section).split("\n### ")[1:]:
        kept[part.split("\n", 1)[0].strip()] = "### " + part.strip("\n") + "\n"
    kept[database] = figures.strip("\n") + "\n"
    ordered = [kept.pop(name) for name in DATABASES if name in kept] + list(kept.values())
    body = INTRO + "\n" + "\n".join(ordered)
    out.write_text(head + body.rstrip("\n") + "\n" + tail)
