"""Long texts are translated and folded through Arrow: the result must be the string
`str.translate` gives, character for character, or None where the table refuses."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wildcli.text.normalize as normalize_module
from wildcli.text.codepoints import MIN_CHARS, CodepointTable, Translation
from wildcli.text.normalize import _bmp_fold_pieces, fold_pieces

BMP = "".join(chr(cp) for cp in range(1, 0x10000) if not 0xD800 <= cp <= 0xDFFF)
IDENTITY = [chr(cp) for cp in range(0x10000)]


def test_every_character_is_translated_as_str_translate_does() -> None:
    table, _, _ = _bmp_fold_pieces()
    codepoints = CodepointTable(table)
    text = BMP * 2
    assert codepoints.translate(text) == Translation(text.translate(table), True)


@pytest.mark.parametrize("odd", ["ä", "😀", "\ud800", "\udc00x"])
def test_a_refused_character_one_beyond_the_plane_or_a_lone_surrogate_gives_none(odd: str) -> None:
    table = CodepointTable(IDENTITY, refused=[ord("ä")])
    assert table.translate("x" * MIN_CHARS + odd) is None
    assert table.translate("x" * MIN_CHARS + "ö") == ("x" * MIN_CHARS + "ö", True)


def test_a_character_another_becomes_is_not_put_right_by_replacing_it() -> None:
    # "b" becomes "a" and "a" becomes "aa": replacing every "a" of the output afterwards would
    # also rewrite the "a" made from "b", so "a" is refused rather than translated wrongly.
    pieces = list(IDENTITY)
    pieces[ord("a")], pieces[ord("b")], pieces[ord("c")] = "aa", "a", ""
    table = CodepointTable(pieces)
    assert table.translate("abc" * MIN_CHARS) is None
    assert table.translate("bc" * MIN_CHARS) == ("a" * MIN_CHARS, True)


def test_the_table_says_whether_a_marked_character_can_be_in_the_translation() -> None:
    pieces = list(IDENTITY)
    pieces[ord("é")] = "e\u0301"
    table = CodepointTable(pieces, marks=re.compile("\u0301"))
    assert table.translate("abc" * MIN_CHARS) == ("abc" * MIN_CHARS, False)
    assert table.translate("é" * MIN_CHARS) == ("e\u0301" * MIN_CHARS, True)
    assert table.translate("\u0301") == ("\u0301", True)
    assert table.translate("") == ("", False)


_PIECES = st.sampled_from(["a", "E", "ß", "ẞ", "\u200b", "\ufe0f", "é", "e\u0301", "ｉ", "½", "ﬁ", "Σ", "ς", "\ufa6c",
                           "象", "，", "Ǆ", "ố", "ả", "ก", "\u0e48", "가", " ", "\x1e", "😀", "\u3099", "\ud800",
                           "\u0334", "\u20d2"])  # combining marks that compose with nothing: folded away


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=40))
def test_folding_a_long_text_agrees_with_the_short_way(pieces: list[str]) -> None:
    text = ("".join(pieces) + " ") * (MIN_CHARS // len(pieces) + 1)
    assert len(text) >= MIN_CHARS
    fast = fold_pieces(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(normalize_module, "MIN_CHARS", len(text) + 1)
        slow = fold_pieces(text)
    assert fast == slow
