"""The batch candidate test never drops a text that `find` would report on, whatever the text.

`Matcher.find_many` must return exactly what `find` returns text by text. The pieces below are
built to reach every branch of `wildcli.match.prefilter`: real terms of every script and their
disguised spellings, characters that combine with their neighbours, invisible and astral
characters, the batch separator itself, hashtags and camel case, leet digits and stuffed letters.
"""

from __future__ import annotations

import random
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import Runner, fuzz_settings
from wildcli.discovery.variants import expand
from wildcli.lexicon import load_lexicon
from wildcli.match.matcher import MIN_BATCH, Matcher, MatchOptions
from wildcli.match.prefilter import SEPARATOR
from wildcli.text.normalize import fold, fold_pieces, normalize

_BUNDLED = load_lexicon()
_MATCHERS = [
    Matcher(_BUNDLED, MatchOptions(fuzzy=True)),
    Matcher(_BUNDLED, MatchOptions(fuzzy=False, obfuscation=False)),
]
_TERMS = sorted({t.term for t in _BUNDLED.active_terms()})
_DISGUISED = sorted({
    v.text for term in random.Random(7).sample(list(_BUNDLED.active_terms()), 60)
    for v in expand(term, max_variants=6)
})
# Decomposed spellings (Vietnamese tones, Cyrillic й, Hangul jamo) only match once composed, and
# one letter dropped from a long word is a fuzzy near-miss.
_DECOMPOSED = sorted({unicodedata.normalize("NFD", t) for t in _TERMS} - set(_TERMS))
_MISSPELT = sorted({t[:len(t) // 2] + t[len(t) // 2 + 1:] for t in _TERMS if len(t) >= 8 and t.isalpha()})
# One word of a longer term in leet: the skeleton view meets the rest of it as typed.
_PARTLY_LEET = sorted({
    " ".join(w.replace("o", "0", 1) if i == k else w for i, w in enumerate(t.split(" ")))
    for t in _TERMS for k in range(t.count(" ") + 1) if " " in t and "o" in t.split(" ")[k]
})
_CONTEXT = sorted({p for t in _BUNDLED.active_terms() for p in (*t.context, *t.exclude) if not p.startswith("@")})
_ODD = [
    " ", " ", "  ", "\n", "-", ".", ",", "#", "＃", "_", SEPARATOR, "\0", "\u200b", "\u00ad", "\ufe0f", "\u202e",
    "\u0301", "\u0300", "\u0306", "\u0308", "\u3099", "e\u0301", "и\u0306", "ｅ", "ＩＶＯＲＹ", "𝐢𝐯𝐨𝐫𝐲", "🐘", "🦏\ufe0f",
    "ß", "ẞ", "İ", "ı", "ﬁ", "™", "½", "²", "，", "。", "а", "о", "і", "ο", "ν", "1", "0", "3", "@", "$", "|", "!",
    "sss", "ooo", "mp3", "4th", "Ngà", "NgàVoi", "RhinoHorn", "i v o r y", "i.v.o.r.y", "象.牙", "ק", "ب", "ก",
    "\U000e0041", "\U0001d173", "𤋮", "兀",
]  # fmt: skip
_PIECE = st.one_of(
    st.sampled_from(_TERMS), st.sampled_from(_DISGUISED), st.sampled_from(_CONTEXT), st.sampled_from(_ODD),
    st.sampled_from(_DECOMPOSED), st.sampled_from(_MISSPELT), st.sampled_from(_PARTLY_LEET),
    st.text(max_size=4),
)
_TEXT = st.lists(_PIECE, max_size=10).map("".join)


@fuzz_settings(60)
@given(texts=st.lists(_TEXT, min_size=MIN_BATCH, max_size=MIN_BATCH + 40), which=st.sampled_from(_MATCHERS))
def _batch_agrees(texts: list[str], which: Matcher) -> None:
    assert which.find_many(texts) == [which.find(text) for text in texts]


def test_find_many_agrees_with_find_on_any_batch(fuzz: Runner) -> None:
    fuzz(_batch_agrees)


_MARKS = st.sampled_from(["\u0301", "\u0300", "\u0323", "\u0308", "\u0e48", "\u0e39", "\u0385", "\u3099", "\uff9e",
                          "\u1161", "\u11a8", "\u0340", "\u0344", "\u0f73", "\u05b0", "\u0651", "\u064e"])
_LETTERS = st.sampled_from(["a", "e", "E", "ｅ", "ſ", "ß", "가", "\u1100", "か", "ก", "\u05d0", "\u0628", "ΐ", " "])


@fuzz_settings(300)
@given(text=st.one_of(st.text(max_size=12), st.lists(st.one_of(_MARKS, _LETTERS), max_size=10).map("".join)))
def _one_pass_fold(text: str) -> None:
    quick = fold_pieces(text)
    assert quick is None or quick == fold(normalize(text).text)


def test_one_pass_folding_never_answers_wrong(fuzz: Runner) -> None:
    fuzz(_one_pass_fold)
