"""Ctrl-C during a scan: exit 130, a summary line, complete output lines, no temp files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import VALID_LEXICON


def slow_dump(path: Path, records: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(records):
            out.write(json.dumps({"id": i, "title": f"carved ivory item {i} " + "filler " * 40}) + "\n")


def wait_until_scanning(proc: subprocess.Popen[str], folder: Path, to_file: bool) -> str:
    """Block until the scan is producing output, so the interrupt lands mid-scan."""
    if not to_file:
        assert proc.stdout is not None
        # A raw read: a buffered readline would read ahead, and communicate() would not see it.
        return os.read(proc.stdout.fileno(), 1 << 16).decode("utf-8")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(p.name.endswith(".tmp") and p.stat().st_size > 0 for p in folder.iterdir()):
            return ""
        time.sleep(0.05)
    raise AssertionError("the scan never started writing")


@pytest.mark.parametrize("to_file", [False, True])
def test_ctrl_c_exits_130_and_keeps_outputs_whole(tmp_path: Path, to_file: bool) -> None:
    dump = tmp_path / "big.jsonl"
    slow_dump(dump, 400_000)
    out = tmp_path / "findings.jsonl"
    out.write_text("previous\n", "utf-8")
    args = [sys.executable, "-m", "wildcli", "scan", str(dump), "--format", "jsonl",
            "--no-bundled", "--lexicon", str(VALID_LEXICON)]
    if to_file:
        args += ["--output", str(out)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    first = wait_until_scanning(proc, tmp_path, to_file)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    stdout = first + stdout
    assert proc.returncode == 130, stderr
    assert stderr.splitlines()[-1].startswith("error: interrupted after ")
    assert "Traceback" not in stderr
    if to_file:
        assert out.read_text("utf-8") == "previous\n"
    else:
        lines = stdout.splitlines()
        assert lines, "findings found before the interrupt are kept"
        for line in lines:
            json.loads(line)  # every line is complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "findings.jsonl"]
