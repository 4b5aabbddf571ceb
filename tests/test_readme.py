"""The README stays true: its Python example runs, its `check` examples and its scans of the
sample query log print what it says, and every CLI command is documented."""

from __future__ import annotations

import doctest
import os
import re
import shlex
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import ROOT
from wildcli.cli import app

README = (ROOT / "README.md").read_text("utf-8")


def test_python_api_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    block = README.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0
    assert runner.tries >= 4


def console_examples(command: str) -> list[tuple[list[str], str]]:
    """(`args`, expected stdout) for each `$ wildcli <command> ...` line of a console block."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"$ wildcli {command} ") and "|" not in line:
                output = []
                for following in lines[i + 1:]:
                    if following.startswith("$ "):
                        break
                    output.append(following)
                examples.append((shlex.split(line[2:])[1:], "\n".join(output)))
    return examples


def reads_as(expected: str, output: str) -> bool:
    """Whether `output` is what an example shows: line for line, where a line `…` stands for any
    number of lines; spaces at the ends of lines (rich pads table titles) do not count."""
    pattern = "".join(r"(?:.*\n)*?" if line == "…" else re.escape(line) + r"\n" for line in expected.splitlines())
    return re.fullmatch(pattern, "".join(line.rstrip() + "\n" for line in output.splitlines())) is not None


@pytest.mark.parametrize(("args", "expected"), console_examples("check"))
def test_check_examples_print_what_the_readme_says(args: list[str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    # What a terminal shows: stdout, then the summary of `check --file` on stderr.
    assert reads_as(expected, run(*args).output)


@pytest.mark.parametrize(("args", "expected"), [e for e in console_examples("scan") if "examples/queries.tsv" in e[0]])
def test_scans_of_the_sample_query_log_print_what_the_readme_says(
    args: list[str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert reads_as(expected, run(*args).output)


def test_every_command_is_documented() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    missing = [n for n in names if f"wildcli {n}" not in README]
    assert missing == []


def test_every_command_has_help() -> None:
    for command in app.registered_commands:
        result = run(str(command.name), "--help")
        assert result.exit_code == 0
        assert os.linesep.join(result.stdout.splitlines()[2:4]).strip(), command.name


def test_scan_example_summary_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    (args, expected), *_ = [e for e in console_examples("scan") if "--top" in e[0]]
    first = run(*args).stdout.splitlines()[0]
    assert expected.splitlines()[0] == first


@pytest.mark.parametrize(("args", "expected"), console_examples("simulate"))
def test_simulate_examples_print_what_the_readme_says(args: list[str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert reads_as(expected, run(*args).stdout)


def test_export_example_prints_what_the_readme_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export of the bundled lexicon to a folder: what it reports, and the files it writes."""
    [(args, expected)] = [e for e in console_examples("export") if "--output" in e[0]]
    listing = re.search(r"\$ ls blocklists\n(.*)\n", README)
    assert listing is not None
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "1000")  # the README shows each report line whole
    (tmp_path / "blocklists").mkdir()
    assert reads_as(expected, run(*args).stderr)
    assert sorted(p.name for p in (tmp_path / "blocklists").iterdir()) == listing.group(1).split()
