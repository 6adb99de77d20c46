"""The load benchmark's pure parts: reading wrk, the bare-page floor, forms, the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.load import database_name, main
from tests.benchmarks.load_report import SECTION, PageRow, Run, report, write_section
from tests.benchmarks.web import fill, forms_of
from tests.benchmarks.wrk import bare_floor_message, parse_wrk

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:40123/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   316.54ms  120.11ms   1.96s    91.02%
    Req/Sec    13.02      5.71    30.00     71.43%
  252 requests in 10.02s, 11.93MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:     25.15
Transfer/sec:      1.19MB
BENCH requests=252 duration_us=10020000 not_200=7 first_bad=302 connect=0 read=0 write=0\
 timeout=3 p50_us=301250 p99_us=1960400
"""


def test_wrk_output_gives_rate_latency_and_every_kind_of_error() -> None:
    result = parse_wrk(WRK_OUTPUT)
    assert result.rps == 25.15
    assert result.requests == 252
    assert result.seconds == pytest.approx(10.02)
    assert (result.p50_ms, result.p99_ms) == (301.25, 1960.4)
    # The redirects counted by the Lua hook (wrk itself counts only 4xx/5xx) and the timeouts.
    assert result.not_200 == 7
    assert result.first_bad_status == 302
    assert result.socket_errors == {"timeout": 3}
    assert result.errors == 10


def test_wrk_output_without_the_scripts_line_is_refused() -> None:
    with pytest.raises(ValueError, match="no BENCH line"):
        parse_wrk(WRK_OUTPUT.split("BENCH")[0])


def test_a_bare_page_under_the_floor_is_said_loudly() -> None:
    message = bare_floor_message([2500.0, 1900.0, 1800.0])
    assert message is not None
    assert "1,900 REQ/S" in message and "UNDER THE 2,000" in message
    assert bare_floor_message([2500.0, 2100.0, 1800.0]) is None
    assert bare_floor_message([]) is None


def test_the_report_warns_and_marks_pages_under_a_quarter_of_bare() -> None:
    fast, slow = parse_wrk(WRK_OUTPUT), parse_wrk(WRK_OUTPUT.replace("25.15", "600.5"))
    bare = parse_wrk(WRK_OUTPUT.replace("25.15", "1500.0"))
    run = Run(
        "SQLite",
        rows=[
            PageRow("cpo-home", "cpo", "/", alone_ms=1982.0, page=fast, bare=bare),
            PageRow("hr-home", "hr", "/", alone_ms=8.2, page=slow, bare=bare),
        ],
    )
    text = report(run)
    assert "UNDER THE 2,000 REQ/S FLOOR" in text
    home = next(line for line in text.splitlines() if line.startswith("| cpo-home"))
    assert "| 1.7% | **no** | 1,982 |" in home
    assert "7 not 200 (first: 302), 3 timeout" in home


def test_writing_replaces_one_database_and_keeps_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    out.write_text(
        f"# Benchmarks\n\nIntro.\n\n{SECTION}\n\nOld method.\n\n### SQLite\n\nold sqlite\n\n"
        "### PostgreSQL\n\npg figures\n\n### The old Python client\n\nold client\n\n"
        "## Ratings import\n\nkept\n"
    )
    write_section(out, "SQLite", "### SQLite\n\nnew sqlite\n")
    text = out.read_text()
    assert "new sqlite" in text and "old sqlite" not in text and "Old method" not in text
    assert text.index("pg figures") < text.index("old client") < text.index("## Ratings import")
    assert text.count(SECTION) == 1 and text.startswith("# Benchmarks\n\nIntro.")


def test_a_form_is_sent_as_the_browser_would_with_the_changes_asked_for() -> None:
    html = """<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">
    <input type="radio" name="decision" value="selected">
    <input type="radio" name="decision" value="on-hold" checked>
    <input type="radio" name="rating_0" value="1"><input type="radio" name="rating_0" value="2">
    <select name="s"><option value="a">A</option><option value="b" selected>B</option></select>
    <textarea name="notes">
kept</textarea><input type="submit" name="go" value="1"></form>"""
    (form,) = forms_of(html)
    sent = dict(fill(form, {"decision": "selected"}))
    assert sent == {
        "csrf_token": "t",
        "decision": "selected",
        "rating_0": "2",
        "s": "b",
        "notes": "kept",
    }


def test_database_names() -> None:
    assert database_name("sqlite:////tmp/x.sqlite") == "SQLite"
    assert database_name("postgresql+psycopg://u@h/streamlead_bench") == "PostgreSQL"


def test_a_database_not_named_for_benchmarks_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The run empties the database first, so a production or test database must never be used.
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:54329/streamlead")
    monkeypatch.setattr("sys.argv", ["load"])

    def went_past_the_guard() -> str:
        raise AssertionError("the benchmark went on with a database not named for it")

    monkeypatch.setattr("tests.benchmarks.load.ensure_wrk", went_past_the_guard)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "benchmark database" in capsys.readouterr().err
