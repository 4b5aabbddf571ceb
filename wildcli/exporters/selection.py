"""Blocklist exports: choose terms from a lexicon, render them for a target, report what cannot be.

`render_export(lexicon, fmt, options)` is the library entry point; it never prints or writes.

An export carries wildcli's judgement or leaves a term out, never flattens it: by default it
holds only terms that are safe to act on alone (no monitor tier, no term that needs a context
word, no selling phrase). Each item carries its action, its context phrases, window and
exclusions; a target that cannot express one of those leaves the item out with the reason.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from wildcli.errors import UsageError
from wildcli.exporters import ExportContext, Exporter, ExportFormat, ExportItem, LeftOut, RenderOptions
from wildcli.exporters.base import ALL_ROLE, ALLOW_ROLE, Part, Rendering
from wildcli.exporters.hashed import key_id
from wildcli.exporters.phrases import normalize_phrase, occurrences
from wildcli.lexicon.actions import LIST_ACTIONS, Action
from wildcli.lexicon.model import Cancels, Kind, Lexicon, Role, Scope, Sensitivity, Severity, Status, Term
from wildcli.match.keys import DEFAULT_WINDOW, standard_forms
from wildcli.match.languages import compounds, evidence_for, strict_diacritics, unspaced
from wildcli.text import han
from wildcli.text.normalize import fold, normalize_key

EXAMPLES = 3
"""Example terms shown per reason in the left-out report."""
EXAMPLE_CHARS = 40

RULE_FORMATS = "json, jsonl, csv, regex and sql"
CONTEXTUAL = f"counts only next to a context word (--include-contextual puts it in {RULE_FORMATS})"
CONTEXT_PHRASE = (
    "is a context phrase (a selling phrase, an everyday good): it supports or cancels other findings, "
    "never one alone (--concept names it in)"
)
MONITOR_TIER = "is monitor tier, logged only (--min-severity monitor adds a monitor list)"
CONTEXT_RULE = "with_context"
"""The variant rule of a contextual term written next to one of its context phrases."""


def below(severity: Severity) -> str:
    return f"is below --min-severity {severity.value}"


@dataclass(frozen=True)
class ExportOptions:
    """Which terms to export, and how. `concepts` naming a `context` concept lets it in.

    `include_contextual` lets in terms that count only next to a context word; only formats
    that carry the condition keep them. `actions` narrows the export to some actions.
    """

    concepts: frozenset[str] | None = None
    langs: frozenset[str] | None = None
    min_severity: Severity = Severity.REVIEW
    statuses: frozenset[Status] = frozenset({Status.APPROVED})
    kinds: frozenset[Kind] | None = None
    variants: bool = False
    include_restricted: bool = False
    include_contextual: bool = False
    actions: frozenset[Action] | None = None
    render: RenderOptions = field(default_factory=RenderOptions)

    def to_dict(self) -> dict[str, Any]:
        """For manifests: every choice that changes the output, but never the HMAC key itself."""
        key = self.render.hmac_key
        return {
            "concepts": _sorted(self.concepts),
            "langs": _sorted(self.langs),
            "min_severity": self.min_severity.value,
            "statuses": sorted(s.value for s in self.statuses),
            "kinds": _sorted({k.value for k in self.kinds} if self.kinds else None),
            "variants": self.variants,
            "include_restricted": self.include_restricted,
            "include_contextual": self.include_contextual,
            "actions": _sorted({a.value for a in self.actions} if self.actions else None),
            "csv_dialect": self.render.csv_dialect.value,
            "match_type": self.render.match_type.value,
            "synonyms": self.render.synonyms.value,
            "sql_dialect": self.render.sql_dialect.value,
            "max_pattern_chars": self.render.max_pattern_chars,
            "hmac_key_id": key_id(key) if key else None,
        }

    def list_actions(self) -> tuple[Action, ...]:
        """The actions this export holds, most severe first: one list each in list formats."""
        floor = Action.of(self.min_severity).rank
        return tuple(
            a for a in LIST_ACTIONS if a.rank >= floor and (self.actions is None or a in self.actions)
        )


def _sorted(values: frozenset[str] | set[str] | None) -> list[str] | None:
    return None if values is None else sorted(values)


@dataclass(frozen=True)
class ExportResult:
    """The rendered parts (one per output file), and what was left out, with reasons.

    `excluded` holds the terms the selection left out (not safe to act on alone, below the
    severity floor); `problems` what the format cannot express. `selected` counts the items
    the selection chose, before the format's problems.
    """

    format: ExportFormat
    parts: tuple[Part, ...]
    problems: tuple[LeftOut, ...]
    notes: tuple[str, ...]
    selected: int
    restricted_left_out: int
    excluded: tuple[LeftOut, ...] = ()

    @property
    def left_out(self) -> int:
        return sum(1 for p in (*self.excluded, *self.problems) if p.item is not None)

    @property
    def exported(self) -> int:
        return self.selected - sum(1 for p in self.problems if p.item is not None)

    def left_out_by_reason(self) -> dict[str, int]:
        """How many terms were left out for each reason, the selection's and the format's."""
        counts: dict[str, int] = defaultdict(int)
        for problem in (*self.excluded, *self.problems):
            if problem.item is not None:
                counts[problem.reason] += 1
        return dict(sorted(counts.items()))

    def single_part(self) -> Part | None:
        """The one file that holds all there is to load (the only one with entries, else the
        first), for a target that takes a single file; None when entries fill several."""
        filled = [p for p in self.parts if p.text.strip()]
        if len(filled) > 1:
            return None
        chosen = filled or list(self.parts)
        return chosen[0] if chosen else Part("", ALL_ROLE)

    def texts(self, role: str | None = None) -> str:
        """The text of every part (of one role), joined: what a consumer loads."""
        return "".join(p.text for p in self.parts if role is None or p.role == role)


VariantSource = Callable[[Term], Sequence[tuple[str, str]]]


class Reading:
    """How wildcli reads a spelling of a term on its own."""

    ALONE = "alone"  # a finding of the term with nothing else: safe to act on alone
    CONTEXT = "context"  # the term, but it needs its context word
    NONE = "none"  # not read as the term at all


VariantJudge = Callable[[str, Term], str]


def library_variants(term: Term) -> list[tuple[str, str]]:
    """(text, rule) pairs from `discovery.variants.expand`, imported late: it pulls in pinyin tables."""
    from wildcli.discovery.variants import expand

    return [(v.text, v.rule) for v in expand(term)]


def matcher_judge(lexicon: Lexicon) -> VariantJudge:
    """Ask wildcli's own matcher how it reads each generated spelling (built on first use).

    A spelling is kept only when the matcher finds the term in it; it acts alone when the
    matcher accepts it without a context word, as it does for a disguised spelling of a
    contextual term ("1v0ry": nobody disguises a colour).
    """
    from wildcli.match.decisions import read_as
    from wildcli.match.matcher import Matcher, MatchOptions

    matcher: Matcher | None = None

    def judge(text: str, term: Term) -> str:
        nonlocal matcher
        if matcher is None:
            matcher = Matcher(lexicon, MatchOptions(fuzzy=False))
        every = matcher.decide(text)
        if read_as(every, term):
            return Reading.ALONE
        decisions = [d for d in every if d.term.key == term.key]
        if any(d.reason.startswith("no context word") for d in decisions):
            return Reading.CONTEXT
        return Reading.NONE

    return judge


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Selection:
    """The items chosen, sorted; the terms left out with why; restricted terms hidden."""

    items: tuple[ExportItem, ...]
    excluded: tuple[LeftOut, ...]
    restricted: int
    notes: tuple[str, ...] = ()


def _filtered(term: Term, options: ExportOptions) -> bool:
    """The user's filters: terms they did not ask about, which are not reported as left out."""
    return (
        term.status in options.statuses
        and (options.concepts is None or term.concept in options.concepts)
        and (options.langs is None or term.lang in options.langs)
        and (options.kinds is None or term.kind in options.kinds)
        and (options.actions is None or Action.of(term.severity) in options.actions)
    )


def _judgement(term: Term, lexicon: Lexicon, options: ExportOptions) -> str | None:
    """Why a term the user asked about is not safe to export as it is, or None."""
    concept = lexicon.concepts.get(term.concept)
    if concept is not None and concept.role is Role.CONTEXT and options.concepts is None:
        return CONTEXT_PHRASE
    if not term.severity.at_least(options.min_severity):
        return MONITOR_TIER if options.min_severity is Severity.REVIEW else below(options.min_severity)
    return None


def _glue(text: str) -> tuple[str, ...]:
    """How a phrase is written next to `text`: with or without a space in scripts without
    spaces, with one elsewhere."""
    return ("", " ") if unspaced(text) else (" ",)


def spellings(phrase: str, lang: str) -> set[str]:
    """A context or exclusion phrase as wildcli matches it: also unaccented (where accents are
    not significant) and in its Traditional and Simplified Chinese forms."""
    out = {nfc(phrase)}
    if not strict_diacritics(lang):
        out.add(fold(nfc(phrase)))
    if han.HAN.search(phrase):
        out.update(han.equivalents(normalize_key(phrase)))
    return out


def spaced_apart(phrase: str, word: str) -> set[str]:
    """`phrase` with a space between `word` and the rest of it. Where a script has no spaces,
    wildcli reads the words of an exclusion written apart as the exclusion ("虎皮 凤爪 港式" is
    the dish 虎皮凤爪), and searches are often written so; a target matches phrases as written."""
    at = phrase.find(word)
    if at < 0 or phrase == word:
        return set()
    before, after = phrase[:at], phrase[at + len(word):]
    apart_before = bool(before) and not before.endswith(" ")
    apart_after = bool(after) and not after.startswith(" ")
    forms = set()
    if apart_before:
        forms.add(f"{before} {word}{after}")
    if apart_after:
        forms.add(f"{before}{word} {after}")
    if apart_before and apart_after:
        forms.add(f"{before} {word} {after}")
    return forms


def _carried(word: Term) -> bool:
    """Whether a word that cancels or excludes other terms can go into a rule as a phrase.

    A word with exclusions of its own stands down wherever one of them stands within its
    window ("fake" but "not fake", "giả" but "giả đền", "tiles" but "mahjong tiles"), which no
    exclusion phrase can say. Carried, it would spare real offers that wildcli flags ("not fake
    ivory"); left out, the rule flags what wildcli spares, the safer way to differ."""
    return not word.exclude


class _Rules:
    """A term's judgement as an export carries it: context phrases expanded, exclusions split."""

    def __init__(self, lexicon: Lexicon) -> None:
        by_concept: dict[str, set[str]] = defaultdict(set)
        alone: dict[str, set[tuple[str, str]]] = defaultdict(set)
        every: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for t in lexicon.active_terms():
            if _carried(t):
                by_concept[t.concept].add(nfc(t.term))
            every[t.concept].add((t.lang, nfc(t.term)))
            if not t.context:
                # A phrase with a context of its own ("bay", to sell and to fly, only near a
                # price) is evidence only next to that context, which a list cannot carry.
                alone[t.concept].add((t.lang, nfc(t.term)))
            # A code word is a selling word wherever it stands (`Concept.counts_as`), whether or
            # not a second one makes it a finding.
            for other in lexicon.concepts[t.concept].counts_as:
                alone[other].add((t.lang, nfc(t.term)))
        self.members = {c: tuple(sorted(texts)) for c, texts in by_concept.items()}
        self._alone = alone
        self._every = every
        # The words of the concepts that cancel product terms without an exclusion
        # (`Concept.cancels`), and the product concepts they cancel terms of.
        # Those that cancel in search queries only are left out: a rule judges every text alike.
        cancels = {
            c.id: c.cancels for c in lexicon.concepts.values()
            if c.cancels is not None and c.scope is Scope.ALL
        }
        queries_only = {c.id for c in lexicon.concepts.values() if c.scope is Scope.QUERIES}
        self._queries_only = Counter(t.lang for t in lexicon.active_terms() if t.concept in queries_only)
        self._cancelling = [
            (cancels[t.concept], t.lang, nfc(t.term))
            for t in lexicon.active_terms() if t.concept in cancels and _carried(t)
        ]
        self._products = {c.id for c in lexicon.concepts.values() if c.role is Role.PRODUCT}
        # Per term: the near phrases, the denials and the words for an imitation it is cancelled by.
        self._cancels: dict[tuple[str, str, str], tuple[tuple[str, ...], ...]] = {}
        self._evidence: dict[tuple[str, str], tuple[str, ...]] = {}
        self._terms: dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}

    def queries_only(self, langs: Iterable[str]) -> int:
        """The words of `langs` that cancel in search queries only, which no rule carries."""
        return sum(self._queries_only[lang] for lang in set(langs))

    def evidence(self, concept: str, lang: str) -> tuple[str, ...]:
        """The terms of `concept` that count as context for a term of `lang`, as the matcher
        counts them: those of its language and the language-neutral ones
        (`languages.evidence_for`), each evidence on its own."""
        key = (concept, lang)
        if key not in self._evidence:
            self._evidence[key] = tuple(sorted(
                text for phrase_lang, text in self._alone.get(concept, ()) if evidence_for(phrase_lang, lang)
            ))
        return self._evidence[key]

    def corroborating(self, term: Term) -> tuple[str, ...]:
        """The other terms of `term`'s concept that count as its context, for a term that takes
        its own concept as context (a code word needs a second, different one near)."""
        own = nfc(term.term)
        every = self._every.get(term.concept, ())
        return tuple(sorted(text for lang, text in every if text != own and evidence_for(lang, term.lang)))

    def concept_context(self, term: Term) -> set[str]:
        """The phrases of the `@concept` entries of `term`'s context: the evidence of each
        concept for its language, and for its own concept the other terms of it."""
        phrases: set[str] = set()
        for entry in term.context:
            if entry == f"@{term.concept}":
                phrases.update(self.corroborating(term))
            elif entry.startswith("@"):
                phrases.update(self.evidence(entry[1:], term.lang))
        return phrases

    def with_context(self, term: Term) -> list[str]:
        """The term written next to each of its context phrases of its own language ("binturong
        for sale", "jual owa jawa"): phrases wildcli accepts with nothing else near them."""
        phrases = self.concept_context(term) | {nfc(e) for e in term.context if not e.startswith("@")}
        text = nfc(term.term)
        glue = _glue(text)
        out = {f"{a}{g}{b}" for p in phrases for g in glue for a, b in ((text, p), (p, text))}
        # Where the language writes compounds, the term joined to a context word is one word
        # ("Elfenbeinkette"), as the matcher reads it (`languages.compounds`).
        words = [e[:1].lower() + e[1:] for e in map(nfc, term.context) if not e.startswith("@")]
        out.update(compounds(text, words, term.lang))
        return sorted(out)

    def phrases(self, entries: tuple[str, ...], lang: str) -> tuple[str, ...]:
        """Literal phrases in their spellings, each `@concept` expanded into all the terms of that
        concept (exclusions; a context's `@concept` is `concept_context`'s)."""
        out: set[str] = set()
        for entry in entries:
            if entry.startswith("@"):
                out.update(self.members.get(entry[1:], ()))
            else:
                out.update(spellings(entry, lang))
        return tuple(sorted(out))

    def _judgement(self, term: Term) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """A term's context and exclusions, and the exclusions normalised, built once per term:
        every variant of the term shares them, and @concept lists run to hundreds of phrases."""
        cached = self._terms.get(term.key)
        if cached is None:
            exclude = self.phrases(term.exclude, term.lang)
            words = [w for w in spellings(term.term, term.lang) if unspaced(w)]
            apart = {f for p in exclude for w in words for f in spaced_apart(p, w)}
            exclude = tuple(sorted({*exclude, *apart}))
            plain = tuple(e for e in term.context if not e.startswith("@"))
            context = tuple(sorted({*self.phrases(plain, term.lang), *self.concept_context(term)}))
            cached = (context, exclude, tuple(map(normalize_phrase, exclude)))
            self._terms[term.key] = cached
        return cached

    def cancel(self, term: Term, text: str) -> tuple[str, ...]:
        """The phrases that cancel a product term as the matcher's cancelling concepts do, as
        exclusions a rules format can carry: a publication or campaign word anywhere near, a
        denial written right before `text`, the term or a form of it ("không phải ngà voi"),
        and a word for an imitation right before or after it ("ngà voi giả"), all of a language
        that speaks for the term's (`languages.evidence_for`)."""
        if term.concept not in self._products:
            return ()
        parts = self._cancels.get(term.key)
        if parts is None:
            near: set[str] = set()
            before: list[str] = []
            after: list[str] = []
            for kind, lang, phrase in self._cancelling:
                if not evidence_for(lang, term.lang):
                    continue
                if kind is Cancels.NEAR:
                    near.update(spellings(phrase, lang))
                    continue
                before.extend(spellings(phrase, lang))
                if kind is Cancels.BESIDE:
                    after.extend(spellings(phrase, lang))
            parts = self._cancels[term.key] = (tuple(sorted(near)), tuple(before), tuple(after))
        near_phrases, denials, imitations = parts
        if not denials:
            return near_phrases
        return tuple(sorted({
            *near_phrases, *(f"{d}{g}{text}" for d in denials for g in _glue(text)),
            *(f"{text}{g}{i}" for i in imitations for g in _glue(text)),
        }))

    def item(self, text: str, term: Term, rule: str | None, *, alone: bool) -> ExportItem:
        context, exclude, normalized = self._judgement(term)
        norm = normalize_phrase(text)
        return ExportItem(
            text, term, rule,
            context=() if alone else context,
            exclude=exclude,
            # The exclusions that contain the text itself: each occurrence of one covers it.
            allow=tuple(e for e, n in zip(exclude, normalized, strict=True) if occurrences(n, norm)),
            window=term.window or DEFAULT_WINDOW,
            cancel=self.cancel(term, text),
        )


def select_items(
    lexicon: Lexicon,
    options: ExportOptions,
    *,
    carries_restricted: bool = False,
    variants: VariantSource = library_variants,
    judge: VariantJudge | None = None,
) -> Selection:
    """Items sorted by concept, language and text; the terms left out, each with its reason."""
    unknown = sorted(set(options.concepts or ()) - set(lexicon.concepts))
    if unknown:
        raise UsageError(f"unknown concept {unknown[0]!r}")
    rules = _Rules(lexicon)
    asked = [t for t in lexicon.terms if _filtered(t, options)]
    excluded: list[LeftOut] = []
    terms: list[Term] = []
    for term in asked:
        reason = _judgement(term, lexicon, options)
        if reason is None:
            terms.append(term)
        else:
            excluded.append(LeftOut(reason, ExportItem(nfc(term.term), term)))
    hidden = [] if options.include_restricted or carries_restricted else [
        t for t in terms if t.sensitivity is Sensitivity.RESTRICTED
    ]
    hidden_keys = {t.key for t in hidden}
    shown = [t for t in terms if t.key not in hidden_keys]
    chosen: dict[tuple[str, str, str], ExportItem] = {}
    contextual: list[Term] = []
    # Curated terms first, so that a variant spelling the same string never replaces one.
    for t in shown:
        if t.context and not options.include_contextual:
            contextual.append(t)
            excluded.append(LeftOut(CONTEXTUAL, ExportItem(nfc(t.term), t)))
        else:
            chosen[(t.concept, t.lang, nfc(t.term))] = rules.item(nfc(t.term), t, None, alone=not t.context)
    # A variant of a public term may spell a restricted one: it must not leak it either.
    secret = {normalize_key(t.term) for t in hidden}
    # The forms wildcli reads as the term itself (its plural, a compound closed or apart), with its
    # judgement: a platform's phrase list needs them as lines of their own.
    spelled = {(i.concept, i.lang, normalize_key(i.text)) for i in chosen.values()}
    for t in shown:
        if (t.concept, t.lang, nfc(t.term)) not in chosen:
            continue
        product = lexicon.concepts[t.concept].role is Role.PRODUCT
        for text, rule in standard_forms(t, product):
            form = (t.concept, t.lang, normalize_key(text))
            if form not in spelled and normalize_key(text) not in secret:
                spelled.add(form)
                chosen[(t.concept, t.lang, nfc(text))] = rules.item(nfc(text), t, rule, alone=not t.context)
    unread = 0
    if options.variants:
        judge = judge or matcher_judge(lexicon)
        for term in shown:
            combined = [(text, CONTEXT_RULE) for text in rules.with_context(term)] if term.context else []
            for text, rule in [*_variants_of(term, variants), *combined]:
                key = (term.concept, term.lang, text)
                if key in chosen or normalize_key(text) in secret:
                    continue
                reading = judge(text, term)
                if reading == Reading.NONE:
                    unread += 1
                elif reading == Reading.ALONE or options.include_contextual:
                    chosen[key] = rules.item(text, term, rule, alone=reading == Reading.ALONE)
    items = sorted(chosen.values(), key=lambda i: (i.concept, i.lang, i.text, i.rule or ""))
    notes = []
    spared = rules.queries_only(i.lang for i in items)
    if spared:
        notes.append(
            f"{spared} words that leave a search query alone ('photo', 'history') not "
            "carried: an export judges listings and queries alike, so it flags those searches where "
            "wildcli check does not"
        )
    if unread:
        notes.append(f"{unread} generated spellings left out: wildcli does not read them as their term")
    if contextual and options.variants:
        kept = sum(1 for i in items if i.rule and i.rule != CONTEXT_RULE and i.term.context and not i.context)
        paired = sum(1 for i in items if i.rule == CONTEXT_RULE)
        notes.append(f"{kept} disguised spellings of contextual terms kept: wildcli acts on them alone")
        notes.append(f"{paired} contextual terms written next to a context phrase of their language kept")
    return Selection(tuple(items), tuple(excluded), len(hidden), tuple(notes))


def _variants_of(term: Term, variants: VariantSource) -> Iterator[tuple[str, str]]:
    for text, rule in variants(term):
        if text.strip():
            yield nfc(text), rule


def _expressible(item: ExportItem, fmt: ExportFormat) -> str | None:
    """Why `fmt` cannot carry the judgement on `item`, or None."""
    exporter = fmt.exporter
    if exporter.rules:
        return None
    if item.context:
        return f"needs a context word, which {fmt.value} cannot carry ({RULE_FORMATS} can)"
    if item.near_exclusions:
        return f"has exclusions near it, which {fmt.value} cannot carry ({RULE_FORMATS} can)"
    if item.allow and not exporter.allow_list:
        return (f"has exceptions that {fmt.value} cannot apply "
                f"(txt and hashed carry an allow-list; {RULE_FORMATS} carry them per rule)")
    return None


def render_export(
    lexicon: Lexicon,
    fmt: ExportFormat,
    options: ExportOptions | None = None,
    *,
    variants: VariantSource = library_variants,
    judge: VariantJudge | None = None,
) -> ExportResult:
    """Render `lexicon` for `fmt`. Raises UsageError for impossible options (unknown concept, no key)."""
    options = options or ExportOptions()
    exporter = fmt.exporter
    selection = select_items(
        lexicon, options, carries_restricted=exporter.carries_restricted, variants=variants, judge=judge
    )
    problems: list[LeftOut] = []
    kept: list[ExportItem] = []
    for item in selection.items:
        reason = _expressible(item, fmt)
        if reason is None:
            kept.append(item)
        else:
            problems.append(LeftOut(reason, item))
    ctx = ExportContext(lexicon.concepts, lexicon.version, options.render, variants=options.variants)
    notes = list(selection.notes)
    if options.concepts and any(lexicon.concepts[c].role is Role.CONTEXT for c in options.concepts):
        notes.append("selling phrases exported as terms of their own: wildcli never acts on one alone")
    if not exporter.per_action:
        rendering = exporter.render(kept, ctx)
        parts = [Part(text, ALL_ROLE, k) for k, text in enumerate(rendering.parts, 1)]
        problems.extend(rendering.problems)
        notes.extend(rendering.notes)
    else:
        parts = _per_action(exporter, kept, ctx, options, problems, notes)
    return ExportResult(
        fmt, tuple(parts), tuple(problems), tuple(dict.fromkeys(notes)), len(selection.items),
        selection.restricted, selection.excluded,
    )


def _per_action(
    exporter: Exporter, kept: list[ExportItem], ctx: ExportContext, options: ExportOptions,
    problems: list[LeftOut], notes: list[str],
) -> list[Part]:
    """One list per action, most severe first, then the allow-list of the exceptions they need."""
    lists: list[tuple[str, Rendering]] = []
    if exporter.allow_list:
        kept, allow = _with_writable_exceptions(exporter, kept, ctx, problems)
        lists.append((ALLOW_ROLE, allow))
    actions = [
        (a.value, exporter.render([i for i in kept if i.action is a], replace(ctx, role=a.value)))
        for a in options.list_actions()
    ]
    parts: list[Part] = []
    for role, rendering in [*actions, *lists]:
        parts.extend(Part(text, role, k) for k, text in enumerate(rendering.parts, 1))
        problems.extend(rendering.problems)
        notes.extend(rendering.notes)
    return parts


def _allow_items(items: Iterable[ExportItem]) -> list[ExportItem]:
    """Each exception phrase once, attributed to the first item that needs it."""
    chosen: dict[str, ExportItem] = {}
    for item in items:
        for phrase in item.allow:
            chosen.setdefault(phrase, ExportItem(phrase, item.term, ALLOW_ROLE))
    return [chosen[p] for p in sorted(chosen)]


def _with_writable_exceptions(
    exporter: Exporter, items: list[ExportItem], ctx: ExportContext, problems: list[LeftOut]
) -> tuple[list[ExportItem], Rendering]:
    """The items whose exceptions the format can write, and their allow-list: an item whose
    exception cannot be written would be flattened, so it is left out."""
    rendering = exporter.render(_allow_items(items), replace(ctx, role=ALLOW_ROLE))
    bad = {p.item.text for p in rendering.problems if p.item is not None}
    if not bad:
        return items, rendering
    kept = []
    for item in items:
        if bad & set(item.allow):
            problems.append(LeftOut("has an exception that the format cannot write", item))
        else:
            kept.append(item)
    return kept, exporter.render(_allow_items(kept), replace(ctx, role=ALLOW_ROLE))


def left_out_report(result: ExportResult, examples: int = EXAMPLES) -> list[str]:
    """What the selection left out by design (not safe to act on alone, below the severity
    floor): one line per reason, with how many terms and the first few as examples."""
    return _grouped(result, result.excluded, examples)


def feasibility_report(result: ExportResult, examples: int = EXAMPLES) -> list[str]:
    """What the format cannot express: one line per reason, with how many terms and examples."""
    return _grouped(result, result.problems, examples)


def _grouped(result: ExportResult, problems: Sequence[LeftOut], examples: int) -> list[str]:
    by_reason: dict[str, list[LeftOut]] = defaultdict(list)
    for problem in problems:
        by_reason[problem.reason].append(problem)
    lines = []
    for reason, group in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        shown = [_example(p.item) for p in group[:examples] if p.item is not None]
        if not shown:
            lines.append(f"{result.format.value}: the list {reason}")
            continue
        more = ", ..." if len(group) > examples else ""
        noun = "term" if len(group) == 1 else "terms"
        what = f"{len(group)} {noun} left out: {reason}"
        lines.append(f"{result.format.value}: {what}: {', '.join(shown)}{more}")
    return lines


def _example(item: ExportItem) -> str:
    text = item.text if len(item.text) <= EXAMPLE_CHARS else item.text[: EXAMPLE_CHARS - 1] + "…"
    return f"{text!r} ({item.concept}/{item.lang})"
