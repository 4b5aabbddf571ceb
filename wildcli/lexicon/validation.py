"""Lint rules for lexicon directories: every problem is collected, each with a rule id and a line.

Rules see the layered lexicon and the raw files: what the model keeps and what it drops (layout).
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from wildcli.errors import LexiconError, Location
from wildcli.languages import primary, view_for
from wildcli.lexicon.canonical import SCHEMA_LINE, format_text, hidden_characters, schema_line, sort_key
from wildcli.lexicon.loader import CONCEPT_FILE, display_path, load_lexicon
from wildcli.lexicon.model import Concept, Kind, Lexicon, Status, Term
from wildcli.lexicon.parse import CONCEPT_ID, LANG_TAG
from wildcli.lexicon.yamlfile import Path_, YamlDocument, parse_yaml
from wildcli.matcher import Decision, Matcher
from wildcli.normalize import normalize_key
from wildcli.scripts import needs_boundary_before

_NEEDS_SOURCE = "an approved term needs at least one source"

# Function words found in almost every listing: a term equal to one of them is a mistake.
STOP_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "a an and are as at be by for from has have i in is it its of on or that the this to was we with "
          "you",
    "es": "a al con de del el en es la las lo los mas no o para pero por que se si su un una y",
    "fr": "à au aux avec ce ces dans de des du elle en est et il je la le les mais ne on ou par pas pour "
          "que qui se son sur un une",
    "de": "als am an auf aus bei das dem den der des die ein eine er es für ich im in ist mit nicht oder "
          "sie und von zu",
    "pt": "a ao as com da das de do dos e é em na nas no nos o os ou para por que se um uma",
    "it": "a al che con da del della di e è gli i il in la le lo ma nel non per se si su un una",
    "id": "ada adalah akan dan dari di dengan ini itu ke pada saya tidak untuk yang",
    "vi": "bị các cho có của đã để không là mà một này những rất thì trong và với được",
}.items()}


class ProblemSeverity(str, enum.Enum):
    """Errors fail `wildcli lint`; warnings only do with `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One lint finding; `str()` is the one-line `path:line: field: message [WL0xx]` form."""

    rule_id: str
    severity: ProblemSeverity
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{LexiconError(self.message, self.location)} [{self.rule_id}]"


@dataclass
class LexiconFile:
    """One YAML file of a lexicon directory, as text and parsed; `lang` is None for concept.yaml."""

    path: Path
    concept: str
    lang: str | None
    display: str = ""
    text: str | None = None
    doc: YamlDocument | None = None

    def __post_init__(self) -> None:
        self.display = display_path(self.path)
        try:
            self.text = self.path.read_bytes().decode("utf-8")
            self.doc = parse_yaml(self.text, self.display)
        except (OSError, UnicodeDecodeError, LexiconError):
            pass  # the loader reports it (WL001)

    def entries(self) -> list[Any]:
        data = self.doc.data if self.doc else None
        terms = data.get("terms") if isinstance(data, dict) and self.lang else None
        return terms if isinstance(terms, list) else []


@dataclass
class LintContext:
    """What the rules look at: the layered lexicon, the raw files, and the loader's errors."""

    lexicon: Lexicon
    files: list[LexiconFile]
    load_errors: list[LexiconError]
    _matchers: dict[bool, Matcher] = field(default_factory=dict)
    _index: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n, f in enumerate(self.files):
            for i, entry in enumerate(f.entries()):
                if isinstance(entry, dict) and isinstance(entry.get("term"), str):
                    self._index.setdefault((f.display, entry["term"]), (n, i))

    def matcher(self, preview: bool = False) -> Matcher:
        """The default matcher; with `preview`, proposed terms are matched as if approved."""
        if preview not in self._matchers:
            terms = tuple(dataclasses.replace(t, status=Status.APPROVED) if preview and t.status is
                          Status.PROPOSED else t for t in self.lexicon.terms)
            self._matchers[preview] = Matcher(dataclasses.replace(self.lexicon, terms=terms))
        return self._matchers[preview]

    def terms(self) -> Iterator[Term]:
        """Terms still in use: retired ones are kept for history and not checked."""
        return (t for t in self.lexicon.terms if t.status is not Status.RETIRED)

    def _entry(self, term: Term) -> tuple[int, int] | None:
        return self._index.get((term.location.path if term.location else "", term.term))

    def file_order(self, term: Term) -> tuple[str, str, int, int]:
        """Terms of earlier layers, then of earlier lines, first."""
        found = self._entry(term)
        line = term.location.line or 0 if term.location else 0
        return (term.concept, term.lang, found[0] if found else -1, line)

    def term_location(self, term: Term, *sub: str | int) -> Location:
        found = self._entry(term)
        doc = self.files[found[0]].doc if found else None
        if found is None or doc is None:
            return term.location or Location("<lexicon>")
        return doc.location(("terms", found[1], *sub))

    def concept_location(self, concept: Concept, *sub: str | int) -> Location:
        path = concept.location.path if concept.location else ""
        doc = next((f.doc for f in self.files if f.display == path and f.doc), None)
        return doc.location(sub) if doc else Location(path)


class Rule:
    """One lint rule: a stable id, a one-line description, a severity and a check."""

    rule_id: ClassVar[str]
    description: ClassVar[str]
    severity: ClassVar[ProblemSeverity] = ProblemSeverity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        raise NotImplementedError

    def problem(self, location: Location, message: str) -> Problem:
        return Problem(self.rule_id, self.severity, location, message)


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


class DuplicateInFile(Rule):
    rule_id = "WL002"
    description = "two terms of one concept and language are the same once normalised"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term, first, key in _duplicates(ctx, "lang"):
            yield self.problem(ctx.term_location(term, "term"), f"{term.term!r} duplicates {first.term!r} at "
                               f"{ctx.term_location(first)} (both normalise to {key!r})")


class DuplicateAcrossConcepts(Rule):
    rule_id = "WL003"
    description = "a term of two concepts once normalised (a finding cannot say which one)"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term, first, key in _duplicates(ctx, "lexicon"):
            yield self.problem(ctx.term_location(term, "term"), f"{term.term!r} is also a term of concept "
                               f"{first.concept!r} at {ctx.term_location(first)} (both normalise to {key!r})")


def _hits(decisions: Iterable[Decision], concept: str, term: Term | None = None) -> list[Decision]:
    """Accepted decisions for `concept` (and `term`); `decide` also covers context concepts."""
    return [d for d in decisions if d.accepted and d.term.concept == concept
            and (term is None or d.term.key == term.key)]


class ExampleNotFound(Rule):
    rule_id = "WL004"
    description = "an example produces no finding of its term (or of its concept)"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.terms():
            for j, text in enumerate(term.examples):
                decisions = ctx.matcher(preview=term.status is Status.PROPOSED).decide(text)
                if not _hits(decisions, term.concept, term):
                    why = next((d.reason for d in decisions if d.term.key == term.key), "not found")
                    yield self.problem(ctx.term_location(term, "examples", j),
                                       f"example {text!r} does not match {term.term!r}: {why}")
        for concept in ctx.lexicon.concepts.values():
            for j, text in enumerate(concept.examples):
                if not _hits(ctx.matcher().decide(text), concept.id):
                    yield self.problem(ctx.concept_location(concept, "examples", j),
                                       f"example {text!r} matches no term of concept {concept.id!r}")


class CounterExampleFound(Rule):
    rule_id = "WL005"
    description = "a counter-example produces a finding of its term (or of its concept)"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.terms():
            for j, text in enumerate(term.counter_examples):
                matcher = ctx.matcher(preview=term.status is Status.PROPOSED)
                for hit in _hits(matcher.decide(text), term.concept, term)[:1]:
                    yield self.problem(ctx.term_location(term, "counter_examples", j), f"counter-example "
                                       f"{text!r} matches {term.term!r} at {hit.matched!r} ({hit.reason})")
        for concept in ctx.lexicon.concepts.values():
            for j, text in enumerate(concept.counter_examples):
                for hit in _hits(ctx.matcher().decide(text), concept.id)[:1]:
                    yield self.problem(ctx.concept_location(concept, "counter_examples", j), (
                        f"counter-example {text!r} matches concept {concept.id!r} "
                        f"through {hit.term.term!r} at {hit.matched!r}"))


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


def _first_unsorted(f: LexiconFile) -> int | None:
    keys = [(i, sort_key(e)) for i, e in enumerate(f.entries()) if sort_key(e)[0] == 0]
    return next((i for (_, a), (i, b) in itertools.pairwise(keys) if b < a), None)


class Unsorted(Rule):
    rule_id = "WL008"
    description = "the terms of a file are not sorted by their casefolded text"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.files:
            if f.doc and (i := _first_unsorted(f)) is not None:
                yield self.problem(f.doc.location(("terms", i, "term")), (
                    f"{f.entries()[i]['term']!r} is out of order: terms are sorted by their casefolded "
                    f"text (run `wildcli fmt {f.display}`)"))


def _body(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[1:] if SCHEMA_LINE.match(lines[0]) else lines


class NotCanonical(Rule):
    rule_id = "WL009"
    description = "the file differs from its canonical layout (what `wildcli fmt` writes)"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.files:
            if f.text is None or f.doc is None or _first_unsorted(f) is not None:
                continue  # unreadable files are WL001; unsorted ones WL008; a bad schema line is WL010
            try:
                want, have = _body(format_text(f.text, f.path, f.display)), _body(f.text)
            except LexiconError:
                continue
            if have != want:
                pairs = enumerate(zip(have, want, strict=False))
                line = next((i for i, (a, b) in pairs if a != b), len(have))
                line += len(f.text.split("\n")) - len(have) + 1  # 1-based, after the schema line if any
                yield self.problem(Location(f.display, line),
                                   f"not in canonical format (run `wildcli fmt {f.display}`)")


class SchemaComment(Rule):
    rule_id = "WL010"
    description = "the first line is not the yaml-language-server comment naming the file's schema"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.files:
            first = (f.text or "").split("\n")[0]
            if f.text is not None and schema_line(f.path, first) != first:
                yield self.problem(Location(f.display, 1), "the first line must be `# yaml-language-server: "
                                   f"$schema=<path>/{'concept' if f.lang is None else 'terms'}.schema.json` "
                                   f"(run `wildcli fmt {f.display}`)")


def _strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield from _strings(key, path)
        yield from _strings(value, (*path, key))


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


class HiddenCharacters(Rule):
    rule_id = "WL011"
    description = "an invisible or bidi control character outside terms of kind obfuscation"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for f in ctx.files:
            if f.doc is None or f.text is None:
                continue
            skip = self._obfuscation_lines(f, f.doc, f.text.count("\n") + 2)
            for path, text in _strings(f.doc.data, ()):
                where = f.doc.location(path)
                if (hidden := hidden_characters(text)) and where.line not in skip:
                    skip.add(where.line or 0)  # once per line: the raw-text pass below skips it too
                    yield self.problem(where, f"{_describe(text[hidden[0]])} at offset {hidden[0]}: "
                                              "allowed only in terms of kind obfuscation")
            for n, line in enumerate(f.text.split("\n"), 1):
                if (hidden := hidden_characters(line)) and n not in skip:
                    yield self.problem(Location(f.display, n), f"{_describe(line[hidden[0]])} "
                                       f"at column {hidden[0] + 1} (a comment or key hides it)")

    @staticmethod
    def _obfuscation_lines(f: LexiconFile, doc: YamlDocument, end: int) -> set[int]:
        starts = [doc.line_of(("terms", i)) or 0 for i in range(len(f.entries()))]
        spans = zip(f.entries(), starts, [*starts[1:], end][: len(starts)], strict=True)
        return {n for e, a, b in spans if isinstance(e, dict) and e.get("kind") == Kind.OBFUSCATION.value
                for n in range(a, b)}


class BadTerm(Rule):
    rule_id = "WL012"
    description = "a term that matches everything: empty once normalised, one letter, a stop word"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.terms():
            view = view_for(term.lang)
            key = normalize_key(term.term, view).strip()
            stop = {normalize_key(w, view) for w in STOP_WORDS.get(primary(term.lang), ())}
            letter = len(key) == 1 and needs_boundary_before(key)
            why = ("is empty once invisible characters are removed" if not key
                   else "is a single letter of a spaced script" if letter
                   else f"is a common {term.lang} word" if key in stop else None)
            if why:
                yield self.problem(ctx.term_location(term, "term"), f"{term.term!r} {why} and would match "
                                   "far too much")


class UnknownContextConcept(Rule):
    rule_id = "WL013"
    description = "a context entry `@x` names no concept of the lexicon"

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term in ctx.terms():
            for j, phrase in enumerate(term.context):
                if phrase.startswith("@") and phrase[1:] not in ctx.lexicon.concepts:
                    yield self.problem(ctx.term_location(term, "context", j),
                                       f"{phrase!r} names no concept of the lexicon")


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


class DuplicateAcrossLanguages(Rule):
    rule_id = "WL016"
    description = "one concept has a term in two languages (shared words such as 象牙 in zh and ja)"
    severity = ProblemSeverity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        for term, first, _ in _duplicates(ctx, "concept"):
            yield self.problem(ctx.term_location(term, "term"), (
                f"{term.term!r} is also a term of language {first.lang!r} at {ctx.term_location(first)}: "
                "each match is reported twice, consider keeping one (or und.yaml)"))


RULES: tuple[Rule, ...] = tuple(sorted((cls() for cls in Rule.__subclasses__()), key=lambda r: r.rule_id))


@dataclass(frozen=True)
class LintReport:
    problems: list[Problem]
    files: list[LexiconFile]


def lint_lexicon(dirs: Iterable[str | os.PathLike[str]], *, with_bundled: bool = False) -> list[Problem]:
    """Every problem of the lexicon made of `dirs` (the bundled one when empty), sorted."""
    return lint_report(dirs, with_bundled=with_bundled).problems


def lint_report(dirs: Iterable[str | os.PathLike[str]], *, with_bundled: bool = False) -> LintReport:
    """Like lint_lexicon, with the files that were checked."""
    errors: list[LexiconError] = []
    lexicon = load_lexicon(list(dirs), on_error=errors.append, with_bundled=with_bundled)
    files = [f for root in lexicon.roots for f in _files(Path(root))]
    ctx = LintContext(lexicon, files, errors)
    problems = sorted((p for rule in RULES for p in rule.check(ctx)),
                      key=lambda p: (p.location.path, p.location.line or 0, p.rule_id, p.message))
    return LintReport(problems, files)


def _files(root: Path) -> Iterator[LexiconFile]:
    """The YAML files the loader reads under `root`, in its order, not following links out of it."""
    if not root.is_dir():
        return
    real_root = root.resolve()
    for directory in sorted(root.iterdir(), key=lambda p: p.name):
        if not directory.is_dir() or not CONCEPT_ID.match(directory.name):
            continue
        for path in sorted(directory.iterdir(), key=lambda p: (p.name != CONCEPT_FILE, p.name)):
            lang = None if path.name == CONCEPT_FILE else path.stem
            named = lang is None or (path.suffix == ".yaml" and LANG_TAG.match(lang))
            if named and path.is_file() and path.resolve().is_relative_to(real_root):
                yield LexiconFile(path, directory.name, lang)
