"""The matching engine: one multi-pattern automaton over all terms and their context phrases.

Compiled once per lexicon; `find(text)` returns findings with offsets into the original text.
All terms, `context` and `exclude` phrases share one Aho-Corasick automaton, run over the base
view of the text and, when the text has Latin diacritics, over the folded view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick_rs

from wildcli.findings import Finding, Method
from wildcli.languages import view_for
from wildcli.lexicon.model import Lexicon, Role, Severity, Term
from wildcli.normalize import Normalized, View, fold_view, normalize, normalize_key
from wildcli.scripts import at_boundaries, needs_boundary_after, needs_boundary_before

EXCERPT = 40
"""Characters of surrounding text kept with each finding as evidence."""

DEFAULT_WINDOW = 100
"""Characters either side of a hit in which `context` and `exclude` phrases count."""

_SCORES = {Method.EXACT: 1.0, Method.NORMALIZED: 0.95, Method.DIACRITICS: 0.9}


@dataclass(frozen=True)
class MatchOptions:
    """Which findings to report. Filtering happens after matching, so `@concept` context works
    even for concepts that are filtered out of the report."""

    min_severity: Severity = Severity.MONITOR
    concepts: frozenset[str] | None = None
    langs: frozenset[str] | None = None


@dataclass(frozen=True)
class Decision:
    """A candidate hit and what was decided about it (used by `explain` and by `find`)."""

    term: Term
    start: int
    end: int
    matched: str
    method: Method
    score: float
    accepted: bool
    reason: str


@dataclass(frozen=True)
class _Entry:
    view: View
    term: int | None  # index into Matcher.terms, or None for a context/exclude phrase
    phrase: int | None
    before: bool
    after: bool


@dataclass
class _Compiled:
    term: Term
    context: tuple[int, ...] = ()
    context_concepts: tuple[str, ...] = ()
    exclude: tuple[int, ...] = ()
    window: int = DEFAULT_WINDOW


@dataclass
class _Hits:
    terms: list[tuple[int, int, int, View]] = field(default_factory=list)
    phrases: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))


class Matcher:
    """Finds lexicon terms in text. Build once, call `find` for every field of every record."""

    def __init__(self, lexicon: Lexicon, options: MatchOptions | None = None) -> None:
        self.lexicon = lexicon
        self.options = options or MatchOptions()
        self.terms: list[_Compiled] = []
        self._keys: dict[str, int] = {}
        self._entries: list[list[_Entry]] = []
        self._phrases: dict[tuple[str, View], int] = {}
        for term in lexicon.active_terms():
            self._add_term(term)
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(self._keys), matchkind=ahocorasick_rs.MatchKind.Standard
        )

    def _pattern(self, key: str) -> int:
        index = self._keys.setdefault(key, len(self._keys))
        if index == len(self._entries):
            self._entries.append([])
        return index

    def _add_term(self, term: Term) -> None:
        view = view_for(term.lang)
        key = normalize_key(term.term, view)
        if not key:
            return
        index = len(self.terms)
        compiled = _Compiled(term, window=term.window or DEFAULT_WINDOW)
        refs = [c[1:] for c in term.context if c.startswith("@")]
        compiled.context_concepts = tuple(refs)
        compiled.context = tuple(
            self._add_phrase(p, view) for p in term.context if not p.startswith("@")
        )
        compiled.exclude = tuple(self._add_phrase(p, view) for p in term.exclude)
        self.terms.append(compiled)
        self._entries[self._pattern(key)].append(_Entry(
            view, index, None, needs_boundary_before(key[0]), needs_boundary_after(key[-1])
        ))

    def _add_phrase(self, phrase: str, view: View) -> int:
        key = normalize_key(phrase, view)
        phrase_id = self._phrases.get((key, view))
        if phrase_id is not None:
            return phrase_id
        phrase_id = self._phrases[(key, view)] = len(self._phrases)
        if key:
            self._entries[self._pattern(key)].append(_Entry(
                view, None, phrase_id, needs_boundary_before(key[0]), needs_boundary_after(key[-1])
            ))
        return phrase_id

    def find(self, text: str) -> list[Finding]:
        """Accepted findings in `text`, ordered by position, filtered by the options."""
        return [
            self._finding(text, d) for d in self.decide(text) if d.accepted and self._wanted(d.term)
        ]

    def _wanted(self, term: Term) -> bool:
        o = self.options
        concept = self.lexicon.concepts.get(term.concept)
        return (
            (concept is None or concept.role is Role.PRODUCT)
            and term.severity.at_least(o.min_severity)
            and (o.concepts is None or term.concept in o.concepts)
            and (o.langs is None or term.lang in o.langs)
        )

    @staticmethod
    def _finding(text: str, d: Decision) -> Finding:
        t = d.term
        return Finding(
            concept=t.concept, term=t.term, lang=t.lang, kind=t.kind, severity=t.severity,
            matched=d.matched, start=d.start, end=d.end, method=d.method, score=d.score,
            before=text[max(0, d.start - EXCERPT):d.start], after=text[d.end:d.end + EXCERPT],
        )

    def decide(self, text: str) -> list[Decision]:
        """Every candidate hit in `text` with the decision taken on it and why."""
        if not text:
            return []
        base = normalize(text)
        folded = fold_view(base)
        hits = _Hits()
        if folded.text == base.text:
            self._collect(base, (View.BASE, View.FOLDED), hits)
        else:
            self._collect(base, (View.BASE,), hits)
            self._collect(folded, (View.FOLDED,), hits)
        return self._judge(text, hits)

    def _collect(self, view: Normalized, accepted: tuple[View, ...], hits: _Hits) -> None:
        matches = self._automaton.find_matches_as_indexes(view.text, overlapping=True)
        for pattern, start, end in matches:
            for entry in self._entries[pattern]:
                if entry.view not in accepted:
                    continue
                if not at_boundaries(view.text, start, end, entry.before, entry.after):
                    continue
                o_start, o_end = view.original_span(start, end)
                if entry.term is not None:
                    hits.terms.append((entry.term, o_start, o_end, entry.view))
                elif entry.phrase is not None:
                    hits.phrases[entry.phrase].append((o_start, o_end))

    def _judge(self, text: str, hits: _Hits) -> list[Decision]:
        unique = sorted(set(hits.terms), key=lambda h: (h[1], -h[2], h[0]))
        concept_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, start, end, _ in unique:
            concept_spans[self.terms[index].term.concept].append((start, end))
        decisions = [
            self._decide_one(text, index, start, end, hits, concept_spans)
            for index, start, end, _ in unique
        ]
        return _resolve_overlaps(decisions)

    def _decide_one(
        self, text: str, index: int, start: int, end: int, hits: _Hits,
        concept_spans: dict[str, list[tuple[int, int]]],
    ) -> Decision:
        c = self.terms[index]
        matched = text[start:end]
        method = _method(matched, c.term)
        lo, hi = start - c.window, end + c.window

        def near(spans: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
            return next((s for s in spans if s[0] < hi and s[1] > lo and s != (start, end)), None)

        def decision(accepted: bool, reason: str) -> Decision:
            return Decision(c.term, start, end, matched, method, _SCORES[method], accepted, reason)

        for phrase in c.exclude:
            span = near(hits.phrases.get(phrase, ()))
            if span is not None:
                return decision(False, f"excluded by {text[span[0]:span[1]]!r}")
        if c.context or c.context_concepts:
            for phrase in c.context:
                span = near(hits.phrases.get(phrase, ()))
                if span is not None:
                    return decision(True, f"context {text[span[0]:span[1]]!r}")
            for concept in c.context_concepts:
                span = near(concept_spans.get(concept, ()))
                if span is not None:
                    return decision(True, f"context {text[span[0]:span[1]]!r} (@{concept})")
            return decision(False, "no context word within the window")
        return decision(True, "matched")


def _method(matched: str, term: Term) -> Method:
    if matched.casefold() == term.term.casefold():
        return Method.EXACT
    if normalize(matched).text == normalize(term.term).text:
        return Method.NORMALIZED
    return Method.DIACRITICS


def _resolve_overlaps(decisions: list[Decision]) -> list[Decision]:
    """Within one concept, a longer accepted hit hides the shorter ones it contains."""
    accepted = [d for d in decisions if d.accepted]
    result = []
    for d in decisions:
        if d.accepted:
            cover = next((
                o for o in accepted
                if o is not d and o.term.concept == d.term.concept
                and o.start <= d.start and o.end >= d.end and (o.end - o.start) > (d.end - d.start)
            ), None)
            if cover is not None:
                d = Decision(d.term, d.start, d.end, d.matched, d.method, d.score, False,
                             f"inside the longer hit {cover.matched!r}")
        result.append(d)
    return result
