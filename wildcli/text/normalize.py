"""Text normalisation for matching, with a map from every normalised position to the original.

Views of a text that terms are matched against: `base` (NFKC, case folded, format characters such
as zero-width spaces and bidi controls removed, emoji variation selectors removed) and `folded`
(the base view with Latin diacritics removed, for languages whose sellers drop accents without
changing the word). The lossy views built for obfuscated text live in `wildcli.text.obfuscation`.
Offsets found in a view are mapped back so that `original[start:end]` is what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from wildcli.text.codepoints import MIN_CHARS, CodepointTable


class View(str, Enum):
    """Which normalised view of the text a term or phrase is matched against."""

    BASE = "base"
    FOLDED = "folded"
    SKELETON = "skeleton"  # look-alikes, leetspeak, separators and repeats undone
    GLUED = "glued"  # glued keys, matched only inside hashtags and camel-cased compounds


# Default-ignorable format characters (Unicode category Cf) and variation selectors. They are
# invisible, so sellers insert them to break keyword filters ("iv\u200bory").
_INVISIBLE_RANGES = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufe00-\ufe0f\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\U000e0100-\U000e01ef"
)
INVISIBLE = re.compile(f"[{_INVISIBLE_RANGES}]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_CHUNK = re.compile(r"\S+|\s+")


def _latin_fold_table() -> dict[int, str]:
    """Latin letters with diacritics -> base letter, typographic apostrophes -> '; one character to
    one, so offsets survive."""
    table: dict[int, str] = {}
    for cp in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        base = decomposed[0]
        if len(decomposed) > 1 and base.isascii() and base.isalpha():
            table[cp] = base
    # Letters whose diacritic is not a combining mark in Unicode (stroke, slash, dotless).
    table.update({ord(k): v for k, v in zip("đĐøØłŁıħĦŧŦƀɨʉ", "dDoOlLihHtTbiu", strict=True)})
    # The typographic apostrophes that phones and word processors type for ' ("d’éléphant",
    # "costa d’avorio"): Latin terms are written with the plain one.
    table.update(dict.fromkeys(map(ord, "\u2019\u2018\u02bc"), "'"))
    return table


LATIN_FOLD = _latin_fold_table()


@lru_cache(maxsize=1)
def _fold_table() -> list[str]:
    """LATIN_FOLD as a list over the Basic Multilingual Plane: `str.translate` looks characters
    up in a list several times faster than in a dict that misses (every CJK character would),
    and leaves the characters past the list (IndexError) as they are, as it does those a dict
    lacks. Built on first use, not at import."""
    return [LATIN_FOLD.get(cp, chr(cp)) for cp in range(0x10000)]


@dataclass(frozen=True)
class Normalized:
    """A normalised view of `original`.

    `starts[i]`/`ends[i]` are the original offsets of the cluster that produced view character
    `i`; both are None when the view is position-for-position identical to the original.
    """

    original: str
    text: str
    starts: Sequence[int] | None = None
    ends: Sequence[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets covering view characters `start` to `end` (end exclusive, end > start)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]

    def offset_maps(self) -> tuple[Sequence[int], Sequence[int]]:
        """`starts` and `ends`, as ranges when the view is identical to the original."""
        if self.starts is None or self.ends is None:
            return range(len(self.text)), range(1, len(self.text) + 1)
        return self.starts, self.ends


def normalize_key(text: str, view: View = View.BASE) -> str:
    """The normalised form of a lexicon term or phrase, as matched against a text view."""
    base = normalize(text).text
    return fold(base) if view is View.FOLDED else base


def fold(text: str) -> str:
    """Remove Latin diacritics from an already normalised string (no offset map)."""
    if text.isascii():
        return text
    return _COMBINING.sub("", text.translate(_fold_table()))


def has_diacritics(text: str) -> bool:
    """Whether a text holds Latin letters with diacritics (Vietnamese tones among them)."""
    if text.isascii():
        return False
    base = normalize(text).text
    return fold(base) != base


def normalize(text: str) -> Normalized:
    """The base view of a text: NFKC, case folded, invisible characters removed."""
    if text.isascii():
        # Pure ASCII is already NFKC and has no invisible characters; lower() equals casefold().
        return Normalized(text, text.lower())
    if _simple(text):
        return Normalized(text, text.casefold())
    return _normalize_chars(text) or _normalize_chunks(text)


class _Pieces(dict[int, str]):
    """`str.translate` table filled on first sight: character -> its NFKC case-folded form."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        piece = "" if INVISIBLE.match(ch) else unicodedata.normalize(
            "NFKC", unicodedata.normalize("NFKC", ch).casefold()
        )
        self[cp] = piece
        return piece


_PIECES = _Pieces()


def piece(ch: str) -> str:
    """What one character becomes in the base view on its own: "" for an invisible one, "ss"
    for ß, "i" for 𝐢."""
    return _PIECES[ord(ch)]


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def normalize_pieces(text: str) -> str:
    """Each character of `text` replaced by its own NFKC case-folded form (nothing for invisible
    ones): the base view of a text whose characters do not combine (see `_normalize_chars`),
    and of any number of such texts joined by a separator at once."""
    if _ASTRAL.search(text):
        return text.translate(_PIECES)
    return text.translate(_bmp_pieces())


def fold_pieces(text: str) -> str | None:
    """`fold(normalize_pieces(text))` in one pass, for a text of the Basic Multilingual Plane
    whose characters, once replaced by their pieces, cannot combine with their neighbours;
    None for any other text (the caller takes the longer way, which checks)."""
    fold_table, interacting, _ = _bmp_fold_pieces()
    if not unicodedata.is_normalized("NFC", text):
        return None
    # A long text goes through Arrow. What it refuses (what the checks below refuse, and lone
    # surrogates) takes the way below, whose checks decide.
    fast = _bmp_fold_codepoints().translate(text) if len(text) >= MIN_CHARS else None
    if fast is not None:
        folded, marked = fast
    else:
        if _ASTRAL.search(text) or interacting.search(text):
            return None
        folded, marked = text.translate(fold_table), True
    return _COMBINING.sub("", folded) if marked and _COMBINING.search(folded) else folded


def single_pieces(text: str) -> str | None:
    """`normalize_pieces(text)` with each character that becomes several (ß, ﬀ) turned into one
    NUL instead, so that every character left stands for one typed character; None for a text
    beyond the Basic Multilingual Plane."""
    if _ASTRAL.search(text):
        return None
    return text.translate(_bmp_single_pieces())


@lru_cache(maxsize=1)
def _bmp_single_pieces() -> list[str]:
    return [piece if len(piece) <= 1 else "\0" for piece in _bmp_pieces()]


@lru_cache(maxsize=1)
def _bmp_fold_codepoints() -> CodepointTable:
    """The table of `_bmp_fold_pieces` for Arrow, refusing the characters that may interact."""
    fold_table, _, interacting = _bmp_fold_pieces()
    return CodepointTable(fold_table, refused=interacting, marks=_COMBINING)


@lru_cache(maxsize=1)
def _bmp_fold_pieces() -> tuple[list[str], re.Pattern[str], list[int]]:
    """The folded piece of every BMP character, and the characters that may make the pieces of
    a text, joined, differ from its NFKC form.

    Joined pieces stay NFKC unless a character composes with what precedes it or combining
    marks change order. A composition always involves its second character; a mark that is its
    own piece keeps the order the text had, which the NFC check of `fold_pieces` vouches for.
    What is left are pieces that bring a mark of their own at either end. So: the characters
    whose piece starts with a second character of a canonical composition (combining accents,
    Hangul vowels and final consonants, kana voicing marks), and those whose piece differs from
    them and begins or ends with a combining mark.
    """
    pieces = _bmp_pieces()
    seconds = {chr(cp) for cp in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for cp in range(0x10000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            codes = decomposition.split()
            if len(codes) == 2:
                seconds.add(chr(int(codes[1], 16)))
    interacting = [
        cp for cp, piece in enumerate(pieces)
        if piece and (piece[0] in seconds or (piece != chr(cp) and (
            unicodedata.combining(piece[0]) or unicodedata.combining(piece[-1])
        )))
    ]
    latin = _fold_table()
    fold_table = [piece.translate(latin) for piece in pieces]
    pattern = re.compile("[" + "".join(re.escape(chr(cp)) for cp in interacting) + "]")
    return fold_table, pattern, interacting


@lru_cache(maxsize=1)
def _bmp_pieces() -> list[str]:
    """`_PIECES` for every character of the Basic Multilingual Plane, as a list (fast to look
    up). Normalised all at once: NUL between the characters keeps each one on its own."""
    chars = [chr(cp) for cp in range(1, 0x10000)]
    joined = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", "\0".join(chars)).casefold())
    table = ["\0", *joined.split("\0")]
    for m in INVISIBLE.finditer("".join(chars)):
        table[ord(m.group())] = ""
    return table


def _normalize_chars(text: str) -> Normalized | None:
    """Character by character (translate runs in C), or None when characters combine.

    When the result is NFKC already, no character composed with its neighbour, so normalising
    each one alone gave the same text as normalising the whole (fullwidth letters, ™, ½, ß...).
    """
    mapped = normalize_pieces(text)
    if not unicodedata.is_normalized("NFKC", mapped):
        return None
    odd = "".join(ch for ch in set(text) if len(_PIECES[ord(ch)]) != 1)
    if not odd:
        return Normalized(text, mapped)  # every character gave one character
    # Offsets: ranges between the few characters that gave none (invisible) or several (™).
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for m in re.finditer("[" + re.escape(odd) + "]", text):
        i = m.start()
        starts.extend(range(last, i))
        ends.extend(range(last + 1, i + 1))
        size = len(_PIECES[ord(text[i])])
        starts.extend([i] * size)
        ends.extend([i + 1] * size)
        last = i + 1
    starts.extend(range(last, len(text)))
    ends.extend(range(last + 1, len(text) + 1))
    return Normalized(text, mapped, starts, ends)


def _simple(text: str) -> bool:
    """NFKC already, nothing invisible, and case folding keeps every character one character."""
    return (
        unicodedata.is_normalized("NFKC", text)
        and not INVISIBLE.search(text)
        and len(text.casefold()) == len(text)
    )


def _normalize_chunks(text: str) -> Normalized:
    """Slow path, word by word: only the words that need it are normalised cluster by cluster."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for chunk in _CHUNK.finditer(text):
        word, offset = chunk.group(), chunk.start()
        if word.isascii() or _simple(word):
            out.append(word.casefold())
            starts.extend(range(offset, offset + len(word)))
            ends.extend(range(offset + 1, offset + len(word) + 1))
        else:
            _normalize_clusters(word, offset, out, starts, ends)
    return Normalized(text, "".join(out), starts, ends)


def _normalize_clusters(
    text: str, offset: int, out: list[str], starts: list[int], ends: list[int]
) -> None:
    """Normalise cluster by cluster (a starter plus its combining marks)."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        # An invisible character between a letter and its accent ("a\u200b\u0300") is an
        # evasion too: it stays inside the cluster, so the accent still composes with the letter.
        while j < n and (unicodedata.combining(text[j]) or INVISIBLE.match(text[j])):
            j += 1
        while j > i + 1 and INVISIBLE.match(text[j - 1]):
            j -= 1  # a trailing invisible belongs to no accent: leave it to the next cluster
        cluster = INVISIBLE.sub("", text[i:j])
        if cluster:
            piece = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold())
            out.append(piece)
            starts.extend([offset + i] * len(piece))
            ends.extend([offset + j] * len(piece))
        i = j


# Characters the folded view changes: Latin letters with diacritics and combining marks.
_FOLDABLE = re.compile("[\u00c0-\u024f\u1e00-\u1eff\u2018\u2019\u02bc" + _COMBINING.pattern[1:])


def fold_view(base: Normalized) -> Normalized:
    """The folded view derived from a base view, keeping the map to the original."""
    if base.text.isascii() or not _FOLDABLE.search(base.text):
        return base
    translated = base.text.translate(_fold_table())
    if not _COMBINING.search(translated):
        return Normalized(base.original, translated, base.starts, base.ends)
    keep = [i for i, ch in enumerate(translated) if not _COMBINING.match(ch)]
    return select(base, translated, keep)


def select(view: Normalized, text: str, keep: list[int]) -> Normalized:
    """The characters of `text` (same length as `view.text`) at positions `keep`, mapped back."""
    starts, ends = view.offset_maps()
    return Normalized(
        view.original, "".join(text[i] for i in keep), [starts[i] for i in keep],
        [ends[i] for i in keep],
    )


Piece = tuple[str, int, int]
"""A replacement character and the first and last view positions it stands for."""


def rewrite(view: Normalized, edits: list[tuple[int, int, list[Piece]]]) -> Normalized:
    """`view` with each `view.text[start:end]` replaced by pieces; edits sorted, not overlapping."""
    starts, ends = view.offset_maps()
    text: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for start, end, pieces in edits:
        text.append(view.text[last:start])
        new_starts.extend(starts[last:start])
        new_ends.extend(ends[last:start])
        for ch, first, final in pieces:
            text.append(ch)
            new_starts.append(starts[first])
            new_ends.append(ends[final])
        last = end
    text.append(view.text[last:])
    new_starts.extend(starts[last:])
    new_ends.extend(ends[last:])
    return Normalized(view.original, "".join(text), new_starts, new_ends)
