"""Script-aware n-grams for term discovery: word 1–3-grams in spaced scripts, character 2–3-grams
in runs of Han, kana, Thai and the other scripts written without spaces between words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wildcli.text.normalize import normalize
from wildcli.text.scripts import is_unspaced, is_word_char
from wildcli.text.stopwords import HAN_FUNCTION, is_stop_word

NOISE = re.compile(r"\{\{[^{}]*\}\}|(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|@\w+")
"""URLs, e-mail addresses, @handles and the {{MENTION}} masks of anonymised dumps: no seller
writes them to name a product, and in a dump they would top every ranking."""

_APOSTROPHES = "'’"
_JOINERS = "-‐‑_/"  # "pre-ban", "tiger_bone": parts of one phrase, matched like spaces
_SCRIPT_CODES = {
    "LATIN": "Latn", "CYRILLIC": "Cyrl", "GREEK": "Grek", "ARABIC": "Arab", "HEBREW": "Hebr",
    "DEVANAGARI": "Deva", "BENGALI": "Beng", "TAMIL": "Taml", "HANGUL": "Hang", "THAI": "Thai",
    "LAO": "Laoo", "KHMER": "Khmr", "MYANMAR": "Mymr", "HIRAGANA": "Jpan", "KATAKANA": "Jpan",
    "CJK": "Hani", "GEORGIAN": "Geor", "ARMENIAN": "Armn", "ETHIOPIC": "Ethi", "SINHALA": "Sinh",
}


@lru_cache(maxsize=8192)
def script_of(ch: str) -> str:
    """ISO 15924 code of a character's script (`Jpan` for kana, `Hani` for Han, `Zyyy` if none)."""
    name = unicodedata.name(ch, "")
    if name.startswith("HALFWIDTH KATAKANA"):
        return "Jpan"
    return _SCRIPT_CODES.get(name.split(" ", 1)[0], "Zyyy")


def script_of_text(text: str) -> str:
    """The script of a gram: `Jpan` when it holds kana, else the script of its first letter."""
    scripts = [script_of(ch) for ch in text if ch.isalpha()]
    if "Jpan" in scripts:
        return "Jpan"
    return scripts[0] if scripts else "Zyyy"


def grams(text: str, max_n: int = 3) -> set[str]:
    """The distinct n-grams of one text, normalised (NFKC, case folded) and script-aware.

    Spaced scripts give word 1..`max_n`-grams that stay within one phrase (punctuation ends it)
    and neither start nor end with a function word or contain a number; unspaced runs give
    character 2..3-grams that do not start or end with a Han function character.
    """
    out: set[str] = set()
    for piece in NOISE.split(text):
        _collect(normalize(piece).text, max_n, out)
    return out


_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*|[^a-z0-9]")


def _collect(text: str, max_n: int, out: set[str]) -> None:
    phrase: list[str] = []
    word: list[str] = []
    run: list[str] = []

    def end_word() -> None:
        if word:
            phrase.append("".join(word).strip(_APOSTROPHES))
            word.clear()

    def end_phrase() -> None:
        end_word()
        _word_grams(phrase, max_n, out)
        phrase.clear()

    def end_run() -> None:
        if run:
            _char_grams("".join(run), min(max_n, 3), out)
            run.clear()

    for chunk in text.split():
        if chunk.isascii():  # the common case, a regex away instead of a loop per character
            for token in _ASCII_TOKEN.findall(chunk):
                if token[0].isalnum():
                    phrase.append(token)
                elif token not in _JOINERS:
                    end_phrase()
            continue
        for ch in chunk:
            if is_unspaced(ch) and is_word_char(ch):
                if word or phrase:
                    end_phrase()
                run.append(ch)
                continue
            end_run()
            if is_word_char(ch) or (ch in _APOSTROPHES and word):
                word.append(ch)
            elif ch in _JOINERS:
                end_word()
            else:
                end_phrase()
        end_word()
        end_run()
    end_phrase()


def is_number(word: str) -> bool:
    """Prices, sizes and years: more digits than letters ("1500", "18k", "2cm" is kept)."""
    if word.isalpha():
        return False
    digits = sum(ch.isdigit() for ch in word)
    return digits > 0 and digits >= sum(ch.isalpha() for ch in word)


def _content(word: str) -> bool:
    return len(word) >= 2 and not is_stop_word(word)


def _word_grams(words: list[str], max_n: int, out: set[str]) -> None:
    words = [w for w in words if w]
    for i, first in enumerate(words):
        if not _content(first) or is_number(first):
            continue
        for n in range(1, max_n + 1):
            if i + n > len(words):
                break
            part = words[i:i + n]
            if is_number(part[-1]):
                break
            if _content(part[-1]):
                out.add(" ".join(part))


def _char_grams(run: str, max_n: int, out: set[str]) -> None:
    for n in range(2, max_n + 1):
        for i in range(len(run) - n + 1):
            gram = run[i:i + n]
            if gram[0] not in HAN_FUNCTION and gram[-1] not in HAN_FUNCTION:
                out.add(gram)
