"""Help, errors and completion follow click's conventions: no Python in the help, click's
messages with a "did you mean" for bad values, and shell completion that installs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import FIXTURE, run
from tests.conftest import EXAMPLES
from wildcli.cli import app

pytestmark = pytest.mark.timeout(120)

PYTHON_NAMES = ("list[", "<str>", "<int>", "<float>", "<path>", "{paths}", "Path]", "Optional", "<bool>")


def commands() -> list[list[str]]:
    """Every command and group, subcommands of groups (`release check`) included."""
    import typer.main

    def walk(command: object, path: list[str]) -> list[list[str]]:
        children = getattr(command, "commands", {})
        return [path, *(p for name in sorted(children) for p in walk(children[name], [*path, name]))]

    return walk(typer.main.get_command(app), [])


def test_every_command_is_walked() -> None:
    walked = {" ".join(c) for c in commands()}
    assert {"", "scan", "check", "export", "diff", "eval", "explain", "lint", "serve"} <= walked
    assert {"release check", "release prepare"} <= walked


@pytest.mark.parametrize("command", commands(), ids=lambda c: " ".join(c) or "wildcli")
def test_help_names_no_python_type(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    leaks = [name for name in PYTHON_NAMES if name in result.stdout]
    assert not leaks, f"{leaks} in:\n{result.stdout}"


def test_usage_and_metavars_read_as_click_writes_them() -> None:
    help_text = run("scan", "--help").stdout
    assert help_text.startswith("Usage: wildcli scan [OPTIONS] PATHS...\n")
    assert "-l, --lexicon PATH " in help_text
    assert "--id-field TEXT " in help_text
    assert "--top INTEGER " in help_text
    assert "--format [table|jsonl|json|csv|html]" in help_text
    # A long list of choices is named by its option; the help points to --list.
    assert "-f, --format FORMAT " in run("export", "--help").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "x.csv", "--format", "jsnol"],
         "Error: Invalid value for '--format': 'jsnol' is not one of 'table', 'jsonl', 'json', 'csv', "
         "'html'. Did you mean 'jsonl'?"),
        (["scan", "x.csv", "--min-severity", "high"],
         "Error: Invalid value for '--min-severity': 'high' is not one of 'monitor', 'review', 'block'."),
        (["scan", "x.csv", "--top", "ten"], "Error: Invalid value for '--top': 'ten' is not a valid integer."),
        (["export", "--format", "stopword"], "Did you mean 'stopwords'?"),
    ],
)  # fmt: skip
def test_bad_values_get_clicks_message(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Value error" not in result.stderr
    assert "Input should be" not in result.stderr


def test_unknown_concept_and_language_get_a_suggestion() -> None:
    concept = run("scan", str(EXAMPLES / "listings.csv"), *FIXTURE, "--concept", "ivroy")
    assert concept.exit_code == 2
    assert concept.stderr == "error: unknown concept 'ivroy' (see wildcli stats); did you mean 'ivory'?\n"
    lang = run("scan", str(EXAMPLES / "listings.csv"), *FIXTURE, "--lang", "zh-hans")
    assert lang.exit_code == 2
    assert lang.stderr == "error: unknown language 'zh-hans' (see wildcli stats); did you mean 'zh-Hans'?\n"


def wildcli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `wildcli` script: completion is keyed by the name the shell calls."""
    script = Path(sys.executable).with_name("wildcli")
    if not script.exists():
        pytest.skip(f"no wildcli script beside {sys.executable}")
    return subprocess.run([str(script), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)  # fmt: skip


def test_show_completion_prints_a_bash_script() -> None:
    result = wildcli("--show-completion", "bash")
    assert result.returncode == 0, result.stderr
    assert "complete -o default -F _wildcli_completion wildcli" in result.stdout
    assert "_WILDCLI_COMPLETE=complete_bash" in result.stdout


def test_install_completion_writes_the_script_for_bash(tmp_path: Path) -> None:
    result = wildcli("--install-completion", "bash", env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "wildcli.sh"
    assert "_wildcli_completion" in script.read_text("utf-8")
    assert str(script) in (tmp_path / ".bashrc").read_text("utf-8")


def complete(line: str) -> list[str]:
    words = line.split(" ")
    env = {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1), "_WILDCLI_COMPLETE": "complete_bash"}
    return wildcli(env=env).stdout.split()


def test_completion_offers_formats_concepts_and_languages() -> None:
    assert complete("wildcli scan x.csv --format js") == ["jsonl", "json"]
    assert complete("wildcli export --format stop") == ["stopwords"]
    assert "ivory" in complete("wildcli scan x.csv --concept iv")
    assert {"zh-Hans", "zh-Hant"} <= set(complete("wildcli scan x.csv --lang zh"))
    assert "concept" not in complete("wildcli scan x.csv --lang c")
