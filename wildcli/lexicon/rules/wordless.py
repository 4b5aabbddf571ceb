"""A term, context or exclusion phrase with nothing to match but punctuation, spaces or marks."""

from __future__ import annotations

from collections.abc import Iterator

from wildcli.lexicon.model import has_word_character
from wildcli.lexicon.rules.base import Problem, Rule
from wildcli.lexicon.rules.context import LintContext
from wildcli.match.languages import view_for
from wildcli.text.normalize import normalize_key


class Wordless(Rule):
    rule_id = "WL017"
    description = "a term or phrase of only punctuation, spaces, invisible characters or combining marks"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.terms():
            # A term that normalises to nothing at all is WL012's ("empty once invisible
            # characters are removed"); the rest, such as "..." or " / ", is this rule's.
            empty = not normalize_key(term.term, view_for(term.lang)).strip()
            if not empty and not has_word_character(term.term):
                yield self.problem(ctx.term_location(term, "term"), _message(term.term, "match"))
            for field, phrases in (("context", term.context), ("exclude", term.own_exclude)):
                for j, phrase in enumerate(phrases):
                    if not has_word_character(phrase):
                        verb = "count as context" if field == "context" else "cancel the term"
                        yield self.problem(ctx.term_location(term, field, j), _message(phrase, verb))
        for concept in ctx.lexicon.concepts.values():
            for j, phrase in enumerate(concept.exclude):
                if not has_word_character(phrase):
                    yield self.problem(ctx.concept_location(concept, "exclude", j),
                                       _message(phrase, "cancel every term of the concept"))


def _message(text: str, verb: str) -> str:
    return (f"{text!r} has no letter, digit, emoji or currency sign and would {verb} "
            "in almost every listing")
