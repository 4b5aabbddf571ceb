"""`wildcli fmt`: rewrite in place, or --check and list; comments survive; twice changes nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import DATA, ROOT, VALID_LEXICON
from wildcli.lexicon import loader
from wildcli.lexicon.loader import display_path

ISSUES = DATA / "lexicons" / "issues"


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def unsorted(tmp_path: Path) -> Path:
    shutil.copytree(ISSUES / "WL008", tmp_path / "lex")
    return tmp_path / "lex"


def test_check_lists_files_and_writes_nothing(unsorted: Path) -> None:
    path = unsorted / "pangolin" / "en.yaml"
    before = path.read_text("utf-8")
    result = run("fmt", "--check", str(unsorted))
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {display_path(path)}\n"
    assert result.stderr == "1 file would be reformatted, 1 unchanged\n"
    assert path.read_text("utf-8") == before


def test_fmt_rewrites_then_check_passes(unsorted: Path) -> None:
    path = unsorted / "pangolin" / "en.yaml"
    result = run("fmt", str(unsorted))
    assert (result.exit_code, result.stdout) == (0, f"reformatted {display_path(path)}\n")
    first = path.read_text("utf-8")
    assert first.index("term: pangolin scales") < first.index("term: scaly anteater")
    again = run("fmt", str(unsorted))
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "0 files reformatted, 2 unchanged\n")
    assert path.read_text("utf-8") == first
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_comments_are_kept(unsorted: Path) -> None:
    path = unsorted / "pangolin" / "en.yaml"
    text = path.read_text("utf-8").replace("terms:\n", "# Reviewed 2026-11 by the Jakarta team\nterms:\n")
    text = text.replace("    kind: name\n", "    kind: name  # as listed by sellers\n", 1)
    path.write_text(text, "utf-8")
    assert run("fmt", str(path)).exit_code == 0
    result = path.read_text("utf-8")
    assert "# Reviewed 2026-11 by the Jakarta team\nterms:\n" in result
    assert re.search(r"\n    kind: name +# as listed by sellers\n", result)


def test_valid_fixture_is_already_formatted() -> None:
    result = run("fmt", "--check", str(VALID_LEXICON))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "0 files would be reformatted, 8 unchanged\n")


def test_default_is_the_bundled_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "bundled_lexicon_dir", lambda: ISSUES / "WL010")
    result = run("fmt", "--check")
    assert (result.exit_code, result.stdout) == (1, "would reformat tests/data/lexicons/issues/WL010/pangolin/en.yaml\n")


def test_missing_path_exits_78() -> None:
    result = run("fmt", "no/such/dir")
    assert (result.exit_code, result.stderr) == (78, "error: no/such/dir: no such file or directory\n")


def test_unreadable_file_exits_78_and_others_are_still_formatted(unsorted: Path) -> None:
    broken = unsorted / "pangolin" / "fr.yaml"
    broken.write_text("terms:\n  - term: a\n    term: b\n", "utf-8")
    result = run("fmt", str(unsorted))
    assert result.exit_code == 78
    assert f"error: {display_path(broken)}:3: duplicate key 'term'\n" in result.stderr
    assert result.stdout == f"reformatted {display_path(unsorted / 'pangolin' / 'en.yaml')}\n"


def test_symlinks_are_not_followed(unsorted: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("terms:\n- term: b\n- term: a\n", "utf-8")
    (unsorted / "pangolin" / "de.yaml").symlink_to(outside)
    run("fmt", str(unsorted))
    assert outside.read_text("utf-8") == "terms:\n- term: b\n- term: a\n"
