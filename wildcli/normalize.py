"""Text normalisation for matching, with a map from every normalised position to the original.

Two views of a text are matched: `base` (NFKC, case folded, format characters such as zero-width
spaces and bidi controls removed, emoji variation selectors removed) and `folded` (the base view
with Latin diacritics removed, for languages whose sellers drop accents without changing the
word). Offsets found in a view are mapped back so that `original[start:end]` is what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class View(str, Enum):
    """Which normalised view of the text a term is matched against."""

    BASE = "base"
    FOLDED = "folded"


# Default-ignorable format characters (Unicode category Cf) and variation selectors. They are
# invisible, so sellers insert them to break keyword filters ("iv\u200bory").
_INVISIBLE_RANGES = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufe00-\ufe0f\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\U000e0100-\U000e01ef"
)
INVISIBLE = re.compile(f"[{_INVISIBLE_RANGES}]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _latin_fold_table() -> dict[int, str]:
    """Latin letters with diacritics -> base letter; one character to one, so offsets survive."""
    table: dict[int, str] = {}
    for cp in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        base = decomposed[0]
        if len(decomposed) > 1 and base.isascii() and base.isalpha():
            table[cp] = base
    # Letters whose diacritic is not a combining mark in Unicode (stroke, slash, dotless).
    table.update({ord(k): v for k, v in zip("đĐøØłŁıħĦŧŦƀɨʉ", "dDoOlLihHtTbiu", strict=True)})
    return table


LATIN_FOLD = _latin_fold_table()


@dataclass(frozen=True)
class Normalized:
    """A normalised view of `original`.

    `starts[i]`/`ends[i]` are the original offsets of the cluster that produced view character
    `i`; both are None when the view is position-for-position identical to the original.
    """

    original: str
    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets covering view characters `start` to `end` (end exclusive, end > start)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalize_key(text: str, view: View = View.BASE) -> str:
    """The normalised form of a lexicon term or phrase, as matched against a text view."""
    base = normalize(text).text
    return fold(base) if view is View.FOLDED else base


def fold(text: str) -> str:
    """Remove Latin diacritics from an already normalised string (no offset map)."""
    return _COMBINING.sub("", text.translate(LATIN_FOLD))


def normalize(text: str) -> Normalized:
    """The base view of a text: NFKC, case folded, invisible characters removed."""
    if text.isascii():
        # Pure ASCII is already NFKC and has no invisible characters; lower() equals casefold().
        return Normalized(text, text.lower())
    if unicodedata.is_normalized("NFKC", text) and not INVISIBLE.search(text):
        folded = text.casefold()
        if len(folded) == len(text):
            return Normalized(text, folded)
    return _normalize_clusters(text)


def _normalize_clusters(text: str) -> Normalized:
    """Slow path: normalise cluster by cluster (a starter plus its combining marks)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = INVISIBLE.sub("", text[i:j])
        if cluster:
            piece = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold())
            out.append(piece)
            starts.extend([i] * len(piece))
            ends.extend([j] * len(piece))
        i = j
    return Normalized(text, "".join(out), tuple(starts), tuple(ends))


def fold_view(base: Normalized) -> Normalized:
    """The folded view derived from a base view, keeping the map to the original."""
    translated = base.text.translate(LATIN_FOLD)
    if not _COMBINING.search(translated):
        return Normalized(base.original, translated, base.starts, base.ends)
    keep = [i for i, ch in enumerate(translated) if not _COMBINING.match(ch)]
    starts = base.starts if base.starts is not None else tuple(range(len(base.text)))
    ends = base.ends if base.ends is not None else tuple(range(1, len(base.text) + 1))
    return Normalized(
        base.original,
        "".join(translated[i] for i in keep),
        tuple(starts[i] for i in keep),
        tuple(ends[i] for i in keep),
    )
