"""The matching engine: one multi-pattern automaton over all terms and their context phrases.

Compiled once per lexicon; `find(text)` returns findings with offsets into the original text.
All spellings of all terms, `context` and `exclude` phrases share one Aho-Corasick automaton
(`wildcli.match.keys`), run over the views of a text that it needs (`wildcli.match.views`); hits are then
judged against their context and exclusions, and overlapping hits of one concept resolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from wildcli.lexicon.model import Cancels, Lexicon, Role, Severity, Term
from wildcli.match.acceptance import alternating_case, disguise_is_context, needs_context
from wildcli.match.decisions import Decision
from wildcli.match.findings import Finding, Method
from wildcli.match.fuzzy import FuzzyIndex
from wildcli.match.keys import DEFAULT_WINDOW, Patterns
from wildcli.match.languages import evidence_for, fuzzy_edits
from wildcli.match.prefilter import Prefilter
from wildcli.match.spans import DisjointSpans, SpanIndex
from wildcli.match.views import Hit, Hits, Trace, collect
from wildcli.text.han import to_simplified
from wildcli.text.normalize import View

__all__ = ["DEFAULT_WINDOW", "EXCERPT", "MatchOptions", "Matcher"]

EXCERPT = 40
"""Characters of surrounding text kept with each finding as evidence."""

TermHit = tuple[int, int, tuple[str, str, str]]
"""A hit's start, end and term key (`Term.key`): what a code word's corroboration compares."""

MIN_BATCH = 64
"""Below this many texts `find_many` looks at each one alone: the batch test would not pay."""


@dataclass(frozen=True)
class MatchOptions:
    """Which findings to report and how hard to look. Filtering happens after matching, so
    `@concept` context works even for concepts that are filtered out of the report.

    `obfuscation` undoes look-alikes, leetspeak, separators, stuffed letters, missing tones,
    Traditional/Simplified spellings and hashtag gluing; off, only the base and folded views
    are matched. `fuzzy` adds near-misses of long terms (off by default: slower, less certain).
    `queries` judges the texts as search queries: the concepts whose `scope` is queries cancel
    too ("象牙 写真" asks for pictures), which in listings they do not ("实拍图片", real photos).
    """

    min_severity: Severity = Severity.MONITOR
    concepts: frozenset[str] | None = None
    langs: frozenset[str] | None = None
    obfuscation: bool = True
    fuzzy: bool = False
    queries: bool = False


class Matcher:
    """Finds lexicon terms in text. Build once, call `find` for every field of every record."""

    def __init__(
        self, lexicon: Lexicon, options: MatchOptions | None = None, *, patterns: Patterns | None = None,
        prefilter: Prefilter | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.options = options or MatchOptions()
        if patterns is None or patterns.obfuscation != self.options.obfuscation:
            patterns = Patterns(lexicon, obfuscation=self.options.obfuscation)
        self.patterns = patterns
        self.terms = self.patterns.terms
        # Near-misses of the terms that can only cancel a finding (everyday goods) are left
        # out: their near-miss words fill ordinary listings, and a misspelt "curtians" next to
        # "ivory" was never what stood between a listing and a finding (no text of the shared
        # corpora or the labelled sets is judged otherwise without them).
        self.fuzzy = FuzzyIndex([
            (i, c.fuzzy_key, fuzzy_edits(c.term, c.fuzzy_key))
            for i, c in enumerate(self.terms) if c.fuzzy_key and i not in self.patterns.cancelling
        ]) if self.options.fuzzy else None
        self._prefilter = prefilter if patterns is self.patterns else None
        self._cancellers = self.patterns.cancellers if self.options.queries else {
            i: kind for i, kind in self.patterns.cancellers.items() if i not in self.patterns.query_cancellers
        }
        self._for_queries: Matcher | None = None
        named = {concept for c in self.terms for concept in c.exclude_concepts}
        self._objects = frozenset(i for i, c in enumerate(self.terms) if c.term.concept in named)
        self._excluding_with_exclusions = frozenset(
            i for i in self._objects if self.terms[i].exclude or self.terms[i].exclude_concepts
        )
        self._wanted_terms: frozenset[int] | None = None

    def __reduce__(self) -> tuple[type[Matcher], tuple[Lexicon, MatchOptions]]:
        # The automaton cannot be pickled: a worker process rebuilds it from the lexicon.
        return (Matcher, (self.lexicon, self.options))

    def for_queries(self) -> Matcher:
        """This matcher judging search queries (`MatchOptions.queries`): itself when it already
        does, else one built once on the same compiled keys."""
        if self.options.queries:
            return self
        if self._for_queries is None:
            options = replace(self.options, queries=True)
            self._for_queries = Matcher(
                self.lexicon, options, patterns=self.patterns, prefilter=self.prefilter()
            )
        return self._for_queries

    def find(self, text: str) -> list[Finding]:
        """Accepted findings in `text`, ordered by position, filtered by the options."""
        return [
            self._finding(text, d) for d in self.decide(text) if d.accepted and self.wanted(d.term)
        ]

    def find_many(self, texts: Sequence[str]) -> list[list[Finding]]:
        """`[self.find(text) for text in texts]`, faster on many texts: the batch goes through
        one candidate test (`wildcli.match.prefilter`) and only the candidates through `find`."""
        if len(texts) < MIN_BATCH:
            return [self.find(text) for text in texts]
        candidates = self.candidates(texts)
        return [self.find(text) if i in candidates else [] for i, text in enumerate(texts)]

    def candidates(self, texts: Sequence[str]) -> set[int]:
        """Indices of the `texts` in which `find` may find something: `find` of any other text
        is empty (the batch candidate test of `find_many`)."""
        if self._wanted_terms is None:
            self._wanted_terms = frozenset(i for i, c in enumerate(self.terms) if self.wanted(c.term))
        return self.prefilter().candidates(texts, self.fuzzy, self._wanted_terms)

    def warm_up(self) -> None:
        """Build everything matching builds on first use (automata, tables), now: before
        forking workers, so that they share it instead of each building its own."""
        self.find("warm-up")
        self.find_many(["warm-up", "réchauffé 象牙"] * MIN_BATCH)
        self.prefilter().warm_up()

    def prefilter(self) -> Prefilter:
        """The batch candidate test of `find_many`, compiled on first use."""
        if self._prefilter is None:
            self._prefilter = Prefilter(self.patterns)
        return self._prefilter

    def wanted(self, term: Term) -> bool:
        """Whether findings of `term` pass the options: product concepts, severity, filters."""
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

    def decide(self, text: str, trace: Trace | None = None) -> list[Decision]:
        """Every candidate hit in `text` with the decision taken on it and why.

        With a `trace`, the views built and the candidates dropped before judging (boundaries,
        tones, fuzzy near-misses beyond their threshold) are recorded in it too.
        """
        if not text:
            return []
        hits = collect(text, self.patterns, trace)
        if self.fuzzy:
            self._add_fuzzy(text, hits, trace)
        return self._judge(text, hits)

    def _add_fuzzy(self, text: str, hits: Hits, trace: Trace | None) -> None:
        assert self.fuzzy is not None
        taken = [(h.start, h.end) for h in hits.terms]
        for miss in self.fuzzy.near_misses(hits.folded, taken, slack=1 if trace else 0):
            hit = Hit(miss.term, miss.start, miss.end, Method.FUZZY, miss.score, View.FOLDED)
            if miss.accepted:
                hits.terms.append(hit)
            elif trace is not None:
                trace.rejected.append((hit, (
                    f"fuzzy: {miss.distance} edits from {miss.key!r}, {miss.allowed} allowed"
                )))

    def _judge(self, text: str, hits: Hits) -> list[Decision]:
        unique = _best_per_span(hits.terms)
        concept_spans = self._concept_spans(unique)
        phrase_spans = {phrase: SpanIndex(spans) for phrase, spans in hits.phrases.items()}
        glued = hits.glued_words()
        negated = self._negations(text, unique, phrase_spans, concept_spans, glued)
        # A word that other terms name as an exclusion ('@everyday_goods') stands down where its
        # own exclusions stand: "tiles" with "mahjong" as its exclusion leaves "ivory mahjong
        # tiles" an offer, as a cancelling word does where its exclusions stand.
        down = [
            h for h in unique
            if h.term in self._excluding_with_exclusions
            and self._exclusion(h, phrase_spans, concept_spans, glued, negated)
        ]
        if down:
            concept_spans = self._concept_spans([h for h in unique if h not in down])
        # The terms other terms take as context (selling phrases) are judged first: one is
        # evidence only where it holds on its own terms (its own context and exclusions), so
        # "bay" (to sell, and to fly) next to a bird says nothing unless a price is near too.
        # The phrases that cancel product terms are judged first as well: "生態" cancels only where
        # its own exclusions leave it standing ("生態養殖" is farming, not a documentary).
        evidence_terms, kinds = self.patterns.evidence, self._cancellers
        corroborating = self._corroborating(unique)
        first = {
            i: self._decide_one(
                text, hit, phrase_spans, concept_spans, glued, None, None, corroborating, negated
            )
            for i, hit in enumerate(unique) if hit.term in evidence_terms or hit.term in kinds
        }
        evidence = Evidence(first.values(), self.patterns.counts_as)
        cancelling = Cancellers(text, [
            (kinds[h.term], self.terms[h.term].term.lang, h.start, h.end)
            for i, h in enumerate(unique) if h.term in kinds and first[i].accepted
        ], [
            (self.terms[h.term].term.concept, self.terms[h.term].term.lang, h.start, h.end)
            for h in unique if h.term not in self.patterns.supporting
        ])
        # A product term that is also evidence (a code word, `Concept.counts_as`) is judged
        # again as a finding: by the evidence and the cancelling phrases, as any product term.
        supporting = self.patterns.supporting
        decisions = [
            first[i] if i in first and hit.term in supporting else self._decide_one(
                text, hit, phrase_spans, concept_spans, glued, evidence, cancelling, corroborating, negated
            )
            for i, hit in enumerate(unique)
        ]
        return _resolve_overlaps(decisions)

    def _corroborating(self, hits: list[Hit]) -> dict[str, list[TermHit]]:
        """The hits of the concepts whose terms take their own concept as context, by concept:
        (start, end, term key)."""
        if not self.patterns.self_context:
            return {}
        found: dict[str, list[TermHit]] = defaultdict(list)
        for hit in hits:
            term = self.terms[hit.term].term
            if term.concept in self.patterns.self_context:
                found[term.concept].append((hit.start, hit.end, term.key))
        return found

    def _concept_spans(self, hits: list[Hit]) -> dict[str, SpanIndex]:
        """Where the hits of each concept stand (what `@concept` context and exclusions read)."""
        by_concept: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for hit in hits:
            by_concept[self.terms[hit.term].term.concept].append((hit.start, hit.end))
        return {concept: SpanIndex(spans) for concept, spans in by_concept.items()}

    def _negations(
        self, text: str, hits: list[Hit], phrase_spans: dict[int, SpanIndex],
        concept_spans: dict[str, SpanIndex], glued: Glued,
    ) -> Negations | None:
        """The denials in the text ("not", "no es", "非"), each where its own exclusions leave it
        standing, and the words for other objects that product terms name as exclusions
        (materials, everyday goods, toys): what `_exclusion` asks whether an exclusion is denied."""
        denials = [
            (Cancels.BEFORE, self.terms[h.term].term.lang, h.start, h.end) for h in hits
            if self._cancellers.get(h.term) is Cancels.BEFORE
            and self._exclusion(h, phrase_spans, concept_spans, glued) is None
        ]
        if not denials:
            return None
        objects = frozenset(h.start for h in hits if h.term in self._objects)
        return Negations(Cancellers(text, denials, []), objects) if objects else None

    def _exclusion(
        self, hit: Hit, phrase_spans: dict[int, SpanIndex], concept_spans: dict[str, SpanIndex],
        glued: Glued, negated: Negations | None = None,
    ) -> tuple[tuple[int, int], str | None] | None:
        """The first of the hit's exclusions that stands within its window, outside the hit
        itself, and the concept it came from (None for a phrase of its own).

        One read only glued into a longer word counts only in the hit's own word: "#ivorylace"
        is ivory lace, while "ivory pendant #necklace" holds no lace. One that names another
        object (a material, an everyday good) right after a denial of the hit's language
        (`negated`) does not count: "carey, no es acetato", "玳瑁 非亚克力", "tortoiseshell, not
        acetate" say what the object is not. A denied campaign phrase still excludes: "a ban
        does not save elephants" is about the trade all the same."""
        c = self.terms[hit.term]
        lo, hi, within = hit.start - c.window, hit.end + c.window, (hit.start, hit.end)

        def first(index: SpanIndex) -> tuple[int, int] | None:
            # An exclusion read inside the hit itself is part of the term's own letters ('lamp'
            # in 'lamp@r7a', 'kapı' in 'k a p l 4 n'), not a sign of another sense around it.
            return next((
                span for span in index.all_near(lo, hi, within=within) if _in_word(glued.get(span), hit)
                and (negated is None or not negated.denies(span[0], c.term.lang))
            ), None)

        # A term may have dozens of exclusions, a text holds few: only those it holds are looked at.
        for phrase in c.exclude:
            index = phrase_spans.get(phrase)
            if index is not None and (span := first(index)) is not None:
                return span, None
        for concept in c.exclude_concepts:
            found = concept_spans.get(concept)
            if found is not None and (span := first(found)) is not None:
                return span, concept
        return None

    def _decide_one(
        self, text: str, hit: Hit, phrase_spans: dict[int, SpanIndex], concept_spans: dict[str, SpanIndex],
        glued: Glued, evidence: Evidence | None, cancelling: Cancellers | None = None,
        corroborating: dict[str, list[TermHit]] | None = None, negated: Negations | None = None,
    ) -> Decision:
        """`evidence`: the accepted hits of context concepts; None while judging those hits
        themselves, whose own `@concept` context (if any) takes any hit of that concept.
        `cancelling`: the hits of the phrases that cancel product terms of their language without an
        exclusion (`Concept.cancels`). `corroborating`: the hits of the concepts whose terms take
        their own concept as context (`Matcher._corroborating`). `negated`: the denials, which
        make an exclusion right after one not count (`_exclusion`)."""
        c = self.terms[hit.term]
        start, end = hit.start, hit.end
        lo, hi = start - c.window, end + c.window

        def near(index: SpanIndex | None) -> tuple[int, int] | None:
            return None if index is None else index.near(lo, hi, skip=(start, end))

        def decision(accepted: bool, reason: str) -> Decision:
            return Decision(
                c.term, start, end, text[start:end], hit.method, hit.score, accepted, reason, hit.view
            )

        if hit.method is Method.DIACRITICS and c.accent_sensitive:
            return decision(False, "too short to match with accents other than its own")
        excluded = self._exclusion(hit, phrase_spans, concept_spans, glued, negated)
        if excluded is not None:
            (x0, x1), concept = excluded
            return decision(False, f"{EXCLUDED} {text[x0:x1]!r}" + (f" (@{concept})" if concept else ""))
        if cancelling is not None and hit.term not in self.patterns.supporting:
            denied = cancelling.denied(c.term.concept, c.term.lang, start, end)
            if denied is not None:
                (d0, d1), (h0, h1) = denied
                where = "it" if (h0, h1) == (start, end) else f"{text[h0:h1]!r}, which holds it"
                side = "after" if d0 >= h1 else "before"
                return decision(False, f"denied by {text[d0:d1]!r} just {side} {where}")
            span = cancelling.near(lo, hi, (start, end), c.term.lang)
            if span is not None:
                return decision(False, f"about the product, not an offer: {text[span[0]:span[1]]!r} near it")
        if needs_context(c) and disguise_is_context(hit.method):
            return decision(True, f"disguised as {text[start:end]!r} ({hit.method.value})")
        if needs_context(c) and alternating_case(text[start:end]):
            return decision(True, f"disguised as {text[start:end]!r} (alternating case)")
        if needs_context(c):
            for phrase in c.context:
                span = near(phrase_spans.get(phrase))
                if span is not None:
                    return decision(True, f"context {text[span[0]:span[1]]!r}")
            for concept in c.context_concepts:
                if concept == c.term.concept:
                    own = corroborating or {}
                    others = own.get(concept, ()) if evidence is None else evidence.terms_of(concept)
                    span = _corroborated(others, c.term, (start, end), lo, hi)
                else:
                    span = near(
                        concept_spans.get(concept) if evidence is None else evidence.of(concept, c.term.lang)
                    )
                if span is not None:
                    return decision(True, f"context {text[span[0]:span[1]]!r} (@{concept})")
            return decision(False, NO_CONTEXT)
        return decision(True, "matched")


LINKING_WORDS = frozenset({
    "of", "de", "del", "des", "du", "di", "da", "do", "dos", "das", "della", "dello", "dei", "degli",
    "delle", "dari", "von",
})
"""The words that join a word for an imitation or a denial to the product it is about: "réplica
de", "replica of", "réplique de", "replica di", "réplica do", "replika dari", "Nachbildung von"."""


class Cancellers:
    """The hits of the phrases that cancel product terms of their language without an exclusion
    (`Concept.cancels`), in one text. A denial ("không phải", "bukan", "not") cancels a term it
    ends right before (only white space between); a word for an imitation ("fake", "giả")
    cancels a term right before or right after it; a phrase that says the text is about the
    product ("tạp chí", "poster", "kampanye") cancels any term within whose window it stands.
    Each counts only for a term of a language it speaks for (`languages.evidence_for`)."""

    def __init__(
        self, text: str, hits: Iterable[tuple[Cancels, str, int, int]],
        products: Iterable[tuple[str, str, int, int]],
    ) -> None:
        """`hits`: (cancels, language, start, end) of the cancelling phrases; `products`:
        (concept, language, start, end) of the product hits they may cancel."""
        self._text = text
        self._before: dict[int, list[tuple[str, int]]] = defaultdict(list)
        self._after: dict[int, list[tuple[str, int]]] = defaultdict(list)
        self._near: list[tuple[str, int, int]] = []
        for cancels, lang, start, end in hits:
            if cancels is Cancels.NEAR:
                self._near.append((lang, start, end))
                continue
            self._before[end].append((lang, start))
            if cancels is Cancels.BESIDE:
                self._after[start].append((lang, end))
        # The product hits a denial stands right before (or a word for a fake right after), by
        # concept: a denial of a term also denies the shorter terms of its concept inside it
        # ("nói không với súp vi cá mập" says no to the soup, and so to the fin in its name).
        self._denied: dict[str, list[tuple[tuple[int, int], tuple[int, int], str]]] = defaultdict(list)
        if self._before:
            for concept, lang, start, end in products:
                span = self.before(start, lang) or self._right_after(end, lang)
                if span is not None:
                    self._denied[concept].append((span, (start, end), lang))

    def denied(
        self, concept: str, lang: str, start: int, end: int,
    ) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The denial of the hit of `concept` and `lang` at `start`-`end`, and the hit it stands
        before: this hit itself, else a longer hit of the same concept that holds it."""
        found = self._denied.get(concept, ())
        for span, held, held_lang in found:
            if held == (start, end) and held_lang == lang:
                return span, held
        for span, (h0, h1), _ in found:
            if h0 <= start and end <= h1 and (h0, h1) != (start, end):
                return span, (h0, h1)
        return None

    def before(self, start: int, lang: str) -> tuple[int, int] | None:
        """The denial of a language that counts for `lang` just before offset `start`, with
        white space between, or one linking word ("réplica de marfil", "replica of rhino horn",
        "no es de marfil")."""
        if not self._before:
            return None
        end = self._skip_space(start)
        found = self._ending_at(end, lang)
        if found is None:
            word = end
            while word > 0 and self._text[word - 1].isalpha():
                word -= 1
            if word < end and self._text[word:end].casefold() in LINKING_WORDS:
                found = self._ending_at(self._skip_space(word), lang)
        return found

    def _skip_space(self, end: int) -> int:
        while end > 0 and self._text[end - 1].isspace():
            end -= 1
        return end

    def _ending_at(self, end: int, lang: str) -> tuple[int, int] | None:
        for phrase_lang, phrase_start in self._before.get(end, ()):
            if evidence_for(phrase_lang, lang):
                return phrase_start, end
        return None

    def _right_after(self, end: int, lang: str) -> tuple[int, int] | None:
        """The word for an imitation of a language that counts for `lang` just after offset `end`."""
        if not self._after:
            return None
        start = end
        while start < len(self._text) and self._text[start].isspace():
            start += 1
        for phrase_lang, phrase_end in self._after.get(start, ()):
            if evidence_for(phrase_lang, lang):
                return start, phrase_end
        return None

    def near(self, lo: int, hi: int, hit: tuple[int, int], lang: str) -> tuple[int, int] | None:
        """A phrase of a language that counts for `lang` between offsets `lo` and `hi`, outside
        the `hit` itself."""
        for phrase_lang, start, end in self._near:
            outside = end <= hit[0] or start >= hit[1]
            if start < hi and end > lo and outside and evidence_for(phrase_lang, lang):
                return start, end
        return None


NO_CONTEXT = "no context word within the window"


@dataclass(frozen=True)
class Negations:
    """The denials of one text, and where the words for other objects (`Matcher._objects`)
    start in it."""

    denials: Cancellers
    objects: frozenset[int]

    def denies(self, start: int, lang: str) -> bool:
        """Whether an exclusion starting at `start` names an object that a denial of a language
        speaking for `lang` stands right before."""
        return start in self.objects and self.denials.before(start, lang) is not None


def _corroborated(
    others: Iterable[TermHit], term: Term, hit: tuple[int, int], lo: int, hi: int,
) -> tuple[int, int] | None:
    """The first hit of another term of `term`'s concept, of a language that speaks for its own,
    within the window `lo`-`hi`, apart from the hit at `start`-`end`: the second code word
    a code word needs. The same word twice, or two terms read on the same words, is one."""
    start, end = hit
    for s, e, key in sorted(others):
        apart = e <= start or s >= end
        if s < hi and e > lo and apart and key != term.key and evidence_for(key[1], term.lang):
            return s, e
    return None


class Evidence:
    """The accepted hits of context concepts in one text, looked up by concept and by the
    language of the term they would support (`languages.evidence_for`).

    A hit of a concept that counts as context concepts (`Concept.counts_as`: code words) is
    evidence for them wherever it stands on its own terms, whether or not a second code word
    made it a finding: its exclusions only, not its own context, decide."""

    def __init__(self, decisions: Iterable[Decision], counts_as: dict[str, tuple[str, ...]]) -> None:
        self._hits: dict[str, list[tuple[str, tuple[int, int]]]] = defaultdict(list)
        self._terms: dict[str, list[TermHit]] = defaultdict(list)
        for d in decisions:
            if d.accepted:
                self._hits[d.term.concept].append((d.term.lang, (d.start, d.end)))
                self._terms[d.term.concept].append((d.start, d.end, d.term.key))
            if d.accepted or d.reason == NO_CONTEXT:
                for concept in counts_as.get(d.term.concept, ()):
                    self._hits[concept].append((d.term.lang, (d.start, d.end)))
        self._indexes: dict[tuple[str, str], SpanIndex | None] = {}

    def terms_of(self, concept: str) -> list[TermHit]:
        """The accepted hits of `concept`, with their terms' keys (`_corroborated`)."""
        return self._terms.get(concept, [])

    def of(self, concept: str, lang: str) -> SpanIndex | None:
        """The spans of `concept`'s accepted hits that count for a term of `lang`."""
        key = (concept, lang)
        if key not in self._indexes:
            hits = self._hits.get(concept, ())
            spans = [span for phrase_lang, span in hits if evidence_for(phrase_lang, lang)]
            self._indexes[key] = SpanIndex(spans) if spans else None
        return self._indexes[key]


def _best_per_span(hits: list[Hit]) -> list[Hit]:
    """One hit per occurrence of a term: of overlapping hits of one term, the surest one."""
    kept: dict[int, list[Hit]] = defaultdict(list)
    taken: dict[int, DisjointSpans] = defaultdict(DisjointSpans)
    for hit in sorted(set(hits), key=lambda h: (-h.score, h.start, h.start - h.end, h.view.value)):
        if taken[hit.term].add(hit.start, hit.end):
            kept[hit.term].append(hit)
    return sorted((h for group in kept.values() for h in group), key=lambda h: (h.start, -h.end, h.term))


def _resolve_overlaps(decisions: list[Decision]) -> list[Decision]:
    """Within one concept, a longer accepted hit hides the shorter ones it contains (and of the
    hits on the same words, the surest hides the others), except that
    a term written plainly is surer than a longer one read across separators around it: "穿山甲
    鳞片" is 穿山甲 and a word after it, not a spelled-out 穿山甲鱗片. And words that one term
    of a concept is excluded on are excluded for its other terms read on them too."""
    decisions = _plain_before_separated(_exclusions_shared(decisions))
    accepted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    matched: dict[tuple[int, int], str] = {}
    for d in decisions:
        if d.accepted:
            accepted[d.term.concept].append((d.start, d.end))
            matched[(d.start, d.end)] = d.matched
    index = {concept: SpanIndex(spans) for concept, spans in accepted.items()}
    # Of the terms of one concept read on the same words ("熊膽" as 熊膽 and as 熊胆 in its
    # Traditional spelling; "Elfenbeinkette" as itself and as a compound of Elfenbein), the
    # surest one is the finding.
    surest: dict[tuple[str, int, int], Decision] = {}
    for d in decisions:
        key = (d.term.concept, d.start, d.end)
        if d.accepted and (key not in surest or _surer(d, surest[key])):
            surest[key] = d
    result = []
    for d in decisions:
        if d.accepted:
            cover = index[d.term.concept].covering(d.start, d.end)
            best = surest[(d.term.concept, d.start, d.end)]
            if cover is not None:
                d = replace(d, accepted=False, reason=f"inside the longer hit {matched[cover]!r}")
            elif best is not d:
                d = replace(d, accepted=False, reason=f"the same words as {best.term.term!r}, surer")
        result.append(d)
    return result


def _surer(a: Decision, b: Decision) -> bool:
    """Whether `a` is the reading of the same words to report rather than `b`: the more severe
    term (the words ask for the stronger action either way), then the higher score, then the
    term first in code-point order (so the choice is the same on every run)."""
    def key(d: Decision) -> tuple[int, float, str, str]:
        return (-d.term.severity.rank, -d.score, d.term.term, d.term.lang)

    return key(a) < key(b)


Glued = dict[tuple[int, int], tuple[int, int]]
"""Spans read only glued into a longer word (a hashtag, a compound), with that word."""


def _in_word(word: tuple[int, int] | None, hit: Hit) -> bool:
    """Whether an exclusion read glued into `word` (None: a word of its own) counts for `hit`."""
    return word is None or (word[0] <= hit.start and hit.end <= word[1])


EXCLUDED = "excluded by"
"""How the reason of a decision cancelled by an exclusion begins."""


def _exclusions_shared(decisions: list[Decision]) -> list[Decision]:
    """An exclusion says what the words it stands by mean, whichever entry of the same term
    reads them: "仿鹤顶红" (an imitation) excludes 鹤顶红, and so the Traditional 鶴頂紅 read on
    the same letters, whose own list does not name it; "color marfil" excludes the Mexican
    Spanish marfil as well as the Spanish one. A different term on the same words keeps its
    own judgement: "Elfenbeinfiguren" (figurines) is not the bare Elfenbein it holds."""
    excluded = {
        (d.term.concept, _spelling(d.term.term), d.start, d.end): d for d in decisions
        if not d.accepted and d.reason.startswith(EXCLUDED)
    }
    if not excluded:
        return decisions
    result = []
    for d in decisions:
        by = excluded.get((d.term.concept, _spelling(d.term.term), d.start, d.end))
        if d.accepted and by is not None:
            d = replace(d, accepted=False, reason=f"the same words as {by.term.term!r}, {by.reason}")
        result.append(d)
    return result


def _spelling(term: str) -> str:
    """A term as its entries in every language and script of it share it."""
    return to_simplified(term.casefold())


PLAIN_METHODS = frozenset({Method.EXACT, Method.NORMALIZED, Method.DIACRITICS, Method.SCRIPT_VARIANT})


def _plain_before_separated(decisions: list[Decision]) -> list[Decision]:
    plain: dict[str, list[Decision]] = defaultdict(list)
    for d in decisions:
        if d.accepted and d.method in PLAIN_METHODS:
            plain[d.term.concept].append(d)
    if not plain:
        return decisions
    result = []
    for d in decisions:
        if d.accepted and d.method is Method.SEPARATED:
            inside = next(
                (p for p in plain.get(d.term.concept, ()) if d.start <= p.start and p.end <= d.end), None
            )
            if inside is not None:
                d = replace(d, accepted=False, reason=f"holds the plainly written term {inside.matched!r}")
        result.append(d)
    return result
