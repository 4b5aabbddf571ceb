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
