"""Look-alike letters from other scripts inside Latin words ("іvory" with a Cyrillic і).

The mapping facts come from Unicode Technical Standard #39, Unicode Security Mechanisms, data file
confusables.txt (https://www.unicode.org/Public/security/latest/confusables.txt): each entry
below is a character whose UTS #39 skeleton is the Latin letter given, restricted to the common
Cyrillic, Greek, Armenian and Latin small-capital look-alikes of the 26 Latin letters. Where the
data maps a lowercase letter to a Latin small capital (Cyrillic н -> ʜ, к -> ĸ, т -> ᴛ), the
plain letter is used, because texts are case folded before matching.

Only words that mix scripts are mapped, so genuine Cyrillic or Greek words keep their letters.
A mixed word is read in the script it is written in: one that holds a Cyrillic or Greek letter
with no Latin look-alike ("слонoвая" with a Latin o: л, н, в, я) is a Cyrillic or Greek word
disguised with Latin letters, and its Latin letters are mapped back to their look-alikes of that
script (the same pairs, read the other way); any other mixed word is a Latin one.
"""

from __future__ import annotations

import re

from wildcli.text.scripts import SEPARATORS

_CYRILLIC = {
    # Cyrillic, lowercase and uppercase (uppercase is looked up before case folding).
    "a": "аА", "b": "вВ", "c": "сС", "d": "ԁ", "e": "еЕёЁ", "h": "һНнҺ", "i": "іІїЇӀ",
    "j": "јЈ", "k": "кК", "l": "ӏ", "m": "мМ", "o": "оО", "p": "рР", "q": "ԛԚ", "r": "г",
    "s": "ѕЅ", "t": "тТ", "v": "ѵѴ", "w": "ԝԜ", "x": "хХ", "y": "уУүҮ",
}
_GREEK = {
    # Greek. Uppercase Η, Ν, Υ look like H, N, Y, their lowercase forms like n, v, u, so the
    # original case decides.
    "a": "αΑ", "b": "βΒ", "e": "εΕ", "h": "Η", "i": "ιΙ", "k": "κΚ", "m": "Μ", "n": "ηΝ",
    "o": "οΟσ", "p": "ρΡ", "t": "τΤ", "u": "υ", "v": "ν", "x": "χΧ", "y": "γΥ",
    "z": "Ζ",
}
_EXTRA = {
    # Armenian and Latin small capitals / IPA letters (same UTS #39 source).
    "o": "օ", "u": "ս", "h": "հ", "n": "ո", "g": "ɡ", "i": "ɪ", "r": "ʀ", "y": "ʏ",
}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for pairs in (_CYRILLIC, _GREEK, _EXTRA):
        for latin, lookalikes in pairs.items():
            for ch in lookalikes:
                table.setdefault(ord(ch), latin)
    return table


TABLE = _table()
"""Look-alike code point -> lowercase Latin letter."""


def _back(pairs: dict[str, str]) -> dict[int, str]:
    """Latin letter -> its first look-alike of the same case in `pairs`' script."""
    table: dict[int, str] = {}
    for latin, lookalikes in pairs.items():
        for ch in lookalikes:
            target = latin.upper() if ch.isupper() else latin
            table.setdefault(ord(target), ch)
    return table


_HOSTS = (
    (re.compile("[\u0400-\u04ff\u0500-\u052f]"), _back(_CYRILLIC)),
    (re.compile("[\u0370-\u03ff\u1f00-\u1fff]"), _back(_GREEK)),
)
"""Per script that Latin letters may disguise: its letters, and Latin letter -> look-alike."""


_HOST_LETTER = re.compile("|".join(letters.pattern for letters, _ in _HOSTS))


def host_table(word: str) -> dict[int, str] | None:
    """The Latin -> Cyrillic or Greek table for a mixed `word` written in that script (it holds
    a letter of the script that has no Latin look-alike), or None for a Latin word."""
    for letters, table in _HOSTS:
        if any(letters.match(ch) and ord(ch) not in TABLE and ch.isalpha() for ch in word):
            return table
    return None

_LOOKALIKE = re.compile("[" + "".join(sorted(chr(cp) for cp in TABLE)) + "]")
_SEP = "[" + re.escape(SEPARATORS) + "]+"
# A word, or single letters spelled out with separators ("І.V.О.R.Y" is one word here).
_WORD = re.compile(rf"(?<![^\W_])[^\W_](?:{_SEP}[^\W_](?![^\W_]))+|[^\W_]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def script_of_letters(word: str) -> dict[int, str] | None:
    """The Latin -> Cyrillic or Greek table when every letter of `word` is of that script
    ("к0сть": the digits of a leet word stand for letters of its own script), else None."""
    letters = [ch for ch in word if ch.isalpha()]
    for script, table in _HOSTS:
        if letters and all(script.match(ch) for ch in letters):
            return table
    return None


def mixed_script_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the words of `text` that hold both a look-alike and a real Latin letter (in
    either order: a Latin word with a Cyrillic о, a Cyrillic word with a Latin o)."""
    if text.isascii() or not _LOOKALIKE.search(text):
        return []
    spans = []
    for word in _WORD.finditer(text):
        token = word.group()
        other_script = _LOOKALIKE.search(token) or _HOST_LETTER.search(token)
        if other_script and _LATIN.search(_LOOKALIKE.sub("", token)):
            spans.append(word.span())
    return spans


def unconfuse(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` with look-alikes replaced inside mixed-script words (same length), and the spans."""
    spans = mixed_script_spans(text)
    if not spans:
        return text, []
    out = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        word = text[start:end]
        out.append(word.translate(host_table(word) or TABLE))
        last = end
    out.append(text[last:])
    return "".join(out), spans


def skeleton_char(ch: str) -> str:
    """The Latin letter `ch` looks like, or `ch` itself."""
    return TABLE.get(ord(ch), ch)
