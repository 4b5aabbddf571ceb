"""Rules that run examples and counter-examples through the judge the lint run is given (the matcher),
and want every concept to have some."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from wildcli.lexicon.model import Concept, Status, Term
from wildcli.lexicon.rules.base import Problem, ProblemSeverity, Rule
from wildcli.lexicon.rules.context import LintContext
from wildcli.match.decisions import Decision, read_as
from wildcli.match.languages import view_for
from wildcli.text.normalize import normalize_key


def _hits(decisions: Iterable[Decision], concept: str, term: Term | None = None) -> list[Decision]:
    """Accepted decisions for `concept` (and `term`); `decide` also covers context concepts."""
    return [d for d in decisions if d.accepted and d.term.concept == concept
            and (term is None or d.term.key == term.key)]


class ExampleNotFound(Rule):
    rule_id = "WL004"
    judged = True
    description = "an example produces no finding of its term (or of its concept)"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.focused_terms():
            for j, text in enumerate(term.examples):
                decisions = ctx.judge(preview=term.status is Status.PROPOSED).decide(text)
                if not read_as(decisions, term):
                    why = next((d.reason for d in decisions if d.term.key == term.key), "not found")
                    yield self.problem(ctx.term_location(term, "examples", j),
                                       f"example {text!r} does not match {term.term!r}: {why}")
        for concept in ctx.focused_concepts():
            for j, text in enumerate(concept.examples):
                if not _hits(ctx.judge().decide(text), concept.id):
                    yield self.problem(ctx.concept_location(concept, "examples", j),
                                       f"example {text!r} matches no term of concept {concept.id!r}")


class CounterExampleFound(Rule):
    rule_id = "WL005"
    judged = True
    description = "a counter-example produces a finding of its term, of another language's, or of its concept"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        # A term's counter-example is a benign sense of the concept's word: it must hold against
        # the concept's terms in every other language too ("Ăng ten vây cá mập" is no antenna
        # for `vây cá mập` only). Other terms of its own language may still match it: there it
        # is often what sets the term apart from a broader one ("mammoth ivory carvings" is not
        # `ivory carvings`, and is `mammoth ivory`), written by someone who sees both.
        for term in ctx.focused_terms():
            for j, text in enumerate(term.counter_examples):
                judge = ctx.judge(preview=term.status is Status.PROPOSED)
                hits = [d for d in _hits(judge.decide(text), term.concept)
                        if d.term.key == term.key or (d.term.lang != term.lang and not _same(d.term, term))]
                for hit in sorted(hits, key=lambda d: d.term.key != term.key)[:1]:
                    other = hit.term
                    through = "" if other.key == term.key else f" (through {other.lang} {other.term!r})"
                    yield self.problem(ctx.term_location(term, "counter_examples", j), (
                        f"counter-example {text!r} matches {term.term!r}{through} "
                        f"at {hit.matched!r} ({hit.reason})"))
        for concept in ctx.focused_concepts():
            for j, text in enumerate(concept.counter_examples):
                for hit in _hits(ctx.judge().decide(text), concept.id)[:1]:
                    yield self.problem(ctx.concept_location(concept, "counter_examples", j), (
                        f"counter-example {text!r} matches concept {concept.id!r} "
                        f"through {hit.term.term!r} at {hit.matched!r}"))


def _same(a: Term, b: Term) -> bool:
    """The same string in two languages: WL016 reports that duplicate, whose hits are one hit."""
    return normalize_key(a.term, view_for(a.lang)) == normalize_key(b.term, view_for(b.lang))


def _tested(item: Concept | Term | Any) -> bool:
    if isinstance(item, dict):
        return bool(item.get("examples") or item.get("counter_examples"))
    return bool(item.examples or item.counter_examples)


class NoExamples(Rule):
    rule_id = "WL015"
    description = "a concept, or a language file, has no example and no counter-example at all"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        bare = {c.id for c in ctx.lexicon.concepts.values()
                if not _tested(c) and not any(map(_tested, ctx.lexicon.terms_of(c.id)))}
        for cid in sorted(bare):
            yield self.problem(ctx.concept_location(ctx.lexicon.concepts[cid]), "no example and no "
                               "counter-example in the concept or its terms: nothing tests it")
        for f in ctx.files:
            if f.concept not in bare and f.doc and f.entries() and not any(map(_tested, f.entries())):
                yield self.problem(f.doc.location(("terms",)),
                                   "no term in this file has an example or a counter-example")
