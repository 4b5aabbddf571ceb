"""Selling phrases that are also everyday words: evidence of an offer only with a restriction."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from wildcli.lexicon.model import Lexicon, Term
from wildcli.lexicon.rules.base import Problem, ProblemSeverity, Rule
from wildcli.lexicon.rules.context import LintContext
from wildcli.match.languages import letters, unspaced, view_for
from wildcli.text.normalize import normalize_key
from wildcli.text.stopwords import is_stop_word

SHORT_LETTERS = 4
"""A one-word phrase of at most this many letters of an alphabet (Latin, Cyrillic, Greek, Arabic,
Hebrew) collides with abbreviations and words of every language: 'ib' is the IB diploma, 'nego'
starts a hundred words, 'bay' is 'to fly'."""
SHORT_UNSPACED = 1
"""The same in a script without spaces: one character (亲, 'dear') sits inside ordinary words."""
ALPHABETS = ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW")


def evidence_concepts(lexicon: Lexicon) -> frozenset[str]:
    """The concepts that terms take as context (`@trade_context`): their terms are evidence."""
    return frozenset(c[1:] for t in lexicon.terms for c in t.context if c.startswith("@"))


def everyday(term: Term) -> bool:
    """Whether a phrase is short or a function word: one word of at most `SHORT_LETTERS` letters
    of an alphabet, or `SHORT_UNSPACED` characters of a script without spaces. (A syllable of
    Hangul or an akshara of Devanagari holds several sounds: three of them make a real word.)"""
    key = normalize_key(term.term, view_for(term.lang))
    if unspaced(key):
        return len(key.replace(" ", "")) <= SHORT_UNSPACED
    if " " in key:
        return False
    alphabetic = all(unicodedata.name(ch, "").startswith(ALPHABETS) for ch in key if ch.isalpha())
    return is_stop_word(key) or (alphabetic and letters(key) <= SHORT_LETTERS)


class EverydaySellingPhrase(Rule):
    rule_id = "WL021"
    description = "a selling phrase, short or an everyday word, is evidence without a context of its own"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        evidence = evidence_concepts(ctx.lexicon)
        for term in ctx.focused_terms():
            if term.concept in evidence and not term.context and everyday(term):
                yield self.problem(ctx.term_location(term, "term"), (
                    f"{term.term!r} is short or an everyday word: as evidence of an offer it needs "
                    "a context of its own (context: a price, a sale word) or the whole phrase it is "
                    "used in"))
