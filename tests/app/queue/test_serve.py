"""`flask serve` (what `make run` runs) keeps the web server and the worker up and down together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.serve import supervise
from config import BASE_DIR


def _sleeper(pid_file: Path) -> list[str]:
    code = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    return [sys.executable, "-c", code]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by a parent that is gone) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def _wait_for(path: Path, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written within {timeout} s")


def test_when_one_side_stops_the_other_is_stopped_and_the_failure_passed_on(
    tmp_path: Path,
) -> None:
    pid_file = tmp_path / "web.pid"
    started = time.monotonic()
    code = supervise(
        [
            _sleeper(pid_file),
            [sys.executable, "-c", "import time, sys; time.sleep(1); sys.exit(3)"],
        ],
        stop_seconds=10,
    )
    assert code == 3
    assert time.monotonic() - started < 20
    assert not _alive(_wait_for(pid_file))


def test_ctrl_c_or_sigterm_stops_both(tmp_path: Path) -> None:
    web, worker = tmp_path / "web.pid", tmp_path / "worker.pid"
    script = (
        "import sys; from app.serve import supervise; "
        f"sys.exit(supervise([{_sleeper(web)!r}, {_sleeper(worker)!r}], stop_seconds=10))"
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script], cwd=BASE_DIR)
    try:
        pids = [_wait_for(web), _wait_for(worker)]
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=20) == 0
        assert [_alive(pid) for pid in pids] == [False, False]
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
