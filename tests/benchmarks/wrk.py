"""Driving `wrk` for the load benchmark: install it, run it, read its output.

wrk is the load client because a Python client saturates first: on this 2-core machine one
capped the bare page at ~1,200 req/s where wrk measures 2,500-4,200, which flatters every
ratio. For the app's pages a Lua script counts every response whose status is not 200 (a
redirect to the sign-in page is a failure here, which wrk's own "Non-2xx or 3xx" count would
miss); both scripts print one `BENCH` line with the counts and the p50/p99 latency.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

# The bare page must reach this on the benchmark machine, or the client (or other work on the
# machine) is the bottleneck and every "% of bare" flatters the pages.
BARE_FLOOR_RPS = 2000.0

LUA_STATUS = """\
-- Count every response that is not 200 OK; print one BENCH line when the run is done.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  first_bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    local status = thread:get("first_bad")
    if first == 0 and status ~= 0 then first = status end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d not_200=%d first_bad=%d connect=%d read=%d write=%d"
    .. " timeout=%d p50_us=%d p99_us=%d\\n",
    summary.requests, summary.duration, bad, first, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""

# For the bare page: no `response` hook, which costs wrk a quarter of its rate on a page this
# fast (the client would become the bottleneck again). The page is public and cannot redirect,
# so wrk's own count of 4xx/5xx answers is the status check.
LUA_PLAIN = """\
-- Print one BENCH line when the run is done; wrk's own count of 4xx/5xx answers as not_200.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d not_200=%d first_bad=0 connect=%d read=%d write=%d"
    .. " timeout=%d p50_us=%d p99_us=%d\\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


class WrkMissing(RuntimeError):
    """wrk is not installed and could not be installed."""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency and everything that went wrong."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    not_200: int
    first_bad_status: int
    socket_errors: dict[str, int]

    @property
    def errors(self) -> int:
        """Responses that were not 200, plus connections that failed or timed out."""
        return self.not_200 + sum(self.socket_errors.values())


def parse_wrk(output: str) -> WrkResult:
    """Read wrk's output with the BENCH line of LUA; ValueError if the line is missing."""
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if match is None:
        raise ValueError(f"no BENCH line in wrk's output:\n{output.strip()[-2000:]}")
    fields = {key: int(value) for key, value in re.findall(r"(\w+)=(-?\d+)", match.group(1))}
    seconds = fields["duration_us"] / 1e6
    rps_line = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    rps = float(rps_line.group(1)) if rps_line else fields["requests"] / (seconds or 1.0)
    return WrkResult(
        requests=fields["requests"],
        seconds=seconds,
        rps=rps,
        p50_ms=fields["p50_us"] / 1000,
        p99_ms=fields["p99_us"] / 1000,
        not_200=fields["not_200"],
        first_bad_status=fields["first_bad"],
        socket_errors={k: fields[k] for k in ("connect", "read", "write", "timeout") if fields[k]},
    )


def bare_floor_message(bare_rps: list[float], floor: float = BARE_FLOOR_RPS) -> str | None:
    """A loud warning when the bare page's median rate is under the floor, else None."""
    if not bare_rps:
        return None
    median = statistics.median(bare_rps)
    if median >= floor:
        return None
    return (
        f"WARNING: THE BARE FLASK PAGE MEASURED {median:,.0f} REQ/S, UNDER THE {floor:,.0f} REQ/S"
        " FLOOR. The load client or other work on this machine is the bottleneck: the"
        " '% of bare' figures of this run flatter the pages. Rerun on a quiet machine."
    )


def ensure_wrk() -> str:
    """The path of wrk, installing the Debian package with apt-get when missing (as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise WrkMissing("wrk is not installed: run `sudo apt-get install -y wrk`, then again")
    print("wrk is not installed: apt-get install -y wrk ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    attempts = [["apt-get", "install", "-y", "wrk"], ["apt-get", "update"]]
    attempts.append(attempts[0])
    for command in attempts:
        try:
            subprocess.run(command, env=env, capture_output=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise WrkMissing(f"could not run {' '.join(command)}: {exc}") from exc
        found = shutil.which("wrk")
        if found:
            return found
    raise WrkMissing("apt-get could not install wrk: install the Debian package `wrk` by hand")


@dataclass(frozen=True)
class Load:
    """How hard wrk drives each page."""

    threads: int = 2
    connections: int = 8
    seconds: int = 10
    timeout: int = 10


def run_wrk(url: str, load: Load, seconds: int, script: Path, cookie: str = "") -> WrkResult:
    """Drive one URL for `seconds` and read the result (wrk itself stops at its duration)."""
    command = [
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{seconds}s",
        "--timeout",
        f"{load.timeout}s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        timeout=seconds + load.timeout + 60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk(done.stdout)
