"""Per-language matching policy: which view a term is matched in, and how lossy it may get."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wildcli.text.normalize import View
from wildcli.text.scripts import is_hangul, is_unspaced

if TYPE_CHECKING:  # the lexicon package imports this module: no import cycle at run time
    from wildcli.lexicon.model import Term

# Languages whose diacritics change the word, so a folded match would be a different word:
# Vietnamese tones ("ngà" ivory vs "Nga" Russia, "hổ" tiger vs "hồ" lake).
STRICT_DIACRITICS = frozenset({"vi"})

TONELESS_MIN_SYLLABLES = 2
TONELESS_MIN_LETTERS = 6
"""A Vietnamese term matches its toneless spelling only from two syllables and six letters on
("sung te giac", "nga voi"), and only where the matched text has no diacritics at all: "nga"
alone could be Nga (Russia), and "cao ho" (for cao hổ, tiger-bone glue) is also cough balm.
A disguised span that kept the term's own tones ("n.g.à v.o.i") matches at any length."""

LOSSY_MIN_LETTERS = 4
"""Letters a key needs before the skeleton view (leet, look-alikes, separators) may match it:
lossy rewriting makes short keys collide with ordinary words."""

ACCENT_MIN_LETTERS = 5
"""A term shorter than this must be written with its own accents, no fewer and no more: German
Bär is not English bar, and English hat is not Vietnamese hạt (a bead), nor not nốt (a note)."""

HASHTAG_MIN_LETTERS = 5
"""Names and trade names this long may be matched glued inside hashtags (#ivorycarving) even
without `hashtag: true`: shorter ones hide inside too many ordinary words."""

HASHTAG_KINDS = frozenset({"name", "trade_name"})

FUZZY_MIN_LETTERS = 7
"""One edit from 7 letters on, two from 10: on the craigslist corpus a 6-letter key (marfil,
Spanish for ivory) met MARVIL, a misspelt Marvel."""
FUZZY_TWO_EDITS_LETTERS = 10
NO_FUZZY_LANGS = frozenset({"vi", "zh", "ja", "ko", "th", "lo", "km", "my"})


def primary(lang: str) -> str:
    """`zh-Hans` -> `zh`; `und` stays `und`."""
    return lang.split("-", 1)[0]


NEUTRAL_LANGS = frozenset({"mul", "und", "zxx"})
"""Tags of phrases that belong to no one language (platform names, WTS, emoji): evidence for a
term of any language."""

ANY_EVIDENCE_LANGS = frozenset({"la", *NEUTRAL_LANGS})
"""Tags of terms written the same in listings of every language (scientific names): the phrases
of every language are evidence for them."""


HAN_SHARING = frozenset({"zh", "ja"})
"""Languages that write their product words in the same Han characters: one entry (象牙, 熊胆,
犀角) serves both, so the phrases of either count for the terms of the other."""

MALAY_SHARING = frozenset({"ms", "id"})
"""Malay and Indonesian, standard forms of one language (ISO 639-3 lists Indonesian under the Malay
macrolanguage): a Malay product word (gading, sisik) is read in Indonesian listings, and the
selling, denial and news words of either count for the terms of the other."""

SHARING = (HAN_SHARING, MALAY_SHARING)


def evidence_for(phrase_lang: str, term_lang: str) -> bool:
    """Whether a context phrase of `phrase_lang` (a selling phrase) counts as evidence for a term
    of `term_lang`: the same language (any region or script: es-MX for es, zh-Hant for zh-Hans;
    Chinese and Japanese count as one, and Malay and Indonesian, `SHARING`), a language-neutral
    phrase, or any phrase for a term no language owns. "bay" (Vietnamese: to sell, and to fly)
    says nothing about an English word next to it."""
    phrase, term = primary(phrase_lang), primary(term_lang)
    return (
        phrase == term
        or any(phrase in group and term in group for group in SHARING)
        or phrase_lang in NEUTRAL_LANGS
        or term_lang in ANY_EVIDENCE_LANGS
    )


COMPOUNDING = frozenset({"de", "nl", "sv", "da", "nb", "no"})
"""Languages that write a product and its object as one word ("Elfenbeinschnitzerei",
"ivoorsnijwerk", "elfenbensfigur"), with or without a linking s."""

def hyphen_forms(key: str, lang: str) -> list[str]:
    """A hyphenated compound of a compounding language written closed or apart, as listings
    write it as often as with its hyphen: "Nashorn-Horn" as "Nashornhorn" and "Nashorn Horn"."""
    if "-" not in key or primary(lang) not in COMPOUNDING:
        return []
    first, *rest = key.split("-")
    return [first + "".join(part[:1].lower() + part[1:] for part in rest), key.replace("-", " ")]


COMPOUND_LINKS = ("", "s")
COMPOUND_MIN_LETTERS = 4
"""Letters a context word needs before it is joined to a term: shorter words ("Jh.", "Lot")
would join the term to too many unrelated words."""


def compounds(term: str, words: list[str], lang: str) -> list[str]:
    """The one-word compounds of a single-word term with each of its single-word context words,
    in a compounding language: "elfenbein" + "schnitzerei" (the keys the matcher compiles, or
    the spellings an export writes)."""
    if primary(lang) not in COMPOUNDING or not term.isalpha():
        return []
    return [
        f"{term}{link}{word}" for word in words
        if word.isalpha() and len(word) >= COMPOUND_MIN_LETTERS for link in COMPOUND_LINKS
    ]


def view_for(lang: str) -> View:
    """The text view a term of `lang` is matched against."""
    return View.BASE if primary(lang) in STRICT_DIACRITICS else View.FOLDED


def strict_diacritics(lang: str) -> bool:
    return primary(lang) in STRICT_DIACRITICS


def letters(key: str) -> int:
    return sum(ch.isalpha() for ch in key)


def unspaced(key: str) -> bool:
    """Keys written in scripts without spaces (Han, Thai): separators are the only lossy rewrite."""
    return any(is_unspaced(ch) for ch in key)


def toneless_allowed(key: str) -> bool:
    return len(key.split()) >= TONELESS_MIN_SYLLABLES and letters(key) >= TONELESS_MIN_LETTERS


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
TRANSLITERATING = frozenset({"de"})
"""Languages whose umlauts are written out when a keyboard lacks them: ä -> ae, ö -> oe, ü -> ue
(DIN 5007-2; ß is already ss once case-folded)."""


def transliterated(key: str, lang: str) -> str | None:
    """The key with its umlauts written out ("bärengalle" -> "baerengalle"), or None."""
    if primary(lang) not in TRANSLITERATING:
        return None
    out = key.translate(_UMLAUTS)
    return out if out != key else None


def lossy_allowed(key: str) -> bool:
    """Whether a (folded) key is long enough for the skeleton view. Two characters of Han,
    Thai or Hangul (a syllable each) are a word: only separators are undone there."""
    return letters(key) >= (2 if unspaced(key) or any(is_hangul(ch) for ch in key) else LOSSY_MIN_LETTERS)


def hashtag_allowed(term: Term, glued_key: str) -> bool:
    """Terms matched glued inside hashtags: flagged by the curator, or long names."""
    if unspaced(glued_key) or term.kind.value == "emoji":
        return False
    return term.hashtag or (
        term.kind.value in HASHTAG_KINDS and letters(glued_key) >= HASHTAG_MIN_LETTERS
    )


def fuzzy_edits(term: Term, key: str) -> int:
    """Edits a near-miss of `key` may have: 0 (never fuzzy), 1 from 6 letters, 2 from 10."""
    if primary(term.lang) in NO_FUZZY_LANGS or term.kind.value == "emoji" or unspaced(key):
        return 0
    if " " in key or not key.isalpha():
        return 0
    if len(key) >= FUZZY_TWO_EDITS_LETTERS:
        return 2
    return 1 if len(key) >= FUZZY_MIN_LETTERS else 0
