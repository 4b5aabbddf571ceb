"""`wildcli add`: flags or prompts, a one-line refusal, and the lint of the written file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import ROOT, VALID_LEXICON
from wildcli.cli import add as add_cli
from wildcli.lexicon import load_lexicon
from wildcli.lexicon.loader import display_path
from wildcli.match.matcher import Matcher

SOURCE = ["--source-title", "Seizure report", "--source-url", "https://example.org/s", "--source-year", "2025"]


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(VALID_LEXICON, tmp_path / "lex")
    return tmp_path / "lex"


def test_add_with_flags(root: Path) -> None:
    result = run("add", "--concept", "ivory", "--lang", "en", "--term", "elephant tusk", "--kind", "name",
                 "--status", "approved", *SOURCE, "--example", "Whole elephant tusk, 3 kg",
                 "--counter-example", "elephant tusk replica", "--exclude", "replica", "--lexicon", str(root))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"added 'elephant tusk' to {display_path(root / 'ivory' / 'en.yaml')}\n"
    assert run("lint", str(root)).exit_code == 0
    findings = Matcher(load_lexicon([root])).find("whole elephant tusk")
    assert [f.term for f in findings] == ["elephant tusk"]


def test_missing_flags_without_a_terminal_is_a_usage_error(root: Path) -> None:
    result = run("add", "--concept", "ivory", "--lang", "en", *SOURCE, "--lexicon", str(root))
    assert result.exit_code == 2
    assert result.stderr == "error: missing --term, --kind (or run in a terminal to be asked)\n"


def test_missing_values_are_asked_for_on_a_terminal(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(add_cli, "_interactive", lambda: True)
    result = run("add", "--concept", "tiger_parts", "--lang", "vi", *SOURCE, "--lexicon", str(root),
                 "--example", "Bán nanh hổ thật", input="nanh hổ\nslang\n")
    assert result.exit_code == 0, result.stderr
    assert "Term, as sellers type it: " in result.stdout
    (term,) = [t for t in load_lexicon([root]).terms if t.term == "nanh hổ"]
    assert (term.kind.value, term.status.value) == ("slang", "proposed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--concept", "dodo", "--term", "dodo egg"], "error: unknown concept 'dodo': there is no {root}/dodo/concept.yaml"),
        (["--concept", "ivory", "--term", "IVORY"], "error: 'IVORY' is already in {root}/ivory/en.yaml:{line} as 'ivory'"),
    ],
)
def test_refusals_are_one_line_and_exit_2(root: Path, args: list[str], message: str) -> None:
    result = run("add", *args, "--lang", "en", "--kind", "name", *SOURCE, "--lexicon", str(root))
    line = (root / "ivory" / "en.yaml").read_text("utf-8").split("\n").index("  - term: ivory") + 1
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == message.format(root=display_path(root), line=line) + "\n"


def test_lint_problems_of_the_new_entry_are_reported_and_exit_1(root: Path) -> None:
    result = run("add", "--concept", "tiger_parts", "--lang", "vi", "--term", "xương hổ", "--kind", "name",
                 *SOURCE, "--counter-example", "bán xương hổ", "--lexicon", str(root))
    assert result.exit_code == 1
    path = display_path(root / "tiger_parts" / "vi.yaml")
    line = (root / "tiger_parts" / "vi.yaml").read_text("utf-8").split("\n").index('      - "bán xương hổ"') + 1
    assert result.stderr.splitlines() == [
        f"{path}:{line}: terms[1].counter_examples[0]: counter-example 'bán xương hổ' matches 'xương hổ' "
        "at 'xương hổ' (matched) [WL005]",
        f"lint: 1 error(s), 0 warning(s) in {path}",
    ]


def test_an_added_term_is_found_by_scan(root: Path, tmp_path: Path) -> None:
    added = run("add", "--concept", "ivory", "--lang", "en", "--term", "elephant tusk", "--kind", "name",
                "--status", "approved", *SOURCE, "--example", "Whole elephant tusk, 3 kg",
                "--counter-example", "elephant tusk replica", "--exclude", "replica", "--lexicon", str(root))
    assert added.exit_code == 0
    assert run("lint", str(root)).exit_code == 0
    dump = tmp_path / "dump.csv"
    dump.write_text("id,title\nA1,Whole elephant tusk 3 kg\nA2,elephant tusk replica in resin\n", "utf-8")
    result = run("scan", str(dump), "--no-bundled", "--lexicon", str(root), "--format", "csv")
    assert result.exit_code == 0
    rows = result.stdout.splitlines()[1:]
    assert [row.split(",")[1:3] + row.split(",")[5:6] for row in rows] == [["A1", "1", "elephant tusk"]]
