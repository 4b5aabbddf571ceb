"""`wildcli lint`: output formats, the summary line and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import DATA, ROOT, VALID_LEXICON
from wildcli.cli.lint import github_annotation
from wildcli.errors import Location
from wildcli.lexicon import loader
from wildcli.lexicon.rules import RULES

ISSUES = DATA / "lexicons" / "issues"
WL004 = "tests/data/lexicons/issues/WL004/pangolin"


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_valid_fixture_is_clean_even_with_strict() -> None:
    result = run("lint", "--strict", str(VALID_LEXICON))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "0 errors, 0 warnings in 8 files\n"


def test_errors_exit_1_with_one_line_each() -> None:
    result = run("lint", str(ISSUES / "WL004"))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{WL004}/concept.yaml:8: examples[0]: example 'armadillo shell' matches no term of concept 'pangolin' [WL004]",
        f"{WL004}/en.yaml:13: terms[0].examples[0]: example 'pangolin scale tea' does not match "
        "'pangolin scales': not found [WL004]",
    ]
    assert result.stderr == "2 errors, 0 warnings in 2 files\n"


def test_warnings_fail_only_with_strict() -> None:
    assert run("lint", str(ISSUES / "WL007")).exit_code == 0
    assert run("lint", "--strict", str(ISSUES / "WL007")).exit_code == 1


def test_missing_directory_exits_78() -> None:
    result = run("lint", str(VALID_LEXICON), "no/such/dir")
    assert (result.exit_code, result.stdout) == (78, "")
    assert result.stderr == "error: no/such/dir: lexicon directory not found\n"


def test_load_errors_are_problems_not_exit_78() -> None:
    result = run("lint", str(DATA / "lexicons" / "invalid" / "duplicate_key"))
    assert result.exit_code == 1
    assert "tests/data/lexicons/invalid/duplicate_key/pangolin/en.yaml:5: duplicate key 'kind' [WL001]\n" in result.stdout


def test_json_format() -> None:
    result = run("lint", "--format", "json", str(ISSUES / "WL013"))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "rule": "WL013", "severity": "error", "path": "tests/data/lexicons/issues/WL013/pangolin/en.yaml",
        "line": 11, "field": "terms[0].context[0]", "message": "'@selling' names no concept of the lexicon",
    }]


def test_github_format() -> None:
    result = run("lint", "--format", "github", str(ISSUES / "WL004"))
    assert result.stdout.splitlines() == [
        f"::error file={WL004}/concept.yaml,line=8,title=WL004::examples[0]: example 'armadillo shell' "
        "matches no term of concept 'pangolin'",
        f"::error file={WL004}/en.yaml,line=13,title=WL004::terms[0].examples[0]: example 'pangolin scale tea' "
        "does not match 'pangolin scales': not found",
    ]
    assert run("lint", "--format", "github", str(ISSUES / "WL007")).stdout == (
        "::warning file=tests/data/lexicons/issues/WL007/pangolin/en.yaml,line=16,title=WL007::terms[1].sources: "
        "a proposed term needs a source before it can be approved\n")


def test_github_escaping() -> None:
    line = github_annotation("error", Location("a:b,c.yaml", 3), "WL,1", "100% sure:\r\nreally, yes")
    assert line == "::error file=a%3Ab%2Cc.yaml,line=3,title=WL%2C1::100%25 sure:%0D%0Areally, yes"
    assert github_annotation("warning", Location("x.yaml"), "WL015", "m") == "::warning file=x.yaml,title=WL015::m"


def test_default_is_the_bundled_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "bundled_lexicon_dir", lambda: ISSUES / "WL013")
    result = run("lint")
    assert result.exit_code == 1
    assert "[WL013]" in result.stdout


def test_with_bundled_layers_the_dirs_over_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "bundled_lexicon_dir", lambda: VALID_LEXICON)
    overlay = tmp_path / "overlay" / "tiger_parts"
    overlay.mkdir(parents=True)
    (overlay / "vi.yaml").write_text(
        "terms:\n  - term: Cao Hổ\n    kind: name\n    status: proposed\n", "utf-8")
    alone = run("lint", str(tmp_path / "overlay"))
    layered = run("lint", "--with-bundled", str(tmp_path / "overlay"))
    assert "missing concept.yaml" in alone.stdout
    assert "'Cao Hổ' duplicates 'cao hổ'" in layered.stdout
    assert "missing concept.yaml" not in layered.stdout


def test_rules_are_listed() -> None:
    result = run("lint", "--rules")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "WL001  error    the file cannot be loaded: bad YAML, schema violation, bad file name")
    assert len(result.stdout.splitlines()) == len(RULES)
