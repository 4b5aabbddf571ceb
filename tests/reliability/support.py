"""Running `wildcli` the way users do: in-process for messages, as a subprocess for memory and exits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.cli.helpers import FIXTURE, run
from tests.conftest import ROOT

_ELAPSED = re.compile(r" in \d+\.\ds: ")

# Runs the CLI in a child and prints the largest resident set of it and its descendants (the
# scan's worker processes) in KiB on the last stderr line: the test process's own peak, and
# that of earlier children, must not count.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run([sys.executable, '-m', 'wildcli', *sys.argv[1:]]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Scan:
    """What one `scan --format jsonl` printed: exit code, findings, stderr lines (times blanked)."""

    code: int
    findings: list[dict[str, object]]
    stderr: list[str]
    stdout: str

    @property
    def records(self) -> list[str]:
        """The record ids with findings, in order, each once."""
        return list(dict.fromkeys(str(f["record"]) for f in self.findings))


def scan(*args: str) -> Scan:
    """`wildcli scan ARGS --format jsonl` with the fixture lexicon, in-process."""
    result = run("scan", *args, "--format", "jsonl", *FIXTURE)
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    lines = [_ELAPSED.sub(" in T: ", line) for line in result.stderr.splitlines()]
    return Scan(result.exit_code, findings, lines, result.stdout)


@dataclass(frozen=True)
class Measured:
    code: int
    stdout: str
    stderr: list[str]
    peak_rss: int
    """Bytes: the largest resident set of the CLI process or any process it started."""


def measure(args: Sequence[str], *, stdin: IO[bytes] | int | None = None, timeout: float = 60,
            feed: bytes | None = None) -> Measured:  # fmt: skip
    """Run `wildcli ARGS` in a fresh interpreter and report its exit, output and peak memory."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], stdin=stdin, input=feed, capture_output=True,
        timeout=timeout, env=env, cwd=ROOT, check=False,
    )
    stderr = proc.stderr.decode("utf-8", "replace").splitlines()
    assert "Traceback" not in proc.stderr.decode("utf-8", "replace")
    peak = int(stderr.pop()) * 1024
    return Measured(proc.returncode, proc.stdout.decode("utf-8", "replace"), stderr, peak)


def fixture_args() -> list[str]:
    return ["--format", "jsonl", *FIXTURE]


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path
