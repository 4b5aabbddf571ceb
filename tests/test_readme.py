"""The README stays true: its Python example runs, and every CLI command is documented and has
help. Its console examples are run by tests/test_readme_console.py."""

from __future__ import annotations

import doctest
import os

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
