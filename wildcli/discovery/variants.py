"""Spelling variants of a term, each named by the rule that made it: the audit trail of matching.

`expand("ivory")` lists what sellers write instead (1v0ry, i.v.o.r.y, іvory with a Cyrillic і,
#ivorycarving-style hashtags, Traditional/Simplified Chinese, pinyin, toneless Vietnamese,
plurals...). It is a pure function: deterministic, sorted, capped, without duplicates and
without the term itself, so exports can ship the variants next to the terms.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wildcli.lexicon.model import Kind, Term
from wildcli.match.inflection import plural
from wildcli.match.languages import primary, strict_diacritics, unspaced
from wildcli.text import han
from wildcli.text.confusables import TABLE as _CONFUSABLES
from wildcli.text.normalize import fold, normalize
from wildcli.text.scripts import is_hangul

RULES = (
    "case", "diacritics", "transliteration", "script_variant", "plural", "hashtag",
    "separator", "leet", "confusable", "repeat",
)
"""Every rule, in the order variants are listed (surest first)."""

_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
_LEET_SYMBOLS = {"a": "@", "s": "$", "i": "!"}
_VOWEL_DIGITS = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0"})
_SEPARATORS = (" ", ".", "-", "_", "*")
_JOINERS = ("-", "_", ".")
# Between the characters of a term in a script written without spaces (and between Hangul
# syllables): spaces, full stops, the ideographic one, underscores, hyphens and the two middle
# dots sellers use (犀·牛·角, べ・っ・甲, 象。牙, 상·아); the matcher undoes these and more there.
_UNSPACED_SEPARATORS = (" ", ".", "\u3002", "_", "-", "\u00b7", "\u30fb")
# The ones a seller also writes at a single place of a longer term ("べっ・甲", "เต่า ดาว").
_PARTIAL_SEPARATORS = (" ", "\u30fb", "\u00b7", "\u3002")
# Lowercase Cyrillic letters that look like lowercase Latin ones (UTS #39 confusables.txt; all
# are in wildcli.text.confusables, so the matcher undoes them).
_LOOKALIKE = dict(zip("acdehijopsvwxy", "асԁеһіјорѕѵԝху", strict=True))
assert all(_CONFUSABLES[ord(c)] == latin for latin, c in _LOOKALIKE.items())


@dataclass(frozen=True, order=True)
class Variant:
    """A spelling `text` of `term`, produced by `rule`."""

    text: str
    rule: str
    term: str


def expand(term: Term | str, lang: str = "en", *, max_variants: int = 50) -> list[Variant]:
    """Variants of `term` (a lexicon Term, or a plain string in `lang`), sorted by rule then text."""
    if isinstance(term, Term):
        text, lang, kind = term.term, term.lang, term.kind
    else:
        text, kind = term, Kind.NAME
    text = text.strip()
    if not text or kind is Kind.EMOJI:
        return []
    per_rule = {rule: _dedupe(_GENERATORS[rule](text, lang), text) for rule in RULES}
    chosen: dict[str, Variant] = {}
    # Round robin over the rules, so that a prolific rule (leet) cannot crowd out the others.
    for depth in range(max(map(len, per_rule.values()), default=0)):
        for rule in RULES:
            spellings = per_rule[rule]
            if depth < len(spellings) and spellings[depth] not in chosen:
                chosen[spellings[depth]] = Variant(spellings[depth], rule, text)
            if len(chosen) >= max_variants:
                break
        if len(chosen) >= max_variants:
            break
    return sorted(chosen.values(), key=lambda v: (RULES.index(v.rule), v.text))


def _dedupe(spellings: Iterable[str], term: str) -> list[str]:
    return [s for s in dict.fromkeys(spellings) if s and s != term]


def _latin(text: str) -> bool:
    folded = fold(normalize(text).text)
    return any(ch.isascii() and ch.isalpha() for ch in folded) and folded.isascii()


def _case(text: str, lang: str) -> Iterable[str]:
    if text.lower() == text.upper():
        return []
    return [text.lower(), text.upper(), " ".join(w[:1].upper() + w[1:] for w in text.split(" "))]


def _diacritics(text: str, lang: str) -> Iterable[str]:
    if strict_diacritics(lang):
        return []  # Vietnamese without tones is a transliteration (see _transliteration)
    return [fold(text)]


def _transliteration(text: str, lang: str) -> Iterable[str]:
    if strict_diacritics(lang):
        return [fold(text)]
    if han.HAN.search(text) and primary(lang) == "zh":
        from pypinyin import Style, lazy_pinyin  # 0.3 s to import: only when needed

        syllables = lazy_pinyin(text)
        return [" ".join(syllables), "".join(syllables), " ".join(lazy_pinyin(text, style=Style.TONE))]
    if any("\u0370" <= ch <= "\u04ff" for ch in text):  # Greek and Cyrillic romanise well
        from unidecode import unidecode

        return [unidecode(text).lower()]
    return []


def _script_variant(text: str, lang: str) -> Iterable[str]:
    if not han.HAN.search(text):
        return []
    # Every Traditional/Simplified spelling the matcher reads (乾, 幹 and 干 are all "dry").
    return [han.to_simplified(text), *han.traditional_forms(text), *han.equivalents(text)]


def _plural(text: str, lang: str) -> Iterable[str]:
    form = plural(text, lang)
    return [form] if form else []


def _hashtag(text: str, lang: str) -> Iterable[str]:
    words = normalize(text).text.split()
    out = ["#" + "".join(words)]
    if strict_diacritics(lang):
        out.append("#" + fold("".join(words)))
    if len(words) > 1 and not unspaced(text):
        out.append("#" + "".join(w[:1].upper() + w[1:] for w in words))
    return out


def _clusters(text: str) -> list[str]:
    """The characters of `text`, each with the combining marks after it (a Thai tone mark stays
    on its consonant: "ช้", not "ช ้")."""
    out: list[str] = []
    for ch in text:
        if out and (unicodedata.combining(ch) or unicodedata.category(ch) == "Mn"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _separator(text: str, lang: str) -> Iterable[str]:
    words = normalize(text).text.split()
    if unspaced(text) or (len(words) == 1 and all(is_hangul(ch) for ch in words[0])):
        chars = _clusters(text.replace(" ", ""))
        out = [sep.join(chars) for sep in _UNSPACED_SEPARATORS]
        if len(chars) > 2:
            out.extend(
                "".join(chars[:i]) + sep + "".join(chars[i:])
                for sep in _PARTIAL_SEPARATORS for i in range(1, len(chars))
            )
        return out
    out = [sep.join(words) for sep in _JOINERS if len(words) > 1]
    if any("-" in word.strip("-") for word in words):
        out.append(" ".join(w.replace("-", " ") for w in words))  # "Schuppentier-Schuppen"
    for sep in _SEPARATORS:
        gap = "  " if sep == " " else " "
        out.append(gap.join(sep.join(word) for word in words))
    # Sellers often spell out only the telling word of a name: "r h i n o horn".
    if len(words) > 1:
        out.extend(
            " ".join([*words[:i], sep.join(word), *words[i + 1:]])
            for i, word in enumerate(words) if len(word) >= 3 for sep in (" ", ".")
        )
    return out


def _leet(text: str, lang: str) -> Iterable[str]:
    """Leetspeak as sellers write it and as the matcher reads it: inside words of three letters
    or more, never two disguised letters side by side, at most half of a word's letters; and
    every vowel of such words a digit."""
    if not _latin(text):
        return []
    words = fold(normalize(text).text).split(" ")
    swaps = [*_LEET.items(), *_LEET_SYMBOLS.items()]
    out = [" ".join(_leet_word(w, dict(_LEET)) for w in words)]
    # Every vowel a digit, side by side or not, in every word of three letters or more:
    # "t0t04b4", "p4ng0l1n sc4l3s" (the matcher reads a word with no three digits in a row).
    out.append(" ".join(w if len(w) < 3 else w.translate(_VOWEL_DIGITS) for w in words))
    # The first letter kept as it is, and a final digit allowed: "rh1n0", "elf3nb3in"; then
    # only the longest word disguised, the one a filter would look for ("sisik tr3ngg1l1ng").
    out.append(" ".join(_leet_word(w, dict(_LEET), first=False, last=True) for w in words))
    if len(words) > 1:
        longest = max(range(len(words)), key=lambda i: (len(words[i]), -i))
        out.append(" ".join(
            _leet_word(w, dict(_LEET), first=False, last=True) if i == longest else w
            for i, w in enumerate(words)
        ))
    out.extend(" ".join(_leet_word(w, {letter: digit}) for w in words) for letter, digit in swaps)
    return out


def _leet_word(word: str, swaps: dict[str, str], *, first: bool = True, last: bool = False) -> str:
    if len(word) < 3:
        return word
    chars = list(word)
    done: list[int] = []
    for i, ch in enumerate(word):
        # Inside the word, or first when three letters follow ("1vory"); a final "!" would be
        # read as punctuation, a final digit is not.
        spot = (
            0 < i < len(word) - 1
            or (first and i == 0 and len(word) >= 4)
            or (last and i == len(word) - 1 and len(word) >= 4 and swaps.get(ch, "").isdigit())
        )
        if ch in swaps and spot and (not done or done[-1] < i - 1) and len(done) < len(word) // 2:
            chars[i] = swaps[ch]
            done.append(i)
    return "".join(chars)


def _confusable(text: str, lang: str) -> Iterable[str]:
    if not _latin(text):
        return []
    base = fold(normalize(text).text)
    out = [" ".join(_mixed(word) for word in base.split(" "))]
    out.extend(base.replace(ch, _LOOKALIKE[ch], 1) for ch in dict.fromkeys(base) if ch in _LOOKALIKE)
    # One look-alike near the middle or at the end of the term, where a reader's eye does not stop.
    spots = [i for i, ch in enumerate(base) if ch in _LOOKALIKE]
    if spots:
        middle = min(spots, key=lambda k: (abs(2 * k - len(base)), k))
        out.extend(base[:i] + _LOOKALIKE[base[i]] + base[i + 1:] for i in (middle, spots[-1]))
    return out


def _mixed(word: str) -> str:
    """Every look-alike swapped in, but one Latin letter kept: a word wholly in Cyrillic letters
    is a Cyrillic word (UTS #39 whole-script confusable), which the matcher leaves alone."""
    swapped = [_LOOKALIKE.get(ch, ch) for ch in word]
    if all(s != ch for s, ch in zip(swapped, word, strict=True)):
        swapped[-1] = word[-1]
    return "".join(swapped)


def _repeat(text: str, lang: str) -> Iterable[str]:
    if not _latin(text):
        return []
    base = fold(normalize(text).text)
    vowels = [i for i, ch in enumerate(base) if ch in "aeiou"]
    out = [base[:i] + base[i] * 3 + base[i + 1:] for i in vowels[-1:]]
    if base[-1:].isalpha():
        out.append(base + base[-1] * 2)  # the last letter drawn out: "ivoryyy"
    return out


_GENERATORS: dict[str, Callable[[str, str], Iterable[str]]] = {
    "case": _case, "diacritics": _diacritics, "transliteration": _transliteration,
    "script_variant": _script_variant, "plural": _plural, "hashtag": _hashtag,
    "separator": _separator, "leet": _leet, "confusable": _confusable, "repeat": _repeat,
}
