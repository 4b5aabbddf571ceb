"""Near-misses ("pangolim") with rapidfuzz: length-aware edit distance on unmatched word tokens.

Cheap by construction: only letter tokens of spaced scripts are looked up, each distinct token
once per matcher (cached), against the terms whose length is within two of it and that start
with the same letter (misspellings keep the first letter; "kimono" is not a near-miss of
"okimono", a Japanese carving).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick_rs

from wildcli.text.chunks import distinct_chunks
from wildcli.text.normalize import Normalized
from wildcli.text.scripts import is_unspaced

_LETTER = re.compile(r"[^\W\d_]")
"""A letter, as the word patterns here read one."""

CACHE_SIZE = 100_000
"""Entries each memory of chunks, words and verdicts keeps before it starts again. On the
million-listing bench corpus 200,000 held a scan's peak at 320 MB, over the 300 MB aimed at;
100,000 holds it at 290 MB at the same speed."""
MIN_WORD = 6
"""Letters a word needs to be looked up at all."""
SCORE = 0.7
"""Score of a one-edit near-miss; each further edit costs 0.05."""


@dataclass(frozen=True)
class NearMiss:
    """A token within `distance` edits of a term key; `allowed` says how many that key tolerates."""

    term: int
    key: str
    start: int
    end: int
    distance: int
    allowed: int

    @property
    def accepted(self) -> bool:
        return 0 < self.distance <= self.allowed

    @property
    def score(self) -> float:
        return round(SCORE - 0.05 * (self.distance - 1), 2)


class FuzzyIndex:
    """Term keys by length, and the best near-miss of every token seen so far."""

    def __init__(self, keys: list[tuple[int, str, int]]) -> None:
        """`keys`: (term index, folded key, edits allowed) for every fuzzy-eligible term."""
        # Imported here: rapidfuzz is a fifth of the start-up of a matcher that has no fuzzy index.
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        self._extract_one = process.extractOne
        self._distance = Levenshtein.distance
        self._by_length: dict[tuple[str, int], list[tuple[int, str, int]]] = defaultdict(list)
        for item in keys:
            self._by_length[item[1][0], len(item[1])].append(item)
        # (first letter, token length) pairs that can be near a key at all, with the slack
        # explain uses: most tokens stop at this one set lookup.
        self._reachable = {
            (first, length + shift)
            for first, length in self._by_length for shift in range(-3, 4)
        }
        self._cache: dict[tuple[int, str], tuple[int, str, int, int] | None] = {}
        # Each word's answer in `close_tokens` (slack 0), in one lookup: `find` meets the same
        # words listing after listing.
        self._verdicts: dict[str, tuple[int, str, int, int] | None] = {}
        self._chunks_seen: set[str] = set()  # for near_word_starts
        self._chunks_close: set[str] = set()
        self._words_seen: set[str] = set()
        self._close_words: set[str] = set()
        firsts = "".join(sorted({re.escape(first) for first, _ in self._by_length}))
        # Only words starting like some key are looked at (the regex skips the others in C).
        words = f"(?<![^\\W\\d_])[{firsts}][^\\W\\d_]{{{MIN_WORD - 1},}}"
        self._words = re.compile(words) if firsts else None

    def __bool__(self) -> bool:
        return bool(self._by_length)

    def lookup(self, token: str, slack: int = 0) -> tuple[int, str, int, int] | None:
        """(term, key, distance, allowed) of the closest key within `allowed + slack` edits."""
        cache_key = (slack, token)
        if cache_key in self._cache:
            return self._cache[cache_key]
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        best = None
        for length in range(len(token) - 2 - slack, len(token) + 3 + slack):
            candidates = self._by_length.get((token[0], length))
            if not candidates:
                continue
            allowed = candidates[0][2]
            found = self._extract_one(
                token, [c[1] for c in candidates], scorer=self._distance,
                score_cutoff=allowed + slack,
            )
            if found is not None and (best is None or found[1] < best[2]):
                term, key, _ = candidates[found[2]]
                best = (term, key, int(found[1]), allowed)
        self._cache[cache_key] = best
        return best

    def near_misses(
        self, view: Normalized, taken: list[tuple[int, int]], slack: int = 0
    ) -> list[NearMiss]:
        """Near-misses among the letter tokens of `view` that overlap no span of `taken`."""
        close = self.close_tokens(view.text, slack)
        found: list[NearMiss] = []
        for m in self._words.finditer(view.text) if close and self._words else ():
            hit = close.get(m.group())
            if hit is None:
                continue
            start, end = view.original_span(m.start(), m.end())
            if not any(s < end and e > start for s, e in taken):
                found.append(NearMiss(hit[0], hit[1], start, end, hit[2], hit[3]))
        return found

    def close_tokens(self, text: str, slack: int = 0) -> dict[str, tuple[int, str, int, int]]:
        """The distinct words of a folded text that are near-misses of some key, with `lookup`'s
        answer (the automaton reports exact matches: distance 0 is left out)."""
        if self._words is None:
            return {}
        # Distinct tokens first (findall runs in C); positions only for the rare near-miss.
        tokens = set(self._words.findall(text))
        if slack:
            return {token: hit for token in tokens if (hit := self._close(token, slack)) is not None}
        verdicts = self._verdicts
        if len(verdicts) >= CACHE_SIZE:
            verdicts.clear()
        close = {}
        for token in tokens:
            if token in verdicts:
                hit = verdicts[token]
            else:
                hit = verdicts[token] = self._close(token, 0)
            if hit is not None:
                close[token] = hit
        return close

    def _close(self, token: str, slack: int) -> tuple[int, str, int, int] | None:
        """`lookup`'s answer for a word of a spaced script that is no key itself, else None."""
        if (token[0], len(token)) not in self._reachable or is_unspaced(token[0]):
            return None
        hit = self.lookup(token, slack)
        return hit if hit is not None and hit[2] > 0 else None

    def near_word_starts(self, text: str) -> list[int]:
        """Where the words of a folded text that are near-misses of some key start: what
        `close_tokens` finds, for a whole batch of texts at once.

        Each distinct space-separated chunk is looked at once per index and remembered, so a
        batch costs a split and a few set operations; the words of the chunks never met are
        found with one regex pass over them all.
        """
        if self._words is None:
            return []
        chunks = distinct_chunks(text)
        new = chunks - self._chunks_seen
        if new:
            self._learn(new)
        if self._chunks_close.isdisjoint(chunks):
            return []
        words = {w for c in chunks & self._chunks_close for w in self._words.findall(c)}
        words &= self._close_words
        if not words:
            return []
        # The words are letters only, so two of them standing alone never overlap: every
        # occurrence with no letter on either side starts one, found in C by an automaton
        # rather than by a regex tried at every character of the batch.
        automaton = ahocorasick_rs.AhoCorasick(sorted(words))
        letter, size = _LETTER.match, len(text)
        return sorted({
            start for _, start, end in automaton.find_matches_as_indexes(text, overlapping=True)
            if (start == 0 or not letter(text, start - 1)) and (end == size or not letter(text, end))
        })

    def _learn(self, chunks: set[str]) -> None:
        """Remember `chunks` (never seen before), and which of them hold a near-miss."""
        assert self._words is not None
        if len(self._chunks_seen) + len(chunks) > CACHE_SIZE:
            self._chunks_seen.clear()
            self._chunks_close.clear()
            self._words_seen.clear()
            self._close_words.clear()
        self._chunks_seen |= chunks
        long = [c for c in chunks if len(c) >= MIN_WORD]
        words = set(self._words.findall(" ".join(long)))
        fresh = words - self._words_seen
        self._words_seen |= fresh
        self._close_words.update(self.close_tokens(" ".join(fresh)))
        close = words & self._close_words
        if close:
            # A chunk holding a near-miss holds it as a substring (a superset is fine: the
            # positions are then found with word boundaries).
            self._chunks_close.update(c for c in long if any(w in c for w in close))
