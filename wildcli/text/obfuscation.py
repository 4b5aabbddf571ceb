"""The skeleton view: obfuscated spellings rewritten to plain letters, offsets kept.

Undone here: look-alike letters in mixed-script words ("іvory"), letters spelled out with
separators ("i v o r y", "i.v.o.r.y", "象 牙"), leetspeak inside tokens that mix letters with
digits or symbols ("1v0ry", "$cales") and stuffed letters ("ivoooory"). Only the obfuscated
spans are rewritten; everything else stays as in the folded view, so a hit counts only when it
overlaps a rewritten span, and clean text never pays for this view (`skeleton` returns None).
Finding the suspicious spans is the hot path: it works on a byte string of character classes
(`wildcli.text.triggers`), with no per-character Python loop.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from wildcli.text.confusables import TABLE as CONFUSABLES
from wildcli.text.confusables import script_of_letters, unconfuse
from wildcli.text.normalize import Normalized, Piece, fold, fold_view, normalize, rewrite
from wildcli.text.scripts import SEPARATORS, WORD_BREAKS, is_hangul, is_thai, is_unspaced, is_word_char
from wildcli.text.triggers import LEET, SHORT_LEET_WORD, Suspects, script_gaps, suspects


class Trick(str, Enum):
    """What a rewritten span of the skeleton view undid."""

    CONFUSABLE = "confusable"
    SEPARATED = "separated"
    LEET = "leet"
    REPEATED = "repeated"


MIN_RUN = 3
"""Single letters in a row before they are read as one word (2 for Han and kana)."""

_REPEAT = re.compile(r"([^\W\d_])\1\1")
_RUN_OF_ONE = re.compile(r"(.)\1*", re.DOTALL)
_SEPARATOR_CHARS = frozenset(SEPARATORS)
# In the original text, where full-width forms and zero-width characters are still there.
_ORIGINAL_SEPARATORS = re.compile(
    "[" + re.escape(SEPARATORS + "\u3000\uff0e\uff0f\uff3f\uff65\u200b\u200c\u200d\u2060\ufeff") + "]+"
)

Region = tuple[int, int, Trick]


@dataclass(frozen=True)
class Skeleton:
    """The skeleton view and the original spans it rewrote, with what each one undid."""

    view: Normalized
    regions: tuple[Region, ...]

    def windows(self, margin: int) -> list[tuple[int, int]]:
        """View ranges holding every key (up to `margin` long) that overlaps a rewritten span."""
        starts, ends = self.view.offset_maps()
        size = len(self.view.text)
        out: list[tuple[int, int]] = []
        for start, end, _ in sorted(self.regions):
            lo = max(bisect.bisect_right(ends, start) - margin, 0)
            hi = min(bisect.bisect_left(starts, end) + margin, size)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        return out

    def rewrote(self, start: int, end: int) -> bool:
        """Whether original offsets `start`-`end` overlap a rewritten span."""
        return any(s < end and e > start for s, e, _ in self.regions)

    def tricks(self, start: int, end: int) -> frozenset[Trick]:
        """The tricks undone inside original offsets `start`-`end`."""
        return frozenset(t for s, e, t in self.regions if s < end and e > start)

    def spelled_out(self, start: int, end: int) -> bool:
        """Whether original offsets `start`-`end`, read across separators, spell one term out
        rather than join the ends of two words.

        Only terms of scripts without spaces and of Hangul are in doubt, where one separator
        that also stands between words ("小象 牙刷": a space, a slash, a hyphen, the katakana
        middle dot) splits the term in two: then the term's own characters must make a word on
        one side at least (on both sides in Hangul and Thai, whose words are longer). Two
        separators or more, or an unusual one (a dot, a star, an underscore, a Latin middle
        dot), spell it out.
        """
        text = self.view.original
        span = text[start:end]
        if span.isascii() or not any(is_unspaced(ch) or is_hangul(ch) for ch in span):
            return True
        gaps = [m.group() for m in _ORIGINAL_SEPARATORS.finditer(span)]
        if len(gaps) != 1 or not set(gaps[0]) <= WORD_BREAKS:
            return True
        word_before = start == 0 or not is_word_char(text[start - 1])
        word_after = end == len(text) or not is_word_char(text[end])
        if any(is_hangul(ch) or is_thai(ch) for ch in span):
            return word_before and word_after
        return word_before or word_after

    def separated_at(self, pos: int) -> bool:
        """Whether a separator was removed just before view position `pos`."""
        view = self.view
        if pos <= 0 or pos >= len(view.text):
            return False
        starts, ends = view.offset_maps()
        left, right = ends[pos - 1], starts[pos]
        gap = view.original[left:right]
        if any(s < left and right < e for s, e, t in self.regions if t is Trick.SEPARATED):
            # Inside one spelled-out run only a space may end a word: "a i v o r y" holds the
            # word "a", but the dots of "b.a.n.g.l.e" join the letters of one word.
            return any(ch.isspace() for ch in gap)
        return any(ch in _SEPARATOR_CHARS for ch in gap)


def skeleton(
    text: str, folded: Normalized, found: Suspects | None = None, *, confusable: bool = True
) -> Skeleton | None:
    """The skeleton view of `text` (whose folded view is given), or None when nothing is obfuscated.

    `found` is what the trigger keys reported for the folded text, and `confusable` whether they
    saw a look-alike letter; without them the text is searched with regexes (same answer).
    """
    mapped, spans = unconfuse(text) if confusable else (text, [])
    regions: list[Region] = [(s, e, Trick.CONFUSABLE) for s, e in spans]
    view = folded
    if spans:
        again = fold_view(normalize(mapped))
        view = Normalized(text, again.text, again.starts, again.ends)
        found = None
    if found is None:
        found = suspects(view.text)
    if not found and not spans:
        return None
    joined = _join_gaps(_join_runs(view, found, regions), regions)
    if joined is not view:  # "1 v 0 r y" became one token: look at its tokens again
        found = suspects(joined.text, runs=False)
    view = _rewrite_tokens(joined, found.token_spans(), regions)
    if not regions:
        return None
    return Skeleton(view, tuple(regions))


def _join_runs(view: Normalized, found: Suspects, regions: list[Region]) -> Normalized:
    edits = []
    for start, end in found.run_spans():
        letters = [(i, ch) for i, ch in enumerate(view.text[start:end], start) if ch.isalnum()]
        alpha = sum(ch.isalpha() for _, ch in letters)
        if alpha < 2 or (len(letters) < MIN_RUN and not all(is_unspaced(ch) for _, ch in letters)):
            continue
        edits.append((start, end, [(ch, i, i) for i, ch in letters]))
    if not edits:
        return view
    starts, ends = view.offset_maps()
    regions.extend((starts[s], ends[e - 1], Trick.SEPARATED) for s, e, _ in edits)
    return rewrite(view, edits)


def _join_gaps(view: Normalized, regions: list[Region]) -> Normalized:
    """The separators between letters of scripts without spaces removed ("犀·牛·角", "象 牙"):
    each gap is a region of its own, so a key counts here only when it spans one."""
    gaps = script_gaps(view.text)
    if not gaps:
        return view
    starts, ends = view.offset_maps()
    regions.extend((starts[s], ends[e - 1], Trick.SEPARATED) for s, e in gaps)
    return rewrite(view, [(s, e, []) for s, e in gaps])


def _rewrite_tokens(
    view: Normalized, tokens: list[tuple[int, int]], regions: list[Region]
) -> Normalized:
    edits = []
    tricks = []
    for start, end, trick in rewritten_words(view.text, tokens):
        edits.append((start, end, _collapse(view.text[start:end], start)))
        tricks.append(trick)
    if not edits:
        return view
    starts, ends = view.offset_maps()
    regions.extend((starts[s], ends[e - 1], t) for (s, e, _), t in zip(edits, tricks, strict=True))
    return rewrite(view, edits)


def rewritten_words(text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int, Trick]]:
    """The words of `text` the skeleton view rewrites, sorted: each token holding a leet
    character or a letter typed thrice that `token_trick` takes, and the short words mixing
    letters and leet digits next to one of those or to each other ("c0rn3 d3 rh1n0", "ng4 v01"):
    alone, such a word is a size or a model number. Only the neighbours of the tokens are
    looked at, word by word, so a long description costs no more than a short one."""
    chosen: dict[int, tuple[int, int, Trick]] = {}
    anchors: list[tuple[int, int, bool]] = []  # (start, end, rewritten on its own)
    for start, end in tokens:
        word = token_word(text[start:end])
        trick = token_trick(word)
        if trick is not None:
            chosen[start] = (start, start + len(word), trick)
            anchors.append((start, start + len(word), True))
        elif short_leet(word):
            anchors.append((start, start + len(word), False))
    seen = {(start, end) for start, end, _ in anchors}
    while anchors:
        start, end, alone = anchors.pop()
        for before in (True, False):
            near = _neighbour(text, start if before else end, before=before, across=alone)
            if near is None:
                continue
            # A short word next to a rewritten one is rewritten, and so are two side by side.
            chosen.setdefault(near[0], (*near, Trick.LEET))
            chosen.setdefault(start, (start, end, Trick.LEET))
            if near not in seen:
                seen.add(near)
                anchors.append((*near, token_trick(text[near[0]:near[1]]) is not None))
    return sorted(chosen.values())


def _neighbour(text: str, at: int, *, before: bool, across: bool) -> tuple[int, int] | None:
    """The short leet word next to `at`, or, `across` a short plain word from a word rewritten
    on its own, one word further on ('apd0 ng 0so', 's4o an d0'): a term's small words are
    written as they are, and the disguised words around them still belong together. Two short
    words alone never reach across one: the batch test looks for those side by side only."""
    step = _word_before if before else _word_after
    near = step(text, at)
    if near is None:
        return None
    word = text[near[0]:near[1]]
    if short_leet(word):
        return near
    if not across or len(word) > 3 or not word.isalpha():
        return None
    beyond = step(text, near[0] if before else near[1])
    return beyond if beyond is not None and short_leet(text[beyond[0]:beyond[1]]) else None


def neighbours(text: str, start: int, end: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The words just before and just after `text[start:end]`, with only white space between."""
    return _word_before(text, start), _word_after(text, end)


def _word_before(text: str, start: int) -> tuple[int, int] | None:
    """The word just before `start` with only white space between, if any."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == start:
        return None
    begin = end
    while begin > 0 and _token_char(text[begin - 1]):
        begin -= 1
    return (begin, end) if begin < end else None


def _word_after(text: str, end: int) -> tuple[int, int] | None:
    """The word just after `end` with only white space between, if any."""
    start = end
    while start < len(text) and text[start].isspace():
        start += 1
    if start == end:
        return None
    stop = start
    while stop < len(text) and _token_char(text[stop]):
        stop += 1
    return (start, stop) if start < stop else None


def _token_char(ch: str) -> bool:
    return ch.isalnum() or ch in LEET


_SHORT_LEET = re.compile(SHORT_LEET_WORD)


def short_leet(word: str) -> bool:
    """A short word with a digit standing for a vowel that a neighbour may show to be disguised
    (t3, v01, ng4, 0so), as `triggers.SHORT_LEET_WORD` says."""
    return _SHORT_LEET.fullmatch(word) is not None


def token_word(token: str) -> str:
    """The part of a token (letters, digits, leet symbols) that is rewritten: a final ! is
    punctuation; a first one, leet."""
    return token.rstrip("!")


_HEAVY_LEET = re.compile(
    "(?:[^\\W\\d_]|[" + re.escape("".join(LEET)) + "](?![0-9][0-9]))+"
)
"""A word of letters and leet characters only, where no digit starts a run of three."""


def token_trick(word: str) -> Trick | None:
    """How a token word holding a leet character or a letter typed thrice is rewritten, if at all."""
    letters = sum(ch.isalpha() for ch in word)
    # At least as many letters as digits and symbols (128gb and 30000mah stay numbers), or
    # every other character a leet one and no three digits in a row: "t0t04b4", "1v01r3".
    if letters >= 2 and any(ch in LEET for ch in word) and (
        letters >= len(word) - letters or _HEAVY_LEET.fullmatch(word)
    ):
        return Trick.LEET
    return Trick.REPEATED if _REPEAT.search(word) else None


def collapsed(word: str) -> str:
    """What a rewritten token word reads as in the skeleton view (see `_collapse`)."""
    return "".join(piece for piece, _, _ in _collapse(word, 0))


def _collapse(word: str, offset: int) -> list[Piece]:
    """The token with leet undone, l read as i (a 1 may have stood for either), and each run of
    one letter written once, standing for the whole run: "co|m1llos" -> "coimios". In a word of
    Cyrillic or Greek letters the digits stand for that script's look-alikes ("к0сть")."""
    plain = "".join(LEET.get(ch, ch) for ch in word).replace("l", "i")
    host = script_of_letters(word)
    if host is not None:
        plain = plain.translate(host)
    return [
        (m.group(1), offset + m.start(), offset + m.end() - 1) for m in _RUN_OF_ONE.finditer(plain)
    ]


def collapse_repeats(text: str) -> str:
    """Runs of one character written once: coffee -> cofe."""
    return re.sub(r"(.)\1+", r"\1", text, flags=re.DOTALL)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_TONED_LAST = frozenset(unicodedata.normalize("NFC", vowel + tone) for vowel in "aey" for tone in _TONES)
_OLD_TONE_PLACE = re.compile(f"([ou])([aey])([{_TONES}])(?![^\\W\\d_])")
"""An open syllable ending in oa, oe or uy with its tone on the last vowel ("hoả", "khoẻ", "thuý"),
in the decomposed text: the older placement, which many keyboards still type, of "hỏa", "khỏe",
"thúy"."""


def tone_placement(text: str) -> str:
    """`text` (NFC, lower case) with the tone of an open oa, oe or uy syllable on its first vowel,
    where the newer placement puts it: "hoả tốc" -> "hỏa tốc". The two placements spell the
    same word; a closed syllable ("hoàn", "thuyền") has one placement only and is left alone."""
    if not any(ch in _TONED_LAST for ch in text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_TONE_PLACE.sub(r"\1\3\2", decomposed))


def letters_of(text: str) -> str:
    """The letters of `text`, tones kept, everything else undone: "N.G.À v0i" -> "ngàvoi".

    Compares a disguised span of Vietnamese with the term it stands for: equal letters with
    equal tones mean the seller kept the tones, so the match is not a toneless guess. Either
    placement of a tone counts as the same (`tone_placement`).
    """
    base = tone_placement(normalize(text).text).translate(CONFUSABLES)
    return rewritten("".join(LEET.get(ch, ch) for ch in base if ch.isalpha() or ch in LEET))


_SYLLABLE_BREAK = re.compile("[" + re.escape(SEPARATORS) + "]+")


def leet_tones_agree(span: str, tones: str) -> bool:
    """Whether a disguised Vietnamese `span` with some syllables in leet ("vây cá m4p") spells
    the term whose letters with tones are `tones`: syllables without leet keep their own
    tones, a leet syllable, which cannot carry one, agrees by its letters alone."""
    at = 0
    for word in _SYLLABLE_BREAK.split(span.strip()):
        letters = letters_of(word)
        part = tones[at:at + len(letters)]
        if len(part) < len(letters):
            return False
        if any(ch in LEET and not ch.isalpha() for ch in word):
            if fold(part) != fold(letters):
                return False
        elif part != letters:
            return False
        at += len(letters)
    return at == len(tones)


def rewritten(word: str) -> str:
    """A word of a key as a rewritten token spells it: pangolin -> pangoiin, coffee -> cofe."""
    return collapse_repeats(word.replace("l", "i"))


MAX_SKELETON_KEYS = 64
"""Per key: each word has two spellings, and long terms would multiply them."""


def skeleton_keys(key: str) -> dict[str, bool]:
    """The spellings of a folded key that the skeleton view may hold, each with whether it
    needs a rewritten (leet or stuffed) token: only there are letters collapsed and l read as i.

    Each word appears as typed or as a rewritten token spells it; a spelled-out multi-word term
    loses its spaces ("e l e p h a n t i v o r y").
    """
    words = key.split(" ")
    per_word = [sorted({word, rewritten(word)}) for word in words]
    out: dict[str, bool] = {}
    for combo in itertools.islice(itertools.product(*per_word), MAX_SKELETON_KEYS):
        needs = list(combo) != words
        for spelling in {" ".join(combo), "".join(combo)}:
            out[spelling] = out.get(spelling, True) and needs
    return out
