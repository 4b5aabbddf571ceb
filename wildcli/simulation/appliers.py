"""How each target applies a list or rules to a text, as documented for the exports.

Every applier answers, for one text, the action the target takes and the entries that fired.
They read only what an export file holds: the simulation loads the rendered files back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import re2

from wildcli.exporters.phrases import PhraseIndex, Span, normalize_phrase, normalize_text, spaced_word_char
from wildcli.lexicon.actions import Action
from wildcli.text.normalize import normalize


@dataclass(frozen=True)
class Fired:
    """One entry of the export that fired: what it says, its concept (when the format names one)."""

    entry: str
    action: Action
    concept: str | None = None


@dataclass(frozen=True)
class Verdict:
    action: Action
    fired: tuple[Fired, ...] = ()


ALLOWED = Verdict(Action.ALLOW)


def verdict(fired: Iterable[Fired]) -> Verdict:
    hits = tuple(sorted(set(fired), key=lambda f: (-f.action.rank, f.concept or "", f.entry)))
    return Verdict(Action.strongest(f.action for f in hits), hits) if hits else ALLOWED


class Applier(Protocol):
    def apply(self, text: str) -> Verdict: ...


def _covered(span: Span, covers: Sequence[Span]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in covers)


@dataclass(frozen=True)
class ListEntry:
    phrase: str
    action: Action
    concept: str | None = None


class PhraseList:
    """A phrase list (per action) with an optional allow-list: a listed phrase standing as whole
    words fires unless an allow-list phrase covers that occurrence (`wildcli.exporters.phrases`)."""

    def __init__(self, entries: Iterable[ListEntry], allow: Iterable[str] = ()) -> None:
        self.entries = list(entries)
        keyed: list[tuple[str, object]] = [(e.phrase, i) for i, e in enumerate(self.entries)]
        keyed.extend((phrase, "allow") for phrase in allow)
        self.index = PhraseIndex(keyed)

    def apply(self, text: str) -> Verdict:
        found = self.index.find(normalize_text(text))
        covers = found.pop("allow", [])
        fired = []
        for key, spans in found.items():
            assert isinstance(key, int)
            if any(not _covered(span, covers) for span in spans):
                entry = self.entries[key]
                fired.append(Fired(entry.phrase, entry.action, entry.concept))
        return verdict(fired)


class Substrings:
    """Azure AI Content Safety blocklists as the exports document them: an item matches
    anywhere in the text, words or not, after NFKC and case folding on both sides."""

    def __init__(self, entries: Iterable[ListEntry]) -> None:
        self.entries = [(normalize_phrase(e.phrase), e) for e in entries if normalize_phrase(e.phrase)]

    def apply(self, text: str) -> Verdict:
        norm = normalize_text(text)
        return verdict(Fired(e.phrase, e.action, e.concept) for key, e in self.entries if key in norm)


_AD_SPACES = re.compile(r"[\s.\-]+")


def ad_words(text: str) -> str:
    """A query or keyword as ad platforms compare them: case-insensitive, accents significant,
    `.` and `-` act as spaces [formats.md §2.4]."""
    return _AD_SPACES.sub(" ", normalize_phrase(text)).strip()


class AdNegatives:
    """Google Ads and Microsoft Advertising negative keywords: `"phrase"` blocks a query holding
    the words in that order (other words around them allowed), `[exact]` only the query made
    of exactly those words; negatives never match close variants."""

    def __init__(self, phrases: Iterable[ListEntry], exact: Iterable[ListEntry]) -> None:
        self.phrases = PhraseList(ListEntry(ad_words(e.phrase), e.action, e.concept) for e in phrases)
        self.exact: dict[str, list[ListEntry]] = defaultdict(list)
        for e in exact:
            self.exact[ad_words(e.phrase)].append(e)

    def apply(self, text: str) -> Verdict:
        words = ad_words(text)
        fired = list(self.phrases.apply(words).fired)
        fired.extend(Fired(e.phrase, e.action, e.concept) for e in self.exact.get(words, ()))
        return verdict(fired)


@dataclass(frozen=True)
class RuleRead:
    """One rule of the rules exports (json, jsonl, csv): see `wildcli.exporters.json_records`."""

    term: str
    action: Action
    concept: str
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    window: int = 100


def _near(spans: Sequence[Span], start: int, end: int, window: int, *, inside: bool = True) -> bool:
    """Whether a span other than the occurrence itself is within `window` of it. `inside=False`
    (exclusions): as the matcher judges, a phrase read inside the occurrence ('lamp' in
    'lamp@r7a') is part of the term, not a word beside it."""
    lo, hi = start - window, end + window
    return any(
        s < hi and e > lo and (s, e) != (start, end) and (inside or not (start <= s and e <= end))
        for s, e in spans
    )


class Rules:
    """The rule semantics: a rule fires on an occurrence of its term that has no exclusion
    phrase within `window` characters and, if the rule has context phrases, one of them
    within `window` characters (positions in the NFKC, case-folded text)."""

    def __init__(self, rules: Iterable[RuleRead]) -> None:
        self.rules = list(rules)
        phrases = {p for r in self.rules for p in (*r.context, *r.exclude)}
        self._normalized = {p: normalize_phrase(p) for p in phrases}
        # Each rule's phrases by their normalised form (the key the index reports them under),
        # made when the rule first has a hit: a variants export holds 60,000 rules and 11 million
        # exclusion phrases, of which a simulation meets few.
        self._phrases: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        keyed: list[tuple[str, object]] = [(r.term, i) for i, r in enumerate(self.rules)]
        keyed.extend((p, ("phrase", self._normalized[p])) for p in phrases)
        self.index = PhraseIndex(keyed)

    def _rule_phrases(self, key: int) -> tuple[frozenset[str], frozenset[str]]:
        phrases = self._phrases.get(key)
        if phrases is None:
            rule, normalized = self.rules[key], self._normalized
            phrases = self._phrases[key] = (
                frozenset(normalized[p] for p in rule.exclude), frozenset(normalized[p] for p in rule.context)
            )
        return phrases

    def apply(self, text: str) -> Verdict:
        found = self.index.find(normalize_text(text))
        spans = {key[1]: s for key, s in found.items() if isinstance(key, tuple)}
        fired = []
        for key, occurrences in found.items():
            if not isinstance(key, int):
                continue
            rule = self.rules[key]
            excluding, needed = self._rule_phrases(key)
            exclusions = [s for p, found_spans in spans.items() if p in excluding for s in found_spans]
            context = [s for p, found_spans in spans.items() if p in needed for s in found_spans]
            for start, end in occurrences:
                if _near(exclusions, start, end, rule.window, inside=False):
                    continue
                if rule.context and not _near(context, start, end, rule.window):
                    continue
                fired.append(Fired(rule.term, rule.action, rule.concept))
                break
        return verdict(fired)


@dataclass(frozen=True)
class RegexRuleRead:
    action: Action
    concept: str
    pattern: str
    unless: str | None


def _options() -> re2.Options:
    options = re2.Options()
    options.max_mem = 64 << 20  # proximity patterns over long alternations outgrow the 8 MB default
    options.log_errors = False
    return options


class Regexes:
    """RE2 on the text as it comes: a rule fires when its pattern matches and `unless` does not.

    One RE2 set finds the rules whose pattern matches in a single pass; only those are then
    tested against their `unless` pattern. A set too large for RE2's memory budget (rules with
    long context lists) falls back to testing each pattern, with the same answers.
    """

    def __init__(self, rules: Iterable[RegexRuleRead]) -> None:
        self.rules = list(rules)
        options = _options()
        self._set: re2.Set | None = re2.Set.SearchSet(options)
        try:
            for rule in self.rules:
                self._set.Add(rule.pattern)
            self._set.Compile()
            self._patterns = []
        except re2.error:
            self._set = None
            self._patterns = [re2.compile(r.pattern, options) for r in self.rules]
        self._unless = [re2.compile(r.unless, options) if r.unless else None for r in self.rules]

    def _matching(self, text: str) -> Iterable[int]:
        if self._set is not None:
            return (self._set.Match(text) or ()) if self.rules else ()  # None: no pattern matched
        return (i for i, pattern in enumerate(self._patterns) if pattern.search(text))

    def apply(self, text: str) -> Verdict:
        fired = []
        for index in self._matching(text):
            unless = self._unless[index]
            if unless is None or not unless.search(text):
                rule = self.rules[index]
                fired.append(Fired(rule.pattern, rule.action, rule.concept))
        return verdict(fired)


_RUNS = re.compile(r"\s+")


class HashedList:
    """The hashed format as its header says: every run of whole words of the normalised text
    (any substring in scripts without spaces), up to the longest term, is hashed and looked up;
    an `allow` hit of the same concept covering a hit cancels it."""

    def __init__(self, rows: dict[str, list[tuple[str, Action]]], key: bytes, longest: int) -> None:
        self.rows = rows
        self.key = key
        self.longest = longest

    def _digest(self, text: str) -> str:
        return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def apply(self, text: str) -> Verdict:
        norm = _RUNS.sub(" ", normalize(text).text)
        starts = [i for i in range(len(norm)) if _starts_word(norm, i)]
        ends = {i for i in range(1, len(norm) + 1) if _ends_word(norm, i)}
        hits: list[tuple[Span, str, Action]] = []
        for s in starts:
            for e in range(s + 1, min(len(norm), s + self.longest) + 1):
                if e in ends:
                    for concept, action in self.rows.get(self._digest(norm[s:e]), ()):
                        hits.append(((s, e), concept, action))
        allows: dict[str, list[Span]] = defaultdict(list)
        for span, concept, action in hits:
            if action is Action.ALLOW:
                allows[concept].append(span)
        return verdict(
            Fired(norm[span[0]:span[1]], action, concept) for span, concept, action in hits
            if action is not Action.ALLOW and not _covered(span, allows[concept])
        )


def _starts_word(text: str, i: int) -> bool:
    if text[i].isspace():
        return False
    return i == 0 or not (spaced_word_char(text[i]) and spaced_word_char(text[i - 1]))


def _ends_word(text: str, i: int) -> bool:
    if text[i - 1].isspace():
        return False
    return i == len(text) or not (spaced_word_char(text[i - 1]) and spaced_word_char(text[i]))
