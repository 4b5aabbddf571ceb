"""Rules on the lexicon's data: loading and schema, sources, duplicates, labels and context references."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from wildcli.errors import Location
from wildcli.lexicon.model import Role, Status, Term
from wildcli.lexicon.rules.base import Problem, ProblemSeverity, Rule
from wildcli.lexicon.rules.context import LintContext
from wildcli.match.languages import primary, view_for
from wildcli.text.normalize import normalize_key

_NEEDS_SOURCE = "an approved term needs at least one source"


class LoadErrors(Rule):
    rule_id = "WL001"
    description = "the file cannot be loaded: bad YAML, schema violation, bad file name"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for error in ctx.load_errors:
            if not error.message.endswith(_NEEDS_SOURCE):
                yield self.problem(error.location or Location("<lexicon>"), error.message)


def _duplicates(ctx: LintContext, scope: str) -> Iterator[tuple[Term, Term, str]]:
    """(term, earlier term, key) for equal normalised forms in `scope`: lang, concept or lexicon."""
    seen: dict[str, Term] = {}
    for term in sorted(ctx.terms(), key=ctx.file_order):
        key = normalize_key(term.term, view_for(term.lang))
        first = seen.setdefault(key, term)
        same_lang = "lang" if first.lang == term.lang else "concept"
        found = "lexicon" if first.concept != term.concept else same_lang
        if key and first is not term and found == scope:
            yield term, first, key


def _path(term: Term) -> str | None:
    return term.location.path if term.location else None


class DuplicateInFile(Rule):
    rule_id = "WL002"
    description = "two terms of one concept and language are the same once normalised"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term, first, key in _duplicates(ctx, "lang"):
            yield self.problem(ctx.term_location(term, "term"), f"{term.term!r} duplicates {first.term!r} at "
                               f"{ctx.term_location(first)} (both normalise to {key!r})", _path(first))


class DuplicateAcrossConcepts(Rule):
    rule_id = "WL003"
    description = "a term of two concepts once normalised (a finding cannot say which one)"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term, first, key in _duplicates(ctx, "lexicon"):
            yield self.problem(ctx.term_location(term, "term"), f"{term.term!r} is also a term of concept "
                               f"{first.concept!r} at {ctx.term_location(first)} (both normalise to {key!r})",
                               _path(first))


class ApprovedWithoutSources(Rule):
    rule_id = "WL006"
    description = "an approved term cites no source (the loader's error, reported once)"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for error in ctx.load_errors:
            if error.message.endswith(_NEEDS_SOURCE) and error.location:
                where = error.location
                if error.message.startswith("sources: "):  # the loader names the entry, not the field
                    where = dataclasses.replace(where, field=f"{where.field}.sources")
                yield self.problem(where, _NEEDS_SOURCE)


class ProposedWithoutSources(Rule):
    rule_id = "WL007"
    description = "a proposed term cites no source yet (it cannot be approved like that)"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.terms():
            if term.status is Status.PROPOSED and not term.sources:
                yield self.problem(ctx.term_location(term, "sources"),
                                   "a proposed term needs a source before it can be approved")


class UnknownContextConcept(Rule):
    rule_id = "WL013"
    description = "a context or exclude entry `@x`, or counts_as, names no (context) concept of the lexicon"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.terms():
            # A concept's own exclusions, which every term inherits, are checked once, on it.
            for field, phrases in (("context", term.context), ("exclude", term.own_exclude)):
                for j, phrase in enumerate(phrases):
                    if phrase.startswith("@") and phrase[1:] not in ctx.lexicon.concepts:
                        yield self.problem(ctx.term_location(term, field, j),
                                           f"{phrase!r} names no concept of the lexicon")
        concepts = ctx.lexicon.concepts
        for concept in concepts.values():
            for j, phrase in enumerate(concept.exclude):
                if phrase.startswith("@") and phrase[1:] not in concepts:
                    yield self.problem(ctx.concept_location(concept, "exclude", j),
                                       f"{phrase!r} names no concept of the lexicon")
            for j, other in enumerate(concept.counts_as):
                if other not in concepts or concepts[other].role is not Role.CONTEXT:
                    yield self.problem(ctx.concept_location(concept, "counts_as", j),
                                       f"{other!r} names no context concept of the lexicon")


class MissingLabel(Rule):
    rule_id = "WL014"
    description = "a concept has terms in a language it has no label for"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for concept in ctx.lexicon.concepts.values():
            for lang in sorted({t.lang for t in ctx.terms() if t.concept == concept.id} - {"und"}):
                if lang not in concept.labels and primary(lang) not in concept.labels:
                    yield self.problem(ctx.concept_location(concept, "labels"),
                                       f"no label for {lang!r}, a language the concept has terms in")


class DuplicateAcrossLanguages(Rule):
    rule_id = "WL016"
    description = "one concept has a term in two languages (shared words such as 象牙 in zh and ja)"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term, first, _ in _duplicates(ctx, "concept"):
            concept = ctx.lexicon.concepts.get(term.concept)
            if concept is not None and concept.role is Role.CONTEXT:
                # Never reported, and a selling phrase is evidence for its own language only:
                # 'legalizado' in es-MX and in pt-BR each serve their own terms.
                continue
            yield self.problem(ctx.term_location(term, "term"), (
                f"{term.term!r} is also a term of language {first.lang!r} at {ctx.term_location(first)}: "
                "each match is reported twice, consider keeping one (or und.yaml)"), _path(first))
