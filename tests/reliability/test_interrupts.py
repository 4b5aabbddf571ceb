"""Ctrl-C in every output format: exit 130, one summary line, whole lines or an untouched file.

tests/cli/test_interrupt.py covers JSON Lines; this adds CSV and JSON, on stdout and --output.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_interrupt import slow_dump
from tests.conftest import ROOT, VALID_LEXICON


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("interrupt") / "big.jsonl"
    slow_dump(path, 300_000)
    return path


def _interrupted(dump: Path, fmt: str, output: Path | None) -> tuple[int, str, str]:
    args = [sys.executable, "-m", "wildcli", "scan", str(dump), "--format", fmt, "--no-bundled",
            "--lexicon", str(VALID_LEXICON)]  # fmt: skip
    if output is not None:
        args += ["--output", str(output)]
    # bufsize=0: communicate() reads the pipe directly, so nothing may wait in a Python buffer.
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, bufsize=0,
                            env={**os.environ, "NO_COLOR": "1"})  # fmt: skip
    assert proc.stdout is not None
    if output is None:
        head = b""
        while head.count(b"\n") < 3:  # a few findings are out: the scan is under way
            chunk = proc.stdout.read(4096)
            assert chunk, "the scan ended before it could be interrupted"
            head += chunk
    else:
        head = b""
        time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    return proc.returncode, (head + stdout).decode("utf-8"), stderr.decode("utf-8")


def _check_stderr(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith("error: interrupted after ")


def test_csv_on_stdout_keeps_whole_rows(big_dump: Path) -> None:
    code, stdout, stderr = _interrupted(big_dump, "csv", None)
    assert code == 130, stderr
    _check_stderr(stderr)
    header, *rows = list(csv.reader(io.StringIO(stdout)))
    assert header[:3] == ["source", "record", "row"]
    assert rows
    assert {len(row) for row in rows} == {len(header)}  # no row cut in half


def test_json_on_stdout_stays_valid_json(big_dump: Path) -> None:
    code, stdout, stderr = _interrupted(big_dump, "json", None)
    assert code == 130, stderr
    _check_stderr(stderr)
    assert json.loads(stdout)


@pytest.mark.parametrize("fmt", ["json"])  # the atomic writer is the same for every format
def test_output_file_is_left_unchanged(fmt: str, big_dump: Path, tmp_path: Path) -> None:
    out = tmp_path / f"findings.{fmt}"
    out.write_text("previous\n", "utf-8")
    code, _, stderr = _interrupted(big_dump, fmt, out)
    assert code == 130, stderr
    _check_stderr(stderr)
    assert stderr.splitlines()[-1].endswith(f"{out} left unchanged")
    assert out.read_text("utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


# --- SIGTERM, SIGHUP, a dead worker, a closed pipe ---


def _start(dump: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "wildcli", "scan", str(dump), "--format", "jsonl", "-o", str(out),
            "--no-bundled", "--lexicon", str(VALID_LEXICON), *extra]  # fmt: skip
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "NO_COLOR": "1"})  # fmt: skip


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _scanning(proc: subprocess.Popen[bytes], folder: Path, workers: int) -> list[int]:
    """Wait until the temporary output is being written and `workers` processes are started."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        started = any(p.name.endswith(".tmp") for p in folder.iterdir())
        children = _children(proc.pid)
        if started and len(children) >= workers:
            return children
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the scan never started")


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")


@needs_proc
@pytest.mark.parametrize(("signum", "jobs"), [(signal.SIGTERM, 1), (signal.SIGHUP, 1), (signal.SIGTERM, 2),
                                              (signal.SIGHUP, 2)])  # fmt: skip
def test_sigterm_and_sighup_clean_up_say_so_and_exit_128_plus_the_signal(
    signum: int, jobs: int, big_dump: Path, tmp_path: Path
) -> None:
    out = tmp_path / "findings.jsonl"
    out.write_text("previous\n", "utf-8")
    proc = _start(big_dump, out, "--jobs", str(jobs))
    workers = _scanning(proc, tmp_path, jobs if jobs > 1 else 0)
    proc.send_signal(signum)
    signalled = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum
    lines = stderr.decode().splitlines()
    assert "Traceback" not in stderr.decode()
    assert lines[-1].startswith("error: interrupted after ")
    assert lines[-1].endswith(f"{out} left unchanged ({name})")
    assert out.read_text("utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no .tmp left
    while any(_running(pid) for pid in workers) and time.monotonic() - signalled < 30:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in workers)
    assert time.monotonic() - signalled < 10  # promptly: the workers are stopped, not waited for


@needs_proc
def test_a_worker_killed_mid_scan_is_one_line_and_exit_71(big_dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    out.write_text("previous\n", "utf-8")
    proc = _start(big_dump, out, "--jobs", "2")
    workers = _scanning(proc, tmp_path, 2)
    os.kill(workers[0], signal.SIGKILL)  # what the out-of-memory killer does
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 71
    assert stderr.decode().splitlines()[-1] == (
        "error: a scan worker process died (killed by SIGKILL; out of memory?): the scan cannot be completed")
    assert out.read_text("utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    assert not any(_running(pid) for pid in workers)


@pytest.mark.parametrize("args", [
    ["scan", "{dump}", "--format", "jsonl"],
    ["scan", "{dump}", "--format", "csv", "--jobs", "2"],
    ["check", "--file", "{dump}"],
    ["check", "--file", "{dump}", "--json"],
])  # fmt: skip
def test_a_closed_pipe_ends_quietly_with_141(args: list[str], big_dump: Path) -> None:
    command = [sys.executable, "-m", "wildcli", *(a.format(dump=big_dump) for a in args), "--no-bundled",
               "--lexicon", str(VALID_LEXICON)]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.read(100)  # like `| head -c 100`: read a little, then leave
    proc.stdout.close()
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert stderr == ""
