"""Script-aware word boundaries: spaced scripts need them, Han, kana, Thai and friends do not.

"ngà" must not match inside "Ngày", but 象牙 must match inside an unspaced Chinese sentence, and a
Latin term glued to Han text ("象牙ivory") is still a separate word.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from functools import lru_cache

# Scripts written without spaces between words: Han, kana, Bopomofo, Thai, Lao, Myanmar, Khmer.
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),  # CJK iteration marks and ideographic zero
    (0x3040, 0x31FF),  # Hiragana, Katakana, Bopomofo, Katakana extension
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA9E0, 0xA9FF),  # Myanmar extended-B
    (0xAA60, 0xAA7F),  # Myanmar extended-A
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_STARTS = [lo for lo, _ in _UNSPACED]

SEPARATORS = " \t\n\r\f\v.-_/*~+\u00b7\u2022\u2027\u30fb\u2010\u2011\u2012\u2013\u3002"
"""Written between spelled-out letters: "i v o r y", "i.v.o.r.y", "i-v-o-r-y", "i*v*o*r*y",
and the middle dots, hyphens and ideographic full stops of "犀·牛·角", "べ・っ・甲", "象。牙" (as the
folded view writes them: full-width forms are already narrow there, zero-width characters already
gone)."""

WORD_BREAKS = frozenset(" \t\n\r\f\v\u3000/\uff0f-\u2010\u2011\u2012\u2013+~\u30fb\uff65\u3002")
"""Separators that also stand between ordinary words ("小象 牙刷", "白/紅色", "ベッコウ・クシ"):
across one of them alone, two characters of a term may just be the ends of two words. The
others (dots, stars, underscores, the Latin middle dots) have no such use between characters
of scripts without spaces: a term split by them is spelled out."""

GAP_LETTERS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\U00020000-\U0003ffff"
)
"""A regex character range of the scripts whose terms are matched across separators (Han, kana,
Thai, Lao, Myanmar, Khmer and Hangul): written without spaces, or, for Hangul, in syllables
that a seller may space out one by one."""
# Hangul is spaced, but particles attach to the end of nouns (상아를), so only the start of a
# Korean term needs a boundary.
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))


def is_unspaced(ch: str) -> bool:
    """True for characters of scripts written without spaces between words."""
    cp = ord(ch)
    i = bisect_right(_STARTS, cp) - 1
    return i >= 0 and cp <= _UNSPACED[i][1]


def is_hangul(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _HANGUL)


def is_thai(ch: str) -> bool:
    return 0x0E00 <= ord(ch) <= 0x0E7F


def is_word_char(ch: str) -> bool:
    """Letters, digits and combining marks: what a word of a spaced script is made of."""
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


@lru_cache(maxsize=4096)
def needs_boundary_before(first: str) -> bool:
    """Whether a term starting with `first` must not be preceded by a word character."""
    return is_word_char(first) and not is_unspaced(first)


@lru_cache(maxsize=4096)
def needs_boundary_after(last: str) -> bool:
    """Whether a term ending with `last` must not be followed by a word character."""
    return is_word_char(last) and not is_unspaced(last) and not is_hangul(last)


@lru_cache(maxsize=65536)
def breaks_word(ch: str) -> bool:
    """Whether a neighbouring character `ch` would glue a spaced-script term into a longer word."""
    return is_word_char(ch) and not is_unspaced(ch)


def at_boundaries(text: str, start: int, end: int, before: bool, after: bool) -> bool:
    """Whether `text[start:end]` stands as a word on the sides that need it."""
    if before and start > 0 and breaks_word(text[start - 1]):
        return False
    return not (after and end < len(text) and breaks_word(text[end]))
