"""The compiled-lexicon cache: same answers, invalidated by any lexicon change, never fatal."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import VALID_LEXICON
from wildcli.lexicon import LexiconProblems, load_lexicon
from wildcli.lexicon.model import Lexicon, Status
from wildcli.lexicon.validation import lint_report
from wildcli.match.cache import KEEP, compiled_patterns, load_matcher
from wildcli.match.cachedir import cache_dir
from wildcli.match.keys import Patterns
from wildcli.match.matcher import Matcher

TEXT = "Carved ivory bangle and 出售老象牙手镯, DM for price"


@pytest.fixture
def lexicon_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WILDCLI_CACHE_DIR", str(tmp_path / "cache"))
    target = tmp_path / "lex"
    shutil.copytree(VALID_LEXICON, target)
    return target


def terms(lexicon: Path, **kwargs: object) -> list[str]:
    matcher = load_matcher([lexicon], with_bundled=False, **kwargs)  # type: ignore[arg-type]
    return [f.term for f in matcher.find(TEXT)]


def test_a_cached_matcher_finds_the_same(lexicon_copy: Path) -> None:
    first = terms(lexicon_copy)
    assert len(list(cache_dir().glob("matcher-*.pickle"))) == 1
    assert terms(lexicon_copy) == first == ["ivory", "象牙"]
    assert terms(lexicon_copy, short_run=True) == first


def test_editing_a_lexicon_file_invalidates_the_cache(lexicon_copy: Path) -> None:
    assert terms(lexicon_copy) == ["ivory", "象牙"]
    zh = lexicon_copy / "ivory" / "zh-Hans.yaml"
    time.sleep(0.01)
    zh.write_text(zh.read_text("utf-8").replace("status: approved", "status: retired"), "utf-8")
    assert terms(lexicon_copy) == ["ivory"]
    assert len(list(cache_dir().glob("matcher-*.pickle"))) == 2


def test_a_corrupt_cache_file_is_ignored(lexicon_copy: Path) -> None:
    terms(lexicon_copy)
    (cached,) = cache_dir().glob("matcher-*.pickle")
    cached.write_bytes(b"not a pickle")
    assert terms(lexicon_copy) == ["ivory", "象牙"]


def test_a_broken_lexicon_is_reported_not_cached(lexicon_copy: Path) -> None:
    (lexicon_copy / "ivory" / "concept.yaml").write_text("id: ivory\nid: ivory\n", "utf-8")
    with pytest.raises(LexiconProblems):
        terms(lexicon_copy)
    assert list(cache_dir().glob("matcher-*.pickle")) == []


def test_the_cache_can_be_turned_off(lexicon_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WILDCLI_NO_CACHE", "1")
    assert terms(lexicon_copy) == ["ivory", "象牙"]
    assert not cache_dir().exists()


def test_a_cached_matcher_matches_batches_the_same(lexicon_copy: Path) -> None:
    texts = [TEXT, "garden chair", "象 牙 for sale", "carved 1v0ry"] * 20
    fresh = load_matcher([lexicon_copy], with_bundled=False)
    cached = load_matcher([lexicon_copy], with_bundled=False)
    assert cached.prefilter() is not fresh.prefilter()  # read back from the cache
    assert cached.find_many(texts) == fresh.find_many(texts) == [fresh.find(t) for t in texts]
    assert sum(map(len, cached.find_many(texts))) >= 40


def test_only_the_newest_entries_are_kept(lexicon_copy: Path) -> None:
    folder = cache_dir()
    folder.mkdir(parents=True)
    for i in range(KEEP + 3):
        old = folder / f"matcher-old{i}.pickle"
        old.write_bytes(b"stale")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    terms(lexicon_copy)
    kept = sorted(p.name for p in folder.glob("matcher-*.pickle"))
    assert len(kept) == KEEP
    assert not any(name in kept for name in ("matcher-old0.pickle", "matcher-old3.pickle"))
    assert f"matcher-old{KEEP + 2}.pickle" in kept


# Lint's compiled keys (compiled_patterns): keyed by the contents of the lexicon files.


def _lint_lines(lexicon: Path) -> list[str]:
    return [str(p) for p in lint_report([lexicon]).problems]


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the lexicon compilations (Patterns built, not read from the cache)."""
    calls: list[int] = []
    build = Patterns.__init__

    def counting(self: Patterns, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        build(self, *args, **kwargs)

    monkeypatch.setattr(Patterns, "__init__", counting)
    return calls


def test_lint_compiles_an_unchanged_lexicon_once(lexicon_copy: Path, compilations: list[int]) -> None:
    first = _lint_lines(lexicon_copy)
    built = len(compilations)
    assert built >= 1
    assert list(cache_dir().glob("patterns-*.pickle"))
    assert _lint_lines(lexicon_copy) == first
    assert len(compilations) == built


def test_lint_never_uses_the_keys_of_an_edited_lexicon(lexicon_copy: Path, compilations: list[int]) -> None:
    path = lexicon_copy / "ivory" / "en.yaml"
    assert _lint_lines(lexicon_copy) == []
    # Same size and modification time: only the contents tell the edit apart.
    stat = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace("- term: elephant ivory", "- term: elephant ivorx"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    built = len(compilations)
    edited = _lint_lines(lexicon_copy)
    assert len(compilations) > built
    assert any("example 'elephant ivory tusk' does not match 'elephant ivorx'" in line for line in edited)
    path.write_text(text, "utf-8")
    assert _lint_lines(lexicon_copy) == []


def test_cached_keys_carry_this_runs_terms(lexicon_copy: Path) -> None:
    lexicon = load_lexicon([lexicon_copy])
    compiled_patterns(lexicon, obfuscation=True)
    again = load_lexicon([lexicon_copy])
    patterns = compiled_patterns(again, obfuscation=True)
    ids = {id(t) for t in again.terms}
    assert patterns.terms
    assert all(id(c.term) in ids for c in patterns.terms)


def test_lint_cache_can_be_turned_off(
    lexicon_copy: Path, compilations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WILDCLI_NO_CACHE", "1")
    _lint_lines(lexicon_copy)
    built = len(compilations)
    _lint_lines(lexicon_copy)
    assert len(compilations) == 2 * built
    assert not cache_dir().exists() or not list(cache_dir().glob("patterns-*.pickle"))


def test_concurrent_lints_share_the_cache_safely(lexicon_copy: Path) -> None:
    # Several processes compile and write the same entries at once: each write is atomic, so every
    # run prints the same and every entry left behind is whole.
    env = {**os.environ, "WILDCLI_CACHE_DIR": str(cache_dir())}
    runs = [subprocess.Popen([sys.executable, "-m", "wildcli", "lint", str(lexicon_copy)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = {(*proc.communicate(timeout=100), proc.returncode) for proc in runs}
    assert outputs == {(b"", b"0 errors, 0 warnings in 8 files\n", 0)}
    entries = list(cache_dir().glob("patterns-*.pickle"))
    assert entries
    lexicon = load_lexicon([lexicon_copy])
    for entry in entries:
        with entry.open("rb") as handle:
            concepts, patterns = pickle.load(handle)
        assert concepts == lexicon.concepts
        assert isinstance(patterns, Patterns)
    assert not list(cache_dir().glob(".*.tmp"))


# Lint's preview of proposed terms: the approved keys extended, not the lexicon compiled twice.


def _previewed(lexicon: Lexicon) -> Lexicon:
    terms = tuple(dataclasses.replace(t, status=Status.APPROVED) if t.status is Status.PROPOSED else t
                  for t in lexicon.terms)  # fmt: skip
    return dataclasses.replace(lexicon, terms=terms)


def _decided(judge: Matcher, text: str) -> list[tuple[object, ...]]:
    return sorted((d.term.key, d.start, d.end, d.accepted, d.reason, d.method) for d in judge.decide(text))


@pytest.mark.timeout(120)
def test_extended_keys_judge_every_example_as_a_whole_compilation() -> None:
    """On the bundled lexicon and its 200-odd proposed terms: every example and counter-example
    (the texts lint judges with the preview) gets the same decisions and findings both ways."""
    lexicon = load_lexicon([])
    preview = _previewed(lexicon)
    assert len(preview.active_terms()) > len(lexicon.active_terms())
    extended = Matcher(preview, patterns=Patterns(lexicon, obfuscation=True).extended(preview))
    whole = Matcher(preview, patterns=Patterns(preview, obfuscation=True))
    assert len(extended.patterns.terms) == len(whole.patterns.terms)
    texts = [x for t in preview.terms for x in (*t.examples, *t.counter_examples)]
    assert len(texts) > 5000
    for text in texts:
        assert _decided(extended, text) == _decided(whole, text), text
        assert extended.find(text) == whole.find(text), text


PROPOSED = """  - term: mammoth tusk
    kind: name
    status: proposed
    sources:
      - title: Fixture source
        url: https://example.org/a
        year: 2022
    added: "2026-12-08"
    examples:
      - "mammoth tusk carving"
    counter_examples:
      - "mammoth skeleton in the museum"
"""


@pytest.fixture
def with_proposed(lexicon_copy: Path) -> Path:
    path = lexicon_copy / "ivory" / "en.yaml"
    text = path.read_text("utf-8")
    path.write_text(text + PROPOSED, "utf-8")  # after "ivory", the file's last term
    return lexicon_copy


def test_extending_keys_leaves_the_original_alone(with_proposed: Path) -> None:
    lexicon = load_lexicon([with_proposed])
    patterns = Patterns(lexicon, obfuscation=True)
    keys, entries = dict(patterns.keys), [list(held) for held in patterns.entries]
    extended = patterns.extended(_previewed(lexicon))
    assert (patterns.keys, patterns.entries) == (keys, entries)
    assert [c.term.term for c in extended.terms if c.term.term not in {p.term.term for p in patterns.terms}] == [
        "mammoth tusk"]
    assert [f.term for f in Matcher(lexicon, patterns=patterns).find("mammoth tusk carving")] == []
    assert [f.term for f in Matcher(_previewed(lexicon), patterns=extended).find("mammoth tusk carving")] == [
        "mammoth tusk"]


def test_lint_compiles_the_lexicon_once_with_proposed_terms(with_proposed: Path, compilations: list[int]) -> None:
    assert _lint_lines(with_proposed) == []
    assert len(compilations) == 1
    # The preview still judges the proposed term's examples: a counter-example it matches is reported.
    path = with_proposed / "ivory" / "en.yaml"
    path.write_text(path.read_text("utf-8").replace("mammoth skeleton in", "mammoth tusk in"), "utf-8")
    assert any("mammoth tusk" in line for line in _lint_lines(with_proposed))
