"""Running the automaton over the views of one text and collecting raw hits in original offsets.

The base view is always matched, the folded view when the text has Latin diacritics, and with
obfuscation handling on, the skeleton view when the trigger keys (`wildcli.text.triggers`) saw
something obfuscated or the text may mix scripts. Traditional/Simplified spellings and glued
hashtag forms are keys of their own, so they cost no view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wildcli.lexicon.model import Term
from wildcli.match.acceptance import (
    WORD_BREAK,
    bounded,
    glued_key_passes,
    invisible_break_counts,
    may_break_invisibly,
    refused_at_boundary,
    rewrite_counts,
    separators_removed,
    trick_method,
)
from wildcli.match.findings import Method
from wildcli.match.keys import Entry, Patterns
from wildcli.text.hashtags import glued_in, inside_word, may_glue, run_in, word_around
from wildcli.text.normalize import Normalized, View, fold_view, has_diacritics, normalize
from wildcli.text.obfuscation import Skeleton, leet_tones_agree, letters_of, skeleton
from wildcli.text.scripts import breaks_word
from wildcli.text.triggers import (
    CLASS_TRIGGERS,
    LEET,
    Trigger,
    class_offset,
    read,
    script_gaps,
    tail,
    typed_thrice,
)

SCORES = {
    Method.EXACT: 1.0, Method.NORMALIZED: 0.95, Method.DIACRITICS: 0.9,
    Method.SCRIPT_VARIANT: 0.9, Method.CONFUSABLE: 0.85, Method.SEPARATED: 0.85,
    Method.LEET: 0.8, Method.HASHTAG: 0.8, Method.COMPOUND: 0.9, Method.FUZZY: 0.7,
}
"""How sure each method is; fuzzy hits score lower still with every edit (`wildcli.match.fuzzy`)."""


@dataclass(frozen=True)
class Hit:
    """A term found at original offsets `start`-`end`, before judging context and exclusions."""

    term: int
    start: int
    end: int
    method: Method
    score: float
    view: View


@dataclass
class Hits:
    folded: Normalized
    terms: list[Hit] = field(default_factory=list)
    phrases: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    # Spans of phrases and terms read run into a longer word (the end of "#necklace" as
    # "lace"), with that word, and those read as words of their own.
    glued: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    apart: set[tuple[int, int]] = field(default_factory=set)

    def glued_words(self) -> dict[tuple[int, int], tuple[int, int]]:
        """The spans read only glued into a longer word, with the word: an exclusion read there
        counts only for a hit inside that word (`Matcher._exclusion`)."""
        return {span: word for span, word in self.glued.items() if span not in self.apart}


@dataclass
class Trace:
    """What `explain` shows besides the decisions: each view built, and candidates dropped early."""

    views: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[Hit, str]] = field(default_factory=list)


def collect(text: str, patterns: Patterns, trace: Trace | None = None) -> Hits:
    """Raw term and phrase hits of every view of `text` that the patterns need."""
    base = normalize(text)
    folded = fold_view(base)
    run = _Run(text, patterns, Hits(folded), trace)
    same = folded.text == base.text
    views = {View.BASE, View.GLUED} | ({View.FOLDED} if same else set())
    found = run.view("base", base, views, tail=tail(folded.text) if patterns.triggers else "")
    if patterns.triggers and script_gaps(folded.text, patterns.gap_pairs):
        found.append((Trigger.RUN, 0))  # a run: `read` takes only that there is one, not where
    if not same:
        # A letter with a diacritic typed thrice ("hổổổ") shows its trigger only once folded.
        stuffed = run.view("folded", folded, {View.FOLDED, View.GLUED})
        found.extend(hit for hit in stuffed if hit[0] is Trigger.REPEAT and hit not in found)
    if may_break_invisibly(text):
        # The same length: the offsets of this reading are those of the text.
        spaced = normalize(text.replace(WORD_BREAK, " "))
        spaced_folded = fold_view(spaced)
        spaced_same = spaced_folded.text == spaced.text
        run.view("spaced", spaced, {View.BASE} | ({View.FOLDED} if spaced_same else set()), spaced=True)
        if not spaced_same:
            run.view("spaced folded", spaced_folded, {View.FOLDED}, spaced=True)
    if found:
        suspects = read(folded.text, found, len(folded.text) == len(base.text))
        confusable = any(kind is Trigger.CONFUSABLE for kind, _ in found)
        sk = skeleton(text, folded, suspects, confusable=confusable)
        if sk is not None:
            run.view("skeleton", sk.view, {View.SKELETON}, skeleton=sk)
    return run.hits


class _Run:
    def __init__(self, text: str, patterns: Patterns, hits: Hits, trace: Trace | None) -> None:
        self.text = text
        self.patterns = patterns
        self.hits = hits
        self.trace = trace
        self._may_glue: bool | None = None

    def view(
        self, name: str, view: Normalized, accepted: set[View], *, tail: str = "",
        skeleton: Skeleton | None = None, spaced: bool = False,
    ) -> list[tuple[Trigger, int]]:
        """Match one view; hits in `tail` (trigger strings) come back as (trigger, offset).
        `spaced`: the view reads the zero-width spaces as spaces (`invisible_break_counts`)."""
        if self.trace is not None:
            self.trace.views.append((name, view.text))
        entries = self.patterns.entries
        triggers = self.patterns.triggers
        found: list[tuple[Trigger, int]] = []
        text = view.text
        size = len(text)
        # Most raw hits are keys inside longer words ("p" in "price"): they are dropped here,
        # before any per-entry work, unless explain is tracing or the skeleton may split words.
        fast = self.trace is None and skeleton is None
        words = self.patterns.word_keys if fast else frozenset()
        glue_words = self.patterns.glue_word_keys if fast else frozenset()
        for pattern, start, end in self._matches(text + tail, skeleton):
            if (pattern in words or (pattern in glue_words and not self.may_glue())) and (
                (start > 0 and breaks_word(text[start - 1])) or (end < size and breaks_word(text[end]))
            ):
                continue
            if skeleton is not None and end <= size and not skeleton.rewrote(*view.original_span(start, end)):
                continue  # spelled plainly here: the base and folded views report it
            if pattern in triggers:
                # Class triggers are found in the tail, the others in the text itself.
                trigger = triggers[pattern]
                if trigger in CLASS_TRIGGERS:
                    found.append((trigger, class_offset(start, size)))
                elif trigger is not Trigger.REPEAT or (end <= size and typed_thrice(self.text, view, start)):
                    found.append((trigger, start))  # a look-alike letter, or a letter typed thrice
                continue
            if end > size:
                continue
            glued = (start > 0 and breaks_word(text[start - 1]), end < size and breaks_word(text[end]))
            for entry in entries[pattern]:
                if entry.view not in accepted:
                    continue
                if entry.view is View.GLUED:
                    if not glued_key_passes(entry, not (glued[0] or glued[1]), self.may_glue):
                        continue
                elif fast and refused_at_boundary(entry, *glued):
                    continue
                self._entry(view, entry, start, end, skeleton, glued, spaced)
        return found

    def _matches(self, text: str, skeleton: Skeleton | None) -> list[tuple[int, int, int]]:
        """Automaton hits; in a skeleton view only near the rewritten spans (the rest of it is
        the folded view again, already matched)."""
        automaton = self.patterns.automaton
        if skeleton is None or self.trace is not None:
            return list(automaton.find_matches_as_indexes(text, overlapping=True))
        hits: list[tuple[int, int, int]] = []
        for lo, hi in skeleton.windows(self.patterns.max_key):
            window = automaton.find_matches_as_indexes(text[lo:hi], overlapping=True)
            hits.extend((p, lo + s, lo + e) for p, s, e in window)
        return hits

    def may_glue(self) -> bool:
        if self._may_glue is None:
            self._may_glue = may_glue(self.text)
        return self._may_glue

    def _entry(
        self, view: Normalized, entry: Entry, start: int, end: int, skeleton: Skeleton | None,
        glued: tuple[bool, bool], spaced: bool = False,
    ) -> None:
        o_start, o_end = view.original_span(start, end)
        method = entry.method
        if spaced and not invisible_break_counts(self.text, o_start, o_end):
            return None
        if skeleton is not None:
            tricks = skeleton.tricks(o_start, o_end)
            if not rewrite_counts(tricks, entry.rewritten):
                return  # spelled plainly here, or a leet spelling where there is no leet
            method = method or trick_method(tricks)
            if separators_removed(tricks) and not skeleton.spelled_out(o_start, o_end):
                return self._reject(entry, o_start, o_end, method, view, (
                    "read across a word break: its parts end and start other words"
                ))
        if entry.view is View.GLUED:
            if glued_in(self.text, o_start, o_end) is None:  # only in hashtags and compounds
                if self.trace is None or not inside_word(self.text, o_start, o_end):
                    return None  # a word of its own: the plain key reports it
                return self._reject(entry, o_start, o_end, method, view, (
                    "glued into a word, not at the start or end of a hashtag nor at a capital"
                ))
        elif not bounded(start, end, entry, skeleton, glued):
            return self._reject(entry, o_start, o_end, method, view, "part of a longer word")
        if entry.tones and not self._tones_agree(entry, self.text[o_start:o_end], skeleton):
            return self._reject(entry, o_start, o_end, method, view, (
                "its tones differ from the term's" if has_diacritics(self.text[o_start:o_end])
                else "too short to match without its tones"
            ))
        # Where an exclusion it may be counts (`Hits.glued_words`).
        if entry.view is View.GLUED and run_in(self.text, o_start, o_end):
            self.hits.glued[(o_start, o_end)] = word_around(self.text, o_start, o_end)
        else:
            self.hits.apart.add((o_start, o_end))
        if entry.term is None:
            assert entry.phrase is not None
            self.hits.phrases[entry.phrase].append((o_start, o_end))
            return None
        term = self.patterns.terms[entry.term].term
        method = method or _method(self.text[o_start:o_end], term, spaced=spaced)
        self.hits.terms.append(Hit(entry.term, o_start, o_end, method, SCORES[method], entry.view))
        return None

    @staticmethod
    def _tones_agree(entry: Entry, span: str, skeleton: Skeleton | None = None) -> bool:
        """A folded Vietnamese key matched `span`: the span must carry the term's own tones, or
        none at all where the term is long enough to be read without them. A syllable written in
        leet ("m4p" for mập) cannot carry a tone: there the letters alone must agree."""
        if has_diacritics(span):
            if skeleton is not None and any(ch.isdigit() and ch in LEET for ch in span):
                return leet_tones_agree(span, entry.tones)
            return letters_of(span) == entry.tones
        return entry.toneless_ok

    def _reject(
        self, entry: Entry, start: int, end: int, method: Method | None, view: Normalized,
        reason: str,
    ) -> None:
        if self.trace is None or entry.term is None:
            return
        term = self.patterns.terms[entry.term].term
        method = method or _method(self.text[start:end], term)
        hit = Hit(entry.term, start, end, method, SCORES[method], entry.view)
        self.trace.rejected.append((hit, reason))


def _method(matched: str, term: Term, *, spaced: bool = False) -> Method:
    """`spaced`: found with its zero-width spaces read as spaces, which makes it normalised at
    best, as the base view's removal of invisible characters does."""
    if spaced:
        method = _method(matched.replace(WORD_BREAK, " "), term)
        return Method.NORMALIZED if method is Method.EXACT else method
    if matched.casefold() == term.term.casefold():
        return Method.EXACT
    if normalize(matched).text == normalize(term.term).text:
        return Method.NORMALIZED
    return Method.DIACRITICS
