"""Compiling a lexicon into automaton keys: every spelling of every term and context phrase.

One Aho-Corasick automaton holds all keys; each key lists the entries (term or phrase, view,
boundary needs, fixed method) it stands for. Obfuscation-robust keys (toneless Vietnamese,
Traditional/Simplified Han spellings, joined multi-word forms, skeleton and glued spellings) and
the trigger keys are added only when obfuscation handling is on: `obfuscation=False` compiles
exactly the plain keys.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from wildcli.lexicon.model import Cancels, Kind, Lexicon, Role, Scope, Term
from wildcli.match import languages
from wildcli.match.acceptance import word_only_keys
from wildcli.match.findings import Method
from wildcli.match.inflection import plural
from wildcli.text import han
from wildcli.text.normalize import View, fold, normalize_key
from wildcli.text.obfuscation import letters_of, skeleton_keys
from wildcli.text.scripts import needs_boundary_after, needs_boundary_before
from wildcli.text.triggers import TRIGGER_KEYS, Trigger

DEFAULT_WINDOW = 100
"""Characters either side of a hit in which `context` and `exclude` phrases count."""
COMPILED_FORMAT = 16
"""Bumped whenever the compiled form changes, so that a cached older form is never loaded."""

INFLECTED_KINDS = frozenset({Kind.NAME, Kind.TRADE_NAME})
"""Kinds of product terms matched in their plural too (`inflection.plural`): common nouns. A
code word, slang or a scientific name is matched as written."""

DFA_MAX_KEYS = 15_000
"""Above this many automaton keys the contiguous NFA is used instead of the DFA (memory)."""

JOINERS = ("-", "_", ".")
"""Written between the words of a multi-word term instead of a space: rhino-horn, rhino_horn."""


def standard_forms(term: Term, product: bool) -> list[tuple[str, str]]:
    """The spellings of `term` that are the same word as written, no disguise, with the rule that
    gives each: its plural (`plural`, for the names of products) and a hyphenated compound
    closed or apart (`hyphen`). The matcher reads them as the term; exports write them beside it."""
    forms = []
    if product and term.kind in INFLECTED_KINDS:
        form = plural(term.term, term.lang)
        if form is not None:
            forms.append((form, "plural"))
    forms += [(form, "hyphen") for form in languages.hyphen_forms(term.term, term.lang)]
    return forms


class Entry(NamedTuple):
    """What one automaton key stands for in one view (a tuple: tens of thousands of them are
    unpickled from the cache at every start)."""

    view: View
    term: int | None  # index into Patterns.terms, or None for a context/exclude phrase
    phrase: int | None
    before: bool
    after: bool
    method: Method | None = None  # None: exact, normalized or diacritics, by comparison
    # A Vietnamese key with its tones folded away: `tones` are the term's letters with tones
    # (`letters_of`), which a matched span with diacritics must have; a span without any
    # diacritics counts only if `toneless_ok` (two syllables, six letters).
    tones: str = ""
    toneless_ok: bool = False
    standalone: bool = True  # a glued key that is also a plain key (one word): skip it alone
    rewritten: bool = False  # a skeleton key in the spelling of a leet or stuffed token only


@dataclass
class CompiledTerm:
    term: Term
    context: tuple[int, ...] = ()
    context_concepts: tuple[str, ...] = ()
    exclude: tuple[int, ...] = ()
    exclude_concepts: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW
    accent_sensitive: bool = False  # short term: a hit whose accents differ from its own is refused
    fuzzy_key: str = ""


def build_automaton(keys: list[str], *, dfa: bool = True) -> ahocorasick_rs.AhoCorasick:
    """An automaton reporting every occurrence of `keys`. A DFA scans fastest but costs about
    7 kB per key (performance.md section 2): on a 10,000-term lexicon (40,000+ keys with their
    spellings) that is 250 MB more for 5% more speed, so large key sets, and callers that ask
    for no DFA, get the contiguous NFA (one tenth of the build time)."""
    return ahocorasick_rs.AhoCorasick(
        keys, matchkind=ahocorasick_rs.MatchKind.Standard,
        implementation=(
            ahocorasick_rs.Implementation.DFA if dfa and len(keys) <= DFA_MAX_KEYS
            else ahocorasick_rs.Implementation.ContiguousNFA
        ),
    )


class Patterns:
    """All keys of a lexicon, compiled once per matcher."""

    def __init__(self, lexicon: Lexicon, *, obfuscation: bool) -> None:
        self.obfuscation = obfuscation
        self.terms: list[CompiledTerm] = []
        self.keys: dict[str, int] = {}
        self.entries: list[list[Entry]] = []
        self.views: set[View] = set()
        self._phrases: dict[tuple[str, str, bool, bool], int] = {}
        self.triggers: dict[int, Trigger] = {}
        self.dfa = True
        for term in lexicon.active_terms():
            self._add_term(term, lexicon.concepts[term.concept].role is Role.PRODUCT)
        if obfuscation:
            for key, trigger in TRIGGER_KEYS.items():
                self.triggers[self._index(key)] = trigger
        self._derive(lexicon)

    def extended(self, lexicon: Lexicon) -> Patterns:
        """The keys of `lexicon`, which holds every term compiled here and more (lint's preview of
        proposed terms as if approved): these keys copied, with only the new terms compiled.
        Compiling 200 terms instead of 8,000 is what keeps a cold `wildcli lint` from compiling
        the whole lexicon twice. The new terms come after the others, where a whole compilation
        would interleave them; nothing the matcher decides depends on that order."""
        new = copy.copy(self)
        new.terms = list(self.terms)
        new.keys = dict(self.keys)
        new.entries = [list(held) for held in self.entries]
        new.views = set(self.views)
        new._phrases = dict(self._phrases)
        new.triggers = dict(self.triggers)
        known = {c.term.key for c in self.terms}
        for term in lexicon.active_terms():
            if term.key not in known:
                new._add_term(term, lexicon.concepts[term.concept].role is Role.PRODUCT)
        new._derive(lexicon)
        return new

    def _derive(self, lexicon: Lexicon) -> None:
        """What the matcher reads from the compiled terms and keys, computed once all are in."""
        # Terms of context concepts (selling phrases, everyday goods) only support or cancel
        # other findings: never one of their own, whatever the options.
        self.supporting = frozenset(
            i for i, c in enumerate(self.terms)
            if (concept := lexicon.concepts.get(c.term.concept)) is not None and concept.role is Role.CONTEXT
        )
        # Of those, the ones no term takes as context (everyday goods): they can only cancel.
        needed = {concept for c in self.terms for concept in c.context_concepts}
        self.cancelling = frozenset(i for i in self.supporting if self.terms[i].term.concept not in needed)
        # The terms of concepts that other terms take as context: judged before the others.
        self.evidence = frozenset(i for i, c in enumerate(self.terms) if c.term.concept in needed)
        # Product concepts whose terms count as a context concept's too (`Concept.counts_as`),
        # and the product concepts whose terms take their own concept as context: a finding
        # needs a second, different term of it near (code words that offer wildlife unnamed).
        self.counts_as = {c.id: c.counts_as for c in lexicon.concepts.values() if c.counts_as}
        self.self_context = frozenset(
            c.term.concept for c in self.terms if c.term.concept in c.context_concepts
        )
        self.evidence |= frozenset(
            i for i, c in enumerate(self.terms) if needed.intersection(self.counts_as.get(c.term.concept, ()))
        )
        # Of the context terms, those that cancel product terms of their language without an
        # exclusion: right before them ("not ivory") or anywhere near ("poster").
        self.cancellers: dict[int, Cancels] = {
            i: cancels for i in self.supporting
            if (cancels := lexicon.concepts[self.terms[i].term.concept].cancels) is not None
        }
        # Of those, the ones that cancel only in search queries (`Concept.scope`).
        self.query_cancellers = frozenset(
            i for i in self.cancellers if lexicon.concepts[self.terms[i].term.concept].scope is Scope.QUERIES
        )
        self.max_key = max((len(k) for k in self.keys), default=0)
        # The pairs of characters that stand next to each other in a key of the skeleton view:
        # a separator between two letters of a script without spaces matters only between such
        # a pair (most Chinese titles space their words, and almost no space splits a key).
        self.gap_pairs = frozenset(
            key[i:i + 2] for key, index in self.keys.items()
            if not key.isascii() and any(e.view is View.SKELETON for e in self.entries[index])
            for i in range(len(key) - 1)
        )
        # Keys that count only as whole words (or, for glued keys, inside hashtags and compounds):
        # most raw hits are such keys inside longer words, dropped before any per-entry work.
        self.word_keys, self.glue_word_keys = word_only_keys(self.entries)
        self._automaton: ahocorasick_rs.AhoCorasick | None = None

    def __getstate__(self) -> dict[str, object]:
        # The automaton cannot be pickled; it is rebuilt from the keys (wildcli.match.cache).
        return self.__dict__ | {"_automaton": None}

    @property
    def automaton(self) -> ahocorasick_rs.AhoCorasick:
        """Built on first use; the NFA for short runs, where the build time matters more."""
        if self._automaton is None:
            self._automaton = build_automaton(list(self.keys) or ["\0"], dfa=self.dfa)
        return self._automaton

    def _index(self, key: str) -> int:
        index = self.keys.setdefault(key, len(self.keys))
        if index == len(self.entries):
            self.entries.append([])
        return index

    def _add(self, key: str, entry: Entry) -> None:
        if not key:
            return
        held = self.entries[self._index(key)]
        if entry not in held:  # a key holds a few entries: a list is quicker than a set of pairs
            held.append(entry)
            self.views.add(entry.view)

    def _add_term(self, term: Term, product: bool) -> None:
        view = languages.view_for(term.lang)
        key = normalize_key(term.term, view)
        if not key:
            return
        index = len(self.terms)
        glued = self.obfuscation and languages.hashtag_allowed(term, key.replace(" ", ""))
        compiled = CompiledTerm(term, window=term.window or DEFAULT_WINDOW)
        compiled.context_concepts = tuple(c[1:] for c in term.context if c.startswith("@"))
        compiled.context = tuple(
            self._add_phrase(p, term.lang, glued) for p in term.context if not p.startswith("@")
        )
        # A listing that names several pieces names their benign sense in the plural too
        # ("antenas barbatanas de tubarão"): exclusions of product terms count in both.
        compiled.exclude = tuple(
            self._add_phrase(p, term.lang, glued, inflect=product)
            for p in term.exclude if not p.startswith("@")
        )
        compiled.exclude_concepts = tuple(c[1:] for c in term.exclude if c.startswith("@"))
        base = normalize_key(term.term)
        compiled.accent_sensitive = (
            self.obfuscation and languages.letters(base) < languages.ACCENT_MIN_LETTERS
        )
        if self.obfuscation and languages.fuzzy_edits(term, key):
            compiled.fuzzy_key = key
        self.terms.append(compiled)
        emoji = term.kind is Kind.EMOJI
        self._add_spellings(key, term.lang, glued, index, None, emoji, base)
        # The plural, where a simple rule is right (rhino horn -> rhino horns, cuerno de
        # rinoceronte -> cuernos de rinoceronte): listings name several pieces as often as one.
        # (The hyphen forms of standard_forms are added by _add_spellings, for every key.)
        for form, rule in standard_forms(term, product):
            if rule == "plural" and (plural_key := normalize_key(form, view)) and plural_key != key:
                self._add_spellings(plural_key, term.lang, glued, index, None, emoji, normalize_key(form),
                                    method=Method.NORMALIZED)  # fmt: skip
        # The term joined to one of its context words as one word holds its own context.
        context_keys = [normalize_key(p, view) for p in term.context if not p.startswith("@")]
        for compound in languages.compounds(key, context_keys, term.lang):
            before, after = needs_boundary_before(compound[0]), needs_boundary_after(compound[-1])
            self._add(compound, Entry(view, index, None, before, after, Method.COMPOUND))

    def _add_phrase(self, phrase: str, lang: str, glued: bool, *, inflect: bool = False) -> int:
        form = plural(phrase, lang) if inflect else None
        ident = (phrase, languages.primary(lang) if languages.strict_diacritics(lang) or form else "", glued,
                 form is not None)  # fmt: skip
        phrase_id = self._phrases.get(ident)
        if phrase_id is None:
            phrase_id = self._phrases[ident] = len(self._phrases)
            view = languages.view_for(lang)
            key = normalize_key(phrase, view)
            self._add_spellings(key, lang, glued, None, phrase_id, False, normalize_key(phrase))
            if form and (plural_key := normalize_key(form, view)) != key:
                self._add_spellings(plural_key, lang, glued, None, phrase_id, False, normalize_key(form),
                                    method=Method.NORMALIZED)  # fmt: skip
        return phrase_id

    def _add_spellings(
        self, key: str, lang: str, glued: bool, term: int | None, phrase: int | None, emoji: bool,
        base: str, *, method: Method | None = None,
    ) -> None:
        """The plain key, and with obfuscation on every other spelling it may take in a text
        (`base`: the key with its diacritics, whatever the view; `method`: how the plain key
        itself is reported, when it is not the term as written)."""
        view = languages.view_for(lang)
        folded = fold(key)
        toneless = languages.strict_diacritics(lang) and folded != key
        toneless_ok = languages.toneless_allowed(key)

        def add(k: str, v: View, method: Method | None = None, toneless: bool = False,
                boundaries: bool = not emoji, rewritten: bool = False) -> None:
            before = boundaries and bool(k) and needs_boundary_before(k[0])
            after = boundaries and bool(k) and needs_boundary_after(k[-1])
            tones = letters_of(key) if toneless else ""
            standalone = v is not View.GLUED or " " not in key
            self._add(k, Entry(
                v, term, phrase, before, after, method, tones, toneless_ok, standalone, rewritten
            ))

        add(key, view, method)
        if not self.obfuscation or emoji:
            return
        if toneless and toneless_ok:
            add(folded, View.FOLDED, Method.DIACRITICS, toneless=True)
        spellings = han.equivalents(key) if han.HAN.search(key) else []
        for k in spellings:
            add(k, view, Method.SCRIPT_VARIANT)
        if " " in key and not languages.unspaced(key):
            for joiner in JOINERS:
                add(key.replace(" ", joiner), view, Method.SEPARATED)
        transliterated = languages.transliterated(base, lang)
        if transliterated:
            add(transliterated, View.FOLDED, Method.NORMALIZED)  # a standard spelling, not a guess
        for joined in languages.hyphen_forms(key, lang):
            add(joined, view, Method.NORMALIZED)
        if languages.lossy_allowed(folded):
            for source in (folded, *spellings, *([transliterated] if transliterated else [])):
                for k, rewritten in skeleton_keys(source).items():
                    add(k, View.SKELETON, toneless=toneless, rewritten=rewritten)
        if glued:
            add(key.replace(" ", ""), View.GLUED, Method.HASHTAG, boundaries=False)
            if toneless and toneless_ok:
                add(folded.replace(" ", ""), View.GLUED, Method.HASHTAG, toneless=True, boundaries=False)
