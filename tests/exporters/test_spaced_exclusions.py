"""Exclusions in scripts without spaces, written apart: exports carry them as wildcli reads them."""

from __future__ import annotations

import pytest

from wildcli.exporters import ExportFormat
from wildcli.exporters.selection import ExportOptions, render_export, spaced_apart
from wildcli.lexicon import Lexicon
from wildcli.lexicon.actions import Action
from wildcli.match.matcher import Matcher
from wildcli.simulation import load_applier

# The valid fixture's 象牙 excludes 象牙白 ("ivory white"); searches often put a space after the
# product word, and wildcli reads that as the exclusion.
APART = "象牙 白 钢笔"


@pytest.mark.parametrize(
    ("phrase", "word", "forms"),
    [
        ("象牙白", "象牙", {"象牙 白"}),
        ("仿玳瑁", "玳瑁", {"仿 玳瑁"}),
        ("虎皮凤爪", "虎皮", {"虎皮 凤爪"}),
        ("新虎皮凤爪", "虎皮", {"新 虎皮凤爪", "新虎皮 凤爪", "新 虎皮 凤爪"}),
        ("象牙 白", "象牙", set()),  # already apart
        ("象牙", "象牙", set()),  # the word itself
        ("玳瑁色", "象牙", set()),  # does not hold the word
    ],
)
def test_spaced_apart(phrase: str, word: str, forms: set[str]) -> None:
    assert spaced_apart(phrase, word) == forms


def test_wildcli_reads_the_exclusion_written_apart(fixture_matcher: Matcher) -> None:
    assert fixture_matcher.find(APART) == []
    assert [f.term for f in fixture_matcher.find("象牙 手镯")] == ["象牙"]


@pytest.mark.parametrize("fmt", [ExportFormat.JSON, ExportFormat.REGEX, ExportFormat.TXT])
def test_exports_applied_as_their_targets_apply_them_agree(fixture_lexicon: Lexicon, fmt: ExportFormat) -> None:
    applier = load_applier(render_export(fixture_lexicon, fmt, ExportOptions()))
    assert applier.apply(APART).action is Action.ALLOW
    assert applier.apply("象牙白 钢笔").action is Action.ALLOW
    assert applier.apply("象牙 手镯").action is Action.BLOCK
