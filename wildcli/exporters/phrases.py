"""Phrase matching as search engines and blocklist services apply a list of phrases.

Both sides are NFKC-normalised and case-folded, and runs of white space count as one space. A
phrase must stand as whole words in scripts written with spaces, and matches anywhere in Han,
kana, Hangul, Thai and the other scripts written without them (`wildcli.text.scripts`). This is the
documented meaning of a phrase in every list export, and the building block of the rule
semantics of the rules exports (`wildcli.simulation`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import ahocorasick_rs

from wildcli.text.scripts import is_hangul, is_unspaced, is_word_char

_SPACES = re.compile(r"\s+")

Span = tuple[int, int]


def normalize_phrase(text: str) -> str:
    """NFKC, case folded, white space collapsed to single spaces and trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def normalize_text(text: str) -> str:
    """The text side: like a phrase, but not trimmed (offsets then stay close to the original)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=65536)
def spaced_word_char(ch: str) -> bool:
    """A letter, digit or mark of a script written with spaces: it glues onto a neighbouring word."""
    return is_word_char(ch) and not is_unspaced(ch) and not is_hangul(ch)


def stands_alone(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is not glued to a longer word on a side where that matters."""
    if start > 0 and spaced_word_char(text[start]) and spaced_word_char(text[start - 1]):
        return False
    return not (end < len(text) and spaced_word_char(text[end - 1]) and spaced_word_char(text[end]))


def occurrences(text: str, phrase: str) -> list[Span]:
    """Where the normalised `phrase` occurs in the normalised `text`, as whole words."""
    if not phrase:
        return []
    spans = []
    start = text.find(phrase)
    while start >= 0:
        if stands_alone(text, start, start + len(phrase)):
            spans.append((start, start + len(phrase)))
        start = text.find(phrase, start + 1)
    return spans


class PhraseIndex:
    """Many phrases at once: one Aho-Corasick pass over a normalised text finds them all.

    Each phrase is registered under any number of keys (the caller's ids); `find` returns, per
    key, the spans where one of its phrases stands as whole words.
    """

    def __init__(self, phrases: Iterable[tuple[str, object]]) -> None:
        keys: dict[str, list[object]] = defaultdict(list)
        for phrase, key in phrases:
            norm = normalize_phrase(phrase)
            if norm:
                keys[norm].append(key)
        self.patterns: list[str] = sorted(keys)
        self.keys: list[Sequence[object]] = [keys[p] for p in self.patterns]
        self._automaton = ahocorasick_rs.AhoCorasick(self.patterns) if self.patterns else None

    def find(self, normalized: str) -> dict[object, list[Span]]:
        """Spans per key in an already normalised text (`normalize_text`)."""
        found: dict[object, list[Span]] = defaultdict(list)
        if self._automaton is None or not normalized:
            return found
        for index, start, end in self._automaton.find_matches_as_indexes(normalized, overlapping=True):
            if stands_alone(normalized, start, end):
                for key in self.keys[index]:
                    found[key].append((start, end))
        return found
