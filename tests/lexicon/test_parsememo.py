"""The lint's memo of parsed lexicon files: what changed is parsed again, nothing else, and the
problems found are the same with or without it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import VALID_LEXICON
from wildcli.lexicon.parsememo import ParseMemo, memo_for
from wildcli.lexicon.validation import lint_report


@pytest.fixture
def lexicon(tmp_path: Path) -> Path:
    root = tmp_path / "lexicon"
    shutil.copytree(VALID_LEXICON, root)
    return root


def _lint(root: Path) -> list[str]:
    return [str(p) for p in lint_report([root]).problems]


def test_only_changed_files_are_parsed_again(lexicon: Path, tmp_path: Path) -> None:
    files = sorted(lexicon.rglob("*.yaml"))
    memo_path = tmp_path / "memo.pickle"
    first = ParseMemo(memo_path)
    for f in files:
        first.parse(f.read_text("utf-8"), str(f))
    assert first.parsed == len(files)
    first.save()

    edited = lexicon / "ivory" / "en.yaml"
    edited.write_text(edited.read_text("utf-8") + "# edited\n", "utf-8")
    second = ParseMemo(memo_path)
    docs = {f: second.parse(f.read_text("utf-8"), str(f)) for f in files}
    assert second.parsed == 1  # the edited file only
    assert docs[edited].text == edited.read_text("utf-8")


def test_a_damaged_or_foreign_memo_is_ignored(lexicon: Path, tmp_path: Path) -> None:
    memo_path = tmp_path / "memo.pickle"
    text = (lexicon / "ivory" / "en.yaml").read_text("utf-8")
    for junk in (b"", b"not a pickle", b"\x80\x05N."):
        memo_path.write_bytes(junk)
        memo = ParseMemo(memo_path)
        assert memo.parse(text, "en.yaml").data is not None
        assert memo.parsed == 1


def test_lint_finds_the_same_problems_with_and_without_it(
    lexicon: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = lexicon / "ivory" / "en.yaml"
    broken.write_text(broken.read_text("utf-8").replace("status: approved", "status: aproved", 1), "utf-8")
    monkeypatch.setenv("WILDCLI_CACHE_DIR", str(tmp_path / "cache"))
    cold = _lint(lexicon)
    assert cold  # the broken status is a problem
    assert list((tmp_path / "cache").glob("parsed-*.pickle"))
    warm = _lint(lexicon)
    monkeypatch.setenv("WILDCLI_NO_CACHE", "1")
    assert memo_for([lexicon], tmp_path / "cache") is None
    assert warm == cold == _lint(lexicon)

    # Fixed in place: the memo must not hand back the old text's problems.
    monkeypatch.delenv("WILDCLI_NO_CACHE")
    broken.write_text(broken.read_text("utf-8").replace("status: aproved", "status: approved", 1), "utf-8")
    assert _lint(lexicon) == []
