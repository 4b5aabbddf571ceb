"""`wildcli lint FILE...`: what a pre-commit hook runs on the changed files. It reports exactly
what a whole lint reports about those files, and no more."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import DATA, ROOT
from wildcli.lexicon.loader import display_path
from wildcli.lexicon.validation import lint_report

ISSUES = DATA / "lexicons" / "issues"
FIXTURES = sorted(p for p in ISSUES.iterdir() if p.is_dir())


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("lexicon", FIXTURES, ids=lambda p: p.name)
def test_each_file_gets_the_problems_a_whole_lint_finds_in_it(lexicon: Path) -> None:
    whole = lint_report([lexicon]).problems
    assert whole, "every issues/ fixture has a problem"
    for path in sorted(lexicon.glob("*/*.yaml")):
        shown = display_path(path)
        wanted = [p for p in whole if shown in (p.location.path, p.related)]
        assert lint_report([lexicon], only=[path]).problems == wanted, shown


def test_the_command_reports_one_file_and_counts_one_file() -> None:
    pangolin = ISSUES / "WL004" / "pangolin"
    result = run("lint", str(pangolin / "en.yaml"))
    assert result.exit_code == 1
    assert result.stdout == (
        "tests/data/lexicons/issues/WL004/pangolin/en.yaml:13: terms[0].examples[0]: example "
        "'pangolin scale tea' does not match 'pangolin scales': not found [WL004]\n"
    )
    assert result.stderr == "1 error, 0 warnings in 1 file\n"
    clean = run("lint", str(ISSUES / "WL004" / "pangolin" / "concept.yaml"), "--format", "json")
    assert clean.exit_code == 1
    assert '"path": "tests/data/lexicons/issues/WL004/pangolin/concept.yaml"' in clean.stdout
    assert "en.yaml" not in clean.stdout


def test_a_duplicate_is_reported_to_either_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The later term carries the problem; the file of the earlier one, changed alone, must hear of it too.
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ISSUES / "WL003", "lex")
    later = run("lint", "lex/tcm/en.yaml").stdout
    earlier = run("lint", "lex/pangolin/en.yaml").stdout
    assert "[WL003]" in later
    assert later == earlier


def test_files_from_a_directory_two_levels_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ISSUES / "WL004", tmp_path / "lex")
    monkeypatch.chdir(tmp_path / "lex" / "pangolin")
    result = run("lint", "en.yaml")
    assert result.stdout.startswith("en.yaml:13: terms[0].examples[0]: ")


def test_directories_and_files_are_not_mixed() -> None:
    result = run("lint", str(ISSUES / "WL004"), str(ISSUES / "WL004" / "pangolin" / "en.yaml"))
    assert result.exit_code == 2
    assert result.stderr == "error: give lexicon directories or files of a lexicon, not both\n"


def test_a_missing_file_is_named() -> None:
    result = run("lint", "lexicons/ivory/xx-none.yaml")
    assert (result.exit_code, result.stderr) == (78, "error: lexicons/ivory/xx-none.yaml: no such lexicon file\n")
