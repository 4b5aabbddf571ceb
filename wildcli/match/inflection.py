"""Plural forms of lexicon terms, only where a simple rule is right (else none at all).

English pluralises the last word (rhino horn -> rhino horns). Spanish, Portuguese, French and
Italian pluralise the head noun, which is the first word: a single word, or the word before
"de"/"di"/"du" (cuerno de rinoceronte -> cuernos de rinoceronte). Adjective agreement and
irregular nouns are not guessed: those terms get no plural.
"""

from __future__ import annotations

import re

from wildcli.match.languages import primary

_PREPOSITIONS = frozenset({"de", "del", "della", "dello", "di", "da", "do", "du", "des", "dos", "das"})
_VOWELS = "aeiou"
_ACUTE_TO_PLAIN = str.maketrans("áéíóú", "aeiou")


def plural(term: str, lang: str) -> str | None:
    """The plural of `term` in `lang`, or None when no safe rule applies."""
    rule = _RULES.get(primary(lang))
    words = term.split(" ")
    if rule is None or not all(w.isalpha() for w in words):
        return None
    if primary(lang) == "en":
        head = len(words) - 1
    elif len(words) == 1 or (len(words) >= 3 and words[1].lower() in _PREPOSITIONS):
        head = 0
    else:
        return None
    word = rule(words[head])
    if word is None or word == words[head]:
        return None
    return " ".join([*words[:head], word, *words[head + 1:]])


def _english(word: str) -> str | None:
    lower = word.lower()
    if lower.endswith("s") and not lower.endswith("ss"):
        return None  # already plural (scales, tusks), or a mass noun ending in s
    if re.search(r"(s|x|z|ch|sh)$", lower):
        return word + "es"
    if re.search(r"[^aeiou]y$", lower):
        return word[:-1] + "ies"
    return word + "s"


def _spanish(word: str) -> str | None:
    lower = word.lower()
    if lower[-1] in "sx":
        return None  # invariable (crisis) or already plural
    if lower[-1] in _VOWELS + "áéó":
        return word + "s"
    if lower.endswith("z"):
        return word[:-1] + "ces"
    if re.search(r"[áéíóú]n$|[áéíóú]s$", lower):
        return word[:-2] + word[-2].translate(_ACUTE_TO_PLAIN) + word[-1] + "es"  # tiburón
    return word + "es"


def _portuguese(word: str) -> str | None:
    lower = word.lower()
    if lower[-1] in _VOWELS + "áéêóô":
        return word + "s"
    if lower.endswith("m"):
        return word[:-1] + "ns"
    if lower[-1] in "rz":
        return word + "es"
    for ending, replacement in (("al", "ais"), ("ol", "óis"), ("ul", "uis")):
        if lower.endswith(ending):
            return word[:-2] + replacement
    return None  # -ão, -el, -il and -s have several plurals


def _french(word: str) -> str | None:
    lower = word.lower()
    if lower[-1] in "sxz":
        return None
    if lower.endswith(("eau", "au", "eu")):
        return word + "x"
    if lower.endswith("al"):
        return None  # -aux mostly, but bal, festival, chacal take -s
    return word + "s"


def _italian(word: str) -> str | None:
    lower = word.lower()
    if lower.endswith("io"):
        return word[:-1]  # avorio -> avori
    if lower.endswith(("ca", "ga")):
        return word[:-1] + "he"
    if lower.endswith("a"):
        return word[:-1] + "e"
    if lower.endswith(("co", "go")):
        return None  # -chi or -ci, -ghi or -gi: it depends on the word
    if lower[-1] in "oe":
        return word[:-1] + "i"
    return None  # consonant or stressed final vowel: invariable


_RULES = {"en": _english, "es": _spanish, "pt": _portuguese, "fr": _french, "it": _italian}
