"""Spotting texts that may hide an obfuscated term, at almost no cost for clean text.

The hot path adds no regex and no per-character Python loop: the folded text is translated into
a string of character classes (letter, leet digit or symbol, separator, ...) written with
control characters and appended to the text the term automaton scans anyway. Trigger keys in
that automaton ("letter, leet digit, letter"; "three single letters with separators between";
"ooo") then report where the text looks obfuscated. Term keys never hold control characters,
so the text and its class string cannot mix.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Container
from dataclasses import dataclass
from enum import Enum
from typing import NewType

from wildcli.text.confusables import TABLE as CONFUSABLES
from wildcli.text.normalize import Normalized, piece
from wildcli.text.scripts import GAP_LETTERS, SEPARATORS

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
        "@": "a", "$": "s", "!": "i", "|": "i"}
"""Leetspeak characters -> letters. 1, | and ! stand for i or l: keys get an l -> i variant."""



class Trigger(str, Enum):
    LEET = "leet"
    RUN = "run"
    REPEAT = "repeat"
    CONFUSABLE = "confusable"


# Classes: letter, leet, !, digit, space, other separator, wide (non-ASCII byte), anything else,
# the leet digits that stand for vowels (0, 1, 3, 4), a leet class of their own, the first byte
# of a Greek or Cyrillic character (U+0380-U+04FF), whose words leet disguises too ("к0сть"), and
# @, which stands for a vowel too but, at the start of a word, is a mention ("@jo").
L, D, B, N, S, P, U, X, V, Y, A = "\x11\x12\x13\x14\x15\x18\x16\x17\x19\x1a\x1b"
VOWEL_DIGITS = "0134"
VOWEL_LEET = VOWEL_DIGITS + "@"
"""What stands for a vowel after the first letter of a short disguised word (ng4, ng@)."""
GREEK_CYRILLIC = "\u0380-\u04ff"
"""The characters whose first UTF-8 byte is of class Y."""


def _class_of(byte: int) -> str:
    ch = chr(byte)
    if 0xCE <= byte <= 0xD3:
        return Y
    if byte >= 0x80:
        return U
    if ch.isalpha():
        return L
    if ch == "!":
        return B
    if ch == "@":
        return A
    if ch in VOWEL_DIGITS:
        return V
    if ch in LEET:
        return D
    if ch.isdigit():
        return N
    if ch.isspace():
        return S
    return P if ch in SEPARATORS else X


_CLASSES = bytes(ord(_class_of(b)) for b in range(256))


_GAPS = (S, P, S + S, P + S)  # "i v", "i.v", "i  v", "i. v"
# Words of two or three characters holding a digit that stands for a vowel: a letter first
# ("t3", "v01", "ng4"), or such a digit and two letters ("0so"; the ordinals among these, 4th,
# fire too, and are left alone when the words are rewritten). A digit and one letter is a size
# (3d, 4k), and the other digits fill model numbers (s8, i7, z5).
_SHORT_MIXED = (
    *(L + "".join(rest) for size in (1, 2) for rest in itertools.product((L, V, A), repeat=size)
      if V in rest or A in rest),
    V + L + L,
)


def _any_leet(key: str) -> list[str]:
    """`key` with each leet class written as any kind of leet character."""
    return ["".join(forms) for forms in itertools.product(*((D, V, A) if c == D else (c,) for c in key))]


def _trigger_keys() -> dict[str, Trigger]:
    # iv0ry, iv!ry, 1v01r3; in Greek and Cyrillic, a wide character, then the leet one, then a
    # letter (к0сть): the key marks its second byte, which must start a character.
    keys: dict[str, Trigger] = dict.fromkeys(
        (L + D + L, L + D + D + L, L + B + L, U + D + Y + U, U + B + Y + U), Trigger.LEET
    )
    cyrillic = (Y + U) * 3
    for left, right in itertools.product((S, P, X), repeat=2):
        # 1vory, $cales, !vory, rhin0; three letters keep out 4th, 3rd, mp3 and ps4.
        keys.update(dict.fromkeys((left + D + L * 3, left + B + L * 3, L * 3 + D + right), Trigger.LEET))
        # The same in Greek and Cyrillic (0бъявление, рог0); the key of a leet character ending
        # a word starts in the first letter, so that it marks the start of the second.
        keys.update(dict.fromkeys(
            (left + D + cyrillic, left + B + cyrillic, U + (Y + U) * 2 + D + right), Trigger.LEET
        ))
        # Three single letters (or leet digits, but two letters at least: "5 x 7", "1-7/8" are
        # sizes) spelled out: a lossy key has four letters or more, and "w x d", "1/2" and "u.s"
        # are everyday text.
        for singles in itertools.product((L, D), repeat=3):
            if singles.count(L) < 2:
                continue
            for gaps in itertools.product(_GAPS, repeat=2):
                key = left + singles[0] + gaps[0] + singles[1] + gaps[1] + singles[2] + right
                keys[key] = Trigger.RUN
        # Single wide characters (two UTF-8 bytes: Cyrillic, Greek; three: Han, kana) spelled
        # out: 象 牙, к о с т ь. Two are enough for Han.
        for widths in itertools.product((U * 2, Y + U, U * 3), repeat=2):
            for gap in _GAPS:
                keys[left + widths[0] + gap + widths[1] + right] = Trigger.RUN
        # Two short words mixing letters and leet characters side by side ("ng4 v01", "t3 d3"):
        # each alone is a size or a model number, two of them a disguised phrase.
        for first, second in itertools.product(_SHORT_MIXED, repeat=2):
            keys[left + first + S + second + right] = Trigger.LEET
    keys = {form: trigger for key, trigger in keys.items() for form in _any_leet(key)}
    # Not w, x, z: "www." and "xxx" are everywhere, and no term is stuffed with them.
    keys.update({ch * 3: Trigger.REPEAT for ch in string.ascii_lowercase if ch not in "wxz"})
    # Look-alike letters (case folded, as in the scanned text) that may sit in a Latin word.
    keys.update({chr(cp).casefold(): Trigger.CONFUSABLE for cp in CONFUSABLES})
    return keys


TRIGGER_KEYS = _trigger_keys()

CLASS_TRIGGERS = frozenset({Trigger.LEET, Trigger.RUN})
"""Triggers whose keys are written in character classes, found in the class string; the others
are letters of the text itself."""


ClassOffset = NewType("ClassOffset", int)
"""An offset into the padded class string of a text (one class per byte of its UTF-8, a space
class either side): where the automaton finds a class trigger key."""

ByteOffset = NewType("ByteOffset", int)
"""An offset into the UTF-8 bytes of a text: what a class trigger key marks. It is a character
offset only when the text is ASCII."""


def class_offset(scanned: int, text_size: int) -> ClassOffset:
    """Where a class trigger key found at offset `scanned` of a text and its `tail` (the text,
    a NUL, the padded class string) starts in the padded class string."""
    return ClassOffset(scanned - text_size - 1)


def marked_byte(start: ClassOffset) -> ByteOffset:
    """The byte of the text that a class trigger key starting at `start` of the padded class
    string marks: its second character, a token character (the first is the context before
    it). Offset `at` of the padded string stands for byte `at - 1`."""
    return ByteOffset(start)


def run_bytes(start: ClassOffset, end: ClassOffset) -> tuple[ByteOffset, ByteOffset]:
    """The first and last bytes of the spelled-out run that a RUN key found at `start`-`end` of
    the padded class string holds: the key is a character of context, the run, and one more."""
    return marked_byte(start), ByteOffset(end - 3)


def tail(folded: str) -> str:
    """What to append to the scanned text: a NUL and its padded class string."""
    return f"\0{classes(folded.encode('utf-8', 'surrogatepass'))}"


def classes(raw: bytes) -> str:
    """The class string of UTF-8 text `raw`, one class per byte, padded with a space class on
    both sides (so offset `at` stands for byte `at - 1`)."""
    return f"{S}{raw.translate(_CLASSES).decode('ascii')}{S}"


_PAD = S.encode("ascii")


def class_bytes(raw: bytes) -> bytes:
    """`classes(raw)` as bytes, for an automaton of bytes (faster on a whole batch)."""
    return _PAD + raw.translate(_CLASSES) + _PAD


_SEP_RUN = "[" + re.escape(SEPARATORS) + "]+"
# A run of single letters (or digits) separated by separators: "i v o r y", "象 牙".
_RUN = re.compile(rf"(?<![^\W_])[^\W_](?:{_SEP_RUN}[^\W_](?![^\W_]))+")
# Separators between two letters of a script without spaces (or two Hangul syllables): "象 牙",
# "犀·牛·角", "ง า ช้ า ง". Whether a term read across one is spelled out or only the ends of two
# words ("小象 牙刷") is for the matcher to say, hit by hit (`Skeleton.spelled_out`). The letter
# before the gap is matched, not looked behind for: a pattern that starts with a character class
# is skipped through in C to where one is (twice as fast on a batch), and the letter after the gap
# stays unconsumed for the next gap to start from.
_GAP = re.compile(f"[{GAP_LETTERS}][{re.escape(SEPARATORS)}]+(?=[{GAP_LETTERS}])")
_SYMBOLS = re.escape("".join(k for k in LEET if not k.isdigit()))
# The regex twins of the trigger keys, for texts the automaton did not classify byte by byte:
# a leet character between letters (or, with a second one, "1v01r3"), before three letters at the
# start of a word, or after three letters at its end. The character comes first so that the regex
# engine skips in C to where one is; with the conditions first it tried three lookbehinds at every
# position (ten times slower).
_GC = GREEK_CYRILLIC
_HIDDEN = re.compile(
    rf"[013-9{_SYMBOLS}](?:(?<=[a-z].)(?=[a-z])|(?<=[a-z][013-9@$|])(?=[013-9@$|][a-z])"
    rf"|(?<![^\W_].)(?=[a-z]{{3}})"
    rf"|(?<=[a-z]{{3}}[013-9@$|])(?![^\W_])"
    rf"|(?<=[^\x00-\x7f].)(?=[{_GC}])|(?<![^\W_].)(?=[{_GC}]{{3}})"
    rf"|(?<=[^\x00-\x7f][{_GC}]{{2}}[013-9@$|])(?![^\W_]))"
)
_TRIPLE = re.compile(r"(.)\1\1", re.DOTALL)
_EDGE = rf"[^\W_]|[{_SYMBOLS}]"  # what a short word may not touch: a letter, digit or leet symbol
SHORT_LEET_WORD = (
    rf"(?:[a-zA-Z](?=[a-zA-Z]?[{VOWEL_LEET}])(?:[a-zA-Z]|[{VOWEL_LEET}]){{1,2}}"
    rf"|(?!\d(?:st|nd|rd|th)(?![^\W_]))[{VOWEL_DIGITS}][a-zA-Z]{{2}})"
)
"""A short word a neighbour may show to be disguised (as a regex, for fullmatch): two or three
characters, an ASCII letter first with a digit or @ standing for a vowel (t3, v01, ng4, ng@), or
such a digit and two letters but not an ordinal (0so, not 4th). ASCII letters, as the class
string's letter class: in the folded view a Latin word has no other."""
_MIXED = rf"(?<!{_EDGE}){SHORT_LEET_WORD}(?!{_EDGE})"
_MIXED_PAIR = re.compile(rf"{_MIXED}[ \t\n\r\f\v]{_MIXED}")


def short_word_pairs(text: str) -> list[int]:
    """Where two short words mixing letters and leet digits side by side start ("ng4 v01")."""
    return [m.start() for m in _MIXED_PAIR.finditer(text)]


def thrice(text: str) -> list[int]:
    """Where a letter is written three times in a row: the offset of its second writing, as
    the trigger keys give it (w, x and z are left out: "www", "xxx", "zzz"; digits too).

    Any character three times is searched, then the letters kept: three times faster than a
    regex whose character class is tested at every position, and the same answer, as a run of
    one character never shares a character with a run of another."""
    return [
        m.start() + 1 for m in _TRIPLE.finditer(text)
        if (ch := m.group(1)).isalnum() and not ch.isdecimal() and ch not in "wxz"
    ]


def script_gaps(text: str, pairs: Container[str] | None = None) -> list[tuple[int, int]]:
    """The separators between letters of scripts without spaces (and Hangul syllables), even
    inside a phrase (出售象.牙, 出售 象 牙); with `pairs`, only those between two letters that
    a key has side by side. A regex, not a trigger key: in the class string every non-ASCII
    byte looks the same."""
    if text.isascii():
        return []
    gaps = ((m.start() + 1, m.end()) for m in _GAP.finditer(text))
    return [(s, e) for s, e in gaps if pairs is None or text[s - 1] + text[e] in pairs]


@dataclass(frozen=True)
class Suspects:
    """Where a folded text may hide an obfuscated term (offsets into `text`)."""

    text: str
    leet: tuple[int, ...] = ()  # leet characters next to letters
    repeats: tuple[int, ...] = ()  # letters written three times or more
    runs: bool = False  # single characters spelled out with separators

    def __bool__(self) -> bool:
        return bool(self.leet or self.repeats or self.runs)

    def run_spans(self) -> list[tuple[int, int]]:
        """Spans of spelled-out runs, sorted and not overlapping."""
        if not self.runs:
            return []
        spans = [m.span() for m in _RUN.finditer(self.text)]
        out: list[tuple[int, int]] = []
        for span in sorted(spans):
            if out and span[0] < out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], span[1]))
            else:
                out.append(span)
        return out

    def token_spans(self) -> list[tuple[int, int]]:
        """The tokens (letters, digits, leet symbols) holding a leet character or a repeat."""
        return tokens_at(self.text, sorted({*self.leet, *self.repeats}))


def suspects(text: str, *, runs: bool = True) -> Suspects:
    """The regex way to the same answer, for texts the automaton did not see in ASCII.
    `runs=False` leaves spelled-out runs unsought (after they were joined, only tokens count)."""
    return Suspects(
        text,
        tuple(sorted({*(m.start() for m in _HIDDEN.finditer(text)), *short_word_pairs(text)})),
        tuple(thrice(text)),
        # Runs of digits ("1/2", "5 x 7") are not words: two letters at least.
        runs and (
            any(sum(ch.isalpha() for ch in m.group()) >= 2 for m in _RUN.finditer(text))
            or (not text.isascii() and _GAP.search(text) is not None)
        ),
    )


def typed_thrice(original: str, view: Normalized, start: int) -> bool:
    """Whether the letter found three times at `start` of a normalised view of `original` was
    typed three times: ß (ss) or ﬀ (ff) next to one more such letter is not a stuffed word."""
    o_start, o_end = view.original_span(start, start + 3)
    return all(len(piece(ch)) <= 1 for ch in original[o_start:o_end])


def read(folded: str, hits: list[tuple[Trigger, int]], same_length: bool) -> Suspects:
    """Suspects of the folded text from trigger hits (kind, offset).

    LEET and RUN offsets point into the padded class string, whose character at offset `at`
    stands for byte `at - 1` of the folded text; the hit's second character, a token character,
    is therefore byte `at`. REPEAT offsets point into the scanned (base) text, the same as the
    folded text when `same_length`.
    """
    hits = [(kind, at) for kind, at in hits if kind is not Trigger.CONFUSABLE]
    if not hits:
        return Suspects(folded)
    raw = folded.encode("utf-8", "surrogatepass")
    ascii_text = len(raw) == len(folded)

    def char_offset(at: ByteOffset) -> int:  # the byte is ASCII, so the bytes before it decode alone
        return at if ascii_text else len(raw[:at].decode("utf-8", "surrogatepass"))

    leet = tuple(char_offset(marked_byte(ClassOffset(at))) for kind, at in hits if kind is Trigger.LEET)
    repeats: tuple[int, ...] = ()
    if any(kind is Trigger.REPEAT for kind, _ in hits):
        repeats = (
            tuple(at + 1 for kind, at in hits if kind is Trigger.REPEAT) if same_length
            else tuple(thrice(folded))
        )
    return Suspects(folded, leet, repeats, any(kind is Trigger.RUN for kind, _ in hits))


def tokens_at(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The tokens (letters, digits, leet symbols) holding the characters at sorted `positions`."""
    spans: list[tuple[int, int]] = []
    for pos in positions:
        if spans and spans[-1][0] <= pos < spans[-1][1]:
            continue
        start = pos
        while start > 0 and _token_char(text[start - 1]):
            start -= 1
        end = pos
        while end < len(text) and _token_char(text[end]):
            end += 1
        if end > start:
            spans.append((start, end))
    return spans


def _token_char(ch: str) -> bool:
    return ch.isalnum() or ch in LEET
