"""Terms of scripts without spaces (Han, kana, Thai) and of Hangul split by separators: found,
with offsets into what was typed, and ordinary word spacing and punctuation do not make them."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildcli.lexicon import load_lexicon
from wildcli.match.findings import Method
from wildcli.match.matcher import MIN_BATCH, Matcher

# Every separator the issue of sellers names, one by one, then mixed.
SEPARATORS = [" ", "·", "・", "•", "‧", "･", ".", "．", "-", "_", "/", "／", "\u200b", " . ", "·-", "_ ", "\u3000", "。", "｡"]
TERMS = [("象牙", "ivory"), ("犀牛角", "rhino_horn"), ("べっ甲", "turtle_shell"), ("งาช้าง", "ivory"), ("상아", "ivory")]


@cache
def matcher() -> Matcher:
    return Matcher(load_lexicon())


def _split(term: str, separator: str) -> str:
    """The term with `separator` between its letters (a Thai mark stays on its letter)."""
    pieces: list[str] = []
    for ch in term:
        if pieces and not ch.isalnum():  # a combining mark joins the letter before it
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return separator.join(pieces)


@pytest.mark.parametrize("separator", SEPARATORS, ids=[repr(s) for s in SEPARATORS])
@pytest.mark.parametrize(("term", "concept"), TERMS)
def test_a_term_split_by_any_separator_is_found_where_it_was_typed(term: str, concept: str, separator: str) -> None:
    for before, after in (("", ""), ("出售 ", " 正品"), ("ขาย ", " แท้"), ("판매 ", " 팝니다")):
        split = _split(term, separator)
        text = f"{before}{split}{after}"
        found = [f for f in matcher().find(text) if f.concept == concept]
        assert found, text
        finding = found[0]
        assert (finding.start, finding.end) == (len(before), len(before) + len(split)), text
        assert text[finding.start:finding.end] == finding.matched == split


@pytest.mark.parametrize(
    "text",
    [
        "小象 牙刷 儿童",  # little elephant / toothbrush: the ends of two words
        "大象 牙齿 科普",
        "세상 아름다운 풍경",  # world / beautiful
        "사진 상 아이 옷",  # a syllable word, then a word starting with the next one
        "인상 아주 좋아",
        "น้ำมันงา ช้างศึก",  # sesame oil / a brand
        "ขนมงา ช้างน้อย",
        "白/紅色 外套",
        "小象-牙刷",
        "我有一头大象。牙齿很白",  # a sentence ends between the two characters
        "这是大象。牙刷在桌上",
    ],
)
def test_ordinary_word_spacing_and_punctuation_make_no_finding(text: str) -> None:
    assert [f.term for f in matcher().find(text) if f.concept in {"ivory", "rhino_horn"}] == []


def test_a_term_spelled_out_between_words_is_found_but_not_one_glued_on_both_sides() -> None:
    # One space between two characters glued to other words is how ordinary text is spaced:
    # "出售象 牙手镯" cannot be told from "小象 牙刷", so only a spelled-out split counts.
    assert matcher().find("出售 象 牙 手镯")[0].method is Method.SEPARATED
    assert [f for f in matcher().find("出售象 牙手镯") if f.concept == "ivory"] == []


def test_a_plainly_written_term_is_not_replaced_by_a_longer_one_read_across_a_space() -> None:
    [finding] = matcher().find("穿山甲 鳞片 正品")
    assert (finding.term, finding.method, finding.matched) == ("穿山甲", Method.EXACT, "穿山甲")


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(TERMS),
    st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=3),
    st.sampled_from(["", "出售", "ขาย", "새 "]),
)
def test_batches_find_what_find_finds(term: tuple[str, str], separators: list[str], before: str) -> None:
    text = before + _split(term[0], "".join(separators))
    texts = [text, "Oak side table", "小象 牙刷", *(["plain listing"] * MIN_BATCH)]
    assert matcher().find_many(texts) == [matcher().find(t) for t in texts]
