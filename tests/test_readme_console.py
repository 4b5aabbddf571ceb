"""Every console example of the README runs as written and prints what the README shows.

Each ```console block is a shell session: its `$ ` lines run one after another in one bash, from
a scratch copy of the checkout's `examples/`, `tests/data/` and `lexicons/` (so examples that
write files, such as `fmt` or `add`, change only the copy), with `wildcli` on PATH as after
`make install`. What a command prints (stdout and stderr, as a terminal shows them) must read
as the lines under it, where a line `…` stands for any number of lines, and `…` within a line
for the rest of what it cut.

A comment on the line before a block changes how it is run, and says why:
- `<!-- readme-test: not run: REASON -->` for a block that needs what a test cannot have
  (a server left running, a Docker engine, a cluster, a corpus outside the checkout);
- `<!-- readme-test: varies: timings -->` where the output holds durations or rates, which are
  compared as any number;
- `<!-- readme-test: env NAME=VALUE ... -->` for the terminal the output was taken in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
SEPARATOR = "\x1e-readme-test-end-\x1e"
_MARKER = re.compile(r"<!-- readme-test: (.*?) -->")
_TIMINGS = re.compile(r"\d+(?:\.\d+)?(?: ?(?:s|ms|µs|MB/s|records/s))\b")


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Example:
    line: int  # of the opening fence, 1-based
    steps: list[Step]
    marker: str = ""

    @property
    def skip_reason(self) -> str | None:
        if self.marker.startswith("not run:"):
            return self.marker.removeprefix("not run:").strip()
        return None

    @property
    def env(self) -> dict[str, str]:
        if not self.marker.startswith("env "):
            return {}
        return dict(pair.split("=", 1) for pair in self.marker.removeprefix("env ").split())

    @property
    def varies(self) -> bool:
        return self.marker == "varies: timings"


def console_examples(text: str) -> list[Example]:
    lines = text.splitlines()
    examples = []
    index = 0
    while index < len(lines):
        if lines[index] != "```console":
            index += 1
            continue
        start = index
        previous = next((lines[k] for k in range(start - 1, -1, -1) if lines[k].strip()), "")
        marker = _MARKER.fullmatch(previous.strip())
        steps: list[Step] = []
        index += 1
        while lines[index] != "```":
            line = lines[index]
            if line.startswith("$ "):
                command = line[2:]
                while command.endswith("\\"):
                    index += 1
                    command = command[:-1] + lines[index].strip()
                steps.append(Step(command))
            elif steps:
                steps[-1].expected.append(line)
            index += 1
        examples.append(Example(start + 1, steps, marker.group(1).strip() if marker else ""))
        index += 1
    return examples


EXAMPLES = console_examples(README.read_text("utf-8"))


def reads_as(expected: list[str], output: str, *, varies: bool = False) -> bool:
    """Line for line, where `…` alone stands for any lines and within a line for any text;
    trailing spaces do not count."""
    def plain(line: str) -> str:
        line = line.rstrip()
        return _TIMINGS.sub("<n>", line) if varies else line

    def line_pattern(line: str) -> str:
        return ".*?".join(re.escape(part) for part in plain(line).split("…")) + r"\n"

    pattern = "".join(r"(?:.*\n)*?" if line == "…" else line_pattern(line) for line in expected)
    shown = "".join(plain(line) + "\n" for line in output.splitlines())
    return re.fullmatch(pattern, shown) is not None


def _scratch(tmp_path: Path) -> Path:
    for name in ("examples", "tests/data", "lexicons"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def run_session(example: Example, cwd: Path) -> list[str]:
    """The output of each step, from one bash that runs them in turn."""
    script = ["exec 2>&1"]
    for step in example.steps:
        # The separator keeps each step's output apart; `$?` still reads the step's own status.
        script += [step.command, "__status=$?", f"printf '%s' '{SEPARATOR}'", "(exit $__status)"]
    binaries = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{binaries}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "TERM": "dumb",
        **example.env,
    }
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL,
    )
    outputs = done.stdout.split(SEPARATOR)
    assert len(outputs) == len(example.steps) + 1, done.stdout
    return outputs[:-1]


def test_every_block_is_run_or_says_why_not() -> None:
    assert len(EXAMPLES) >= 20
    for example in EXAMPLES:
        assert example.steps, f"README.md:{example.line}: a console block without a `$ ` command"
        if example.marker:
            assert example.skip_reason or example.env or example.varies, (
                f"README.md:{example.line}: unknown marker {example.marker!r}"
            )


def test_reads_as_tells_a_changed_output_from_a_shown_one() -> None:
    assert reads_as(["a", "…", "d"], "a\nb\nc\nd\n")
    assert not reads_as(["a", "…", "d"], "a\nb\nc\n")
    assert reads_as(['{"id": 1, …}'], '{"id": 1, "b": 2}\n')
    assert not reads_as(['{"id": 1, …}'], '{"id": 2, "b": 2}\n')
    assert not reads_as(["scanned 1 records in 0.0s"], "scanned 1 records in 0.3s\n")
    assert reads_as(["scanned 1 records in 0.0s"], "scanned 1 records in 0.3s\n", varies=True)
    assert not reads_as(["scanned 1 records in 0.0s"], "scanned 2 records in 0.3s\n", varies=True)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("example", EXAMPLES, ids=[f"README.md:{e.line}" for e in EXAMPLES])
def test_console_example_prints_what_the_readme_shows(example: Example, tmp_path: Path) -> None:
    if example.skip_reason:
        pytest.skip(example.skip_reason)
    outputs = run_session(example, _scratch(tmp_path))
    for step, output in zip(example.steps, outputs, strict=True):
        assert reads_as(step.expected, output, varies=example.varies), (
            f"README.md:{example.line}: `{step.command}` printed:\n{output}"
        )
