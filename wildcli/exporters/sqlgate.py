"""The cheap tests the PostgreSQL script runs before any rule pattern: plain substrings.

PostgreSQL's regex engine slows down sharply on long alternations and keeps only 32 compiled
regexes per session, so `wildcli_match` first asks whether the text holds an *anchor* of some
term: a piece of the term that every text its pattern matches holds too, once both are
lowered and folded alike (`strpos`, no regex). Most texts hold none and leave at once; the
others try only the rules whose own anchors they hold. A test that can only let through more
than the patterns would is safe: the patterns decide.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from wildcli.exporters.regexrules import FLAGS, POSTGRES, RegexRule, literal

GATE_CHUNK = 25
"""Phrases per gate regex (for the terms without an anchor): PostgreSQL matches short
alternations fast and long ones slowly."""
ANCHOR_BYTES = 3
"""A term whose longest anchor is shorter ("e m p e d u" spaced out) is tested by a regex."""

# The gate folds translate(lower(text), FOLD_FROM, FOLD_TO), and the anchors alike: leet digits
# and symbols and Cyrillic look-alikes become the Latin letter, separators and white space go,
# so that a term's spelling variants share its anchor and a phrase is one anchor. Folding both
# sides one character at a time keeps an anchor inside the folded text.
GAPS = " \t\n\f\r"  # what `regexrules.literal` writes as a space class
FOLD_TO = "oieastasiacdehijopsvwxy"
FOLD_FROM = "013457@$!асԁеһіјорѕѵԝху" + ".-_*" + GAPS
_FOLD = str.maketrans(FOLD_FROM[: len(FOLD_TO)], FOLD_TO, FOLD_FROM[len(FOLD_TO) :])
# A rule's own anchors fold only the white space: the leet and look-alike spellings of a term
# keep anchors apart from the term's, so that a text holding the term does not try every rule
# of its spellings.
_BARE = str.maketrans("", "", GAPS)

Fold = dict[int, int | None]


def lowered(ch: str) -> str | None:
    """`ch` for an anchor, when PostgreSQL's lower() takes whatever `(?i)` lets match `ch` to
    lower(ch); None for ſ, ς or µ (their upper case lowers to another letter), ß or İ (case
    mappings of two characters), titlecase, spaces and controls. ASCII letters come lowered,
    but I (Turkish lowers it to ı); other letters are left to lower() in the database."""
    category = unicodedata.category(ch)
    if ch.isspace() or category[0] in "CZ" or category == "Lt":
        return None
    low, up = ch.lower(), ch.upper()
    if len(low) != 1 or len(up) != 1 or up.lower() != low or low.lower() != low:
        return None
    return low if ch.isascii() and ch != "I" else ch


def needs_lower(anchor: str) -> bool:
    """Whether the database must lower `anchor` itself (it holds I or a non-ASCII capital)."""
    return anchor != anchor.lower() or "I" in anchor


def anchors(text: str, fold: Fold = _FOLD) -> tuple[str, ...]:
    """The pieces of `text` that a text holds, folded, whenever the pattern of `text` matches
    it: its runs of `lowered` characters (white space does not end a run), longest first."""
    runs = set()
    run: list[str] = []
    for ch in (*text, None):
        if ch is not None and ch in GAPS:
            continue  # folded away on both sides
        low = lowered(ch) if ch is not None else None
        if low is not None:
            run.append(low)
        elif run:
            runs.add("".join(run).translate(fold))
            run = []
    return tuple(sorted(runs - {""}, key=lambda r: (-len(r.encode()), r)))


def fewest(needs: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Each set of anchors once, without those that imply another: a text holding every
    anchor of ("antiqueivory",) holds every anchor of ("ivory",), so the latter is enough."""
    unique = sorted(set(needs), key=lambda n: (len(n), sum(len(a) for a in n), n))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    lengths: set[int] = set()
    kept = []
    for need in unique:
        if not _implied(need, by_first, lengths):
            kept.append(need)
            by_first.setdefault(need[0], []).append(need)
            lengths.add(len(need[0]))
    return sorted(kept)


def _implied(need: tuple[str, ...], by_first: dict[str, list[tuple[str, ...]]], lengths: set[int]) -> bool:
    """Whether some kept set has each of its anchors inside one of `need`'s."""
    for piece in need:
        for size in lengths:
            for start in range(len(piece) - size + 1):
                for other in by_first.get(piece[start : start + size], ()):
                    if all(any(a in p for p in need) for a in other):
                        return True
    return False


def rule_anchors(rule: RegexRule) -> list[str] | None:
    """The longest anchor of each of the rule's terms (white space taken out, nothing else
    folded), fewest; None when a term has none."""
    found = [anchors(t, _BARE) for t in rule.terms]
    if any(not a for a in found):
        return None
    return [need[0] for need in fewest((a[0],) for a in found)]


def gate(rules: Sequence[RegexRule]) -> tuple[list[tuple[str, ...]], list[str]]:
    """What a text must hold for any rule to fire on it: every anchor of one of the returned
    sets, or a match of one of the regexes (the phrases with no usable anchor, without their
    boundaries). Every rule's pattern needs one of its phrases, so no match is turned away."""
    needs: list[tuple[str, ...]] = []
    loose: set[str] = set()
    for rule in rules:
        for text in rule.terms:
            found = anchors(text)
            if found and len(found[0].encode()) >= ANCHOR_BYTES:
                needs.append(found)
            else:
                loose.add(literal(text, POSTGRES.space))
    ordered = sorted(loose)
    chunks = [ordered[k : k + GATE_CHUNK] for k in range(0, len(ordered), GATE_CHUNK)]
    return fewest(needs), [FLAGS + "(?:" + "|".join(chunk) + ")" for chunk in chunks]
