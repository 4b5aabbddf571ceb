"""`wildcli scan` in a real terminal (tmux): the progress bar is drawn, finishes and is erased
before the summary, which starts on a line of its own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, VALID_LEXICON

pytestmark = pytest.mark.timeout(120)

BAR = "━"
WIDTH = 150


class Terminal:
    """One tmux server of its own (its own socket), so that nothing else's sessions are touched."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"wildcli-test-{uuid.uuid4().hex[:12]}"
        self.tmp = tmp
        self.raw = tmp / "raw.log"

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True)
        return done.stdout

    def run(self, command: str) -> str:
        """Run `command` in a fresh terminal; return the screen once it has exited. Everything
        the terminal received, escape sequences and all, is kept in `self.raw`."""
        go = self.tmp / "go"
        script = self.tmp / "run.sh"
        script.write_text(f"while [ ! -e {go} ]; do sleep 0.05; done\ncd {ROOT}\n{command}\n", "utf-8")
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "TMUX")}
        subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
             "-x", str(WIDTH), "-y", "50", f"sh {script}"],
            check=True, env={**env, "TERM": "xterm-256color"},
        )  # fmt: skip
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")
        self.tmux("pipe-pane", "-t", "t", "-o", f"cat > {self.raw}")
        go.touch()
        while self.tmux("display-message", "-p", "-t", "t", "#{pane_dead}").strip() != "1":
            time.sleep(0.1)  # the test's timeout bounds this wait
        screen = self.tmux("capture-pane", "-p", "-t", "t", "-S", "-200")
        # tmux's own notice under a pane that has exited, shown once it gets round to it.
        return "\n".join(line for line in screen.splitlines() if not line.startswith("Pane is dead"))

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (apt-get install tmux)")
    term = Terminal(tmp_path)
    yield term
    term.close()


def scan(*args: str) -> str:
    fixture = ["--no-bundled", "--lexicon", str(VALID_LEXICON)]
    return " ".join([sys.executable, "-m", "wildcli", "scan", *fixture, *args])


def frames(raw: str) -> list[str]:
    """The progress figures of every frame of the bar, in order ("21.4/21.4 kB")."""
    return re.findall(r"(\d+\.\d/\d+\.\d [kMG]?B)", raw)


def test_the_bar_finishes_and_is_erased_before_the_summary(terminal: Terminal, tmp_path: Path) -> None:
    screen = terminal.run(scan(str(EXAMPLES / "listings.csv"), "--top", "3"))
    raw = terminal.raw.read_text("utf-8", errors="replace")
    assert BAR in raw, "the bar was never drawn"
    shown = frames(raw)
    done, total = shown[-1].split()[0].split("/")
    assert done == total, f"the bar's last frame is {shown[-1]}, not a finished scan"
    lines = [line for line in screen.splitlines() if line.strip()]
    assert not frames(screen), "the bar was left on the screen"
    assert lines[0].startswith("Scanned 80 records"), lines[0]
    top = [line for line in lines if line.startswith("Top ")]
    assert len(top) == 1, top
    assert re.fullmatch(r"Top 3 of \d+ records with findings", top[0])


def test_no_bar_when_stderr_is_not_a_terminal(terminal: Terminal, tmp_path: Path) -> None:
    errors = tmp_path / "stderr.txt"
    terminal.run(scan(str(EXAMPLES / "listings.csv"), "--top", "1", f"2> {errors}"))
    assert not frames(errors.read_text("utf-8"))
    assert not frames(terminal.raw.read_text("utf-8", errors="replace"))


def test_findings_sent_to_a_file_stay_out_of_the_terminal(terminal: Terminal, tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    screen = terminal.run(scan(str(EXAMPLES / "listings.jsonl"), "--format", "jsonl", f"> {out}"))
    assert out.read_text("utf-8").count('"concept"') > 0
    assert '"concept"' not in screen
    lines = [line for line in screen.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("scanned 80 records in")
