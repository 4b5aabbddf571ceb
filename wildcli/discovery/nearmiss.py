"""Near-miss spellings of known terms in a vocabulary ("ivroy", "netsukes"): length-aware edit
distance with rapidfuzz, for the spellings a lexicon still lacks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from wildcli.lexicon.model import Lexicon, Term
from wildcli.match.languages import NO_FUZZY_LANGS, primary, unspaced
from wildcli.text.normalize import fold, normalize_key

MIN_LETTERS = 5
TWO_EDITS_LETTERS = 10
"""One edit (a transposition counts as one) from five letters, two from ten: "ivory" -> "ivroy"
is worth a look, while "horn" -> "born" is just another word."""
ANY_FIRST_LETTER = 8
"""Below this many letters a near-miss must keep the first letter: "potter" is not a misspelt
"otter", while typists (and evaders) rarely change the start of a long word."""
SPELLED_KINDS = frozenset({"name", "trade_name", "scientific_name", "transliteration", "hashtag"})
"""Kinds whose misspellings are worth proposing. Code words and slang are ordinary words on
purpose ("white", "jelly"): their neighbours ("write", "belly") are just other words."""


@dataclass(frozen=True)
class VocabularyNearMiss:
    """A vocabulary entry `gram` that is `distance` edits from the known `term`."""

    gram: str
    term: Term
    distance: int

    @property
    def similarity(self) -> float:
        key = fold(normalize_key(self.term.term))
        return 1.0 - self.distance / max(len(key), 1)


def allowed_edits(key: str) -> int:
    letters = sum(ch.isalpha() for ch in key)
    if letters >= TWO_EDITS_LETTERS:
        return 2
    return 1 if letters >= MIN_LETTERS else 0


def _keys(lexicon: Lexicon) -> dict[str, Term]:
    """Folded keys of the terms worth comparing: spaced scripts, letters and spaces only."""
    keys: dict[str, Term] = {}
    for term in lexicon.terms:
        key = fold(normalize_key(term.term))
        if primary(term.lang) in NO_FUZZY_LANGS or unspaced(key) or term.kind.value not in SPELLED_KINDS:
            continue
        if key.replace(" ", "").isalpha() and allowed_edits(key):
            keys.setdefault(key, term)
    return keys


def near_misses(vocabulary: Iterable[str], lexicon: Lexicon) -> dict[str, VocabularyNearMiss]:
    """Each vocabulary gram that is a near-miss of a known term, with its closest such term.

    Grams are compared folded (accents off) with keys of the same number of words and a
    length within the allowed edits; a gram that folds to a known key is not a near-miss (it is
    an accent variant, which the matcher already finds).
    """
    keys = _keys(lexicon)
    buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
    folded: dict[str, list[str]] = defaultdict(list)
    for gram in vocabulary:
        f = fold(gram)
        if f in keys or not f.replace(" ", "").isalpha() or not allowed_edits(f):
            continue
        if not folded[f]:
            buckets[(f.count(" "), len(f))].append(f)
        folded[f].append(gram)
    found: dict[str, VocabularyNearMiss] = {}
    for key, term in sorted(keys.items()):
        edits = allowed_edits(key)
        choices = [
            g for length in range(len(key) - edits, len(key) + edits + 1)
            for g in buckets.get((key.count(" "), length), ())
        ]
        for choice, distance, _ in process.extract(
            key, choices, scorer=OSA.distance, score_cutoff=edits, limit=None
        ):
            if (choice[0] != key[0] and len(key) < ANY_FIRST_LETTER) or not _word_by_word(key, choice):
                continue
            for gram in folded[choice]:
                best = found.get(gram)
                if best is None or int(distance) < best.distance:
                    found[gram] = VocabularyNearMiss(gram, term, int(distance))
    return found


def _word_by_word(key: str, gram: str) -> bool:
    """In a phrase every word must be a near-miss of its own: "golden face" is not a misspelt
    "golden jade" although it is two edits away, while "african gray parrot" is one."""
    if " " not in key:
        return True
    words, others = key.split(" "), gram.split(" ")
    return len(words) == len(others) and all(
        OSA.distance(a, b) <= (2 if len(a) >= TWO_EDITS_LETTERS else 1 if len(a) >= 4 else 0)
        for a, b in zip(words, others, strict=True)
    )
