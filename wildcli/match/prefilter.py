"""Which texts of a batch can hold a finding at all, found in a few passes over the whole batch.

Most listings hold no term. Looking at them one by one costs microseconds of Python each
(normalising, folding, running the automaton, judging), far more than the automaton itself.
Here the texts of a batch are joined with a separator, normalised and folded as one string and
matched in one automaton pass, so the work per clean text is done in C; only the candidates go
through `Matcher.find`. The test is conservative: a text left out would have given no finding
(`tests/test_prefilter.py` compares both ways), so batching changes speed and nothing else.

A text is a candidate when, in its folded view:
- a key of a reported term stands where one of its entries' word boundaries allow it, and the
  term needs no context or one of its context phrases or concepts is found anywhere in the text
  too (the window and the exclusions are left to `find`; skeleton keys count only in the
  skeleton view, which is built only for texts with a trigger);
- it holds a look-alike letter;
- `find` would rewrite something in its skeleton view (a leet token, a letter typed three
  times, a spelled-out run, Han characters split by dots or stars) into a run of letters that a
  key of that view could overlap. The triggers are seen in the batch; a token is rewritten on
  its own, a text with a run gets its skeleton view built. Model numbers ("iPhone7", "5GHz"),
  "AAA" and "o.b.o" trigger, but their rewrites are nothing a key can meet;
- a word is a fuzzy near-miss of a term key;
- it holds a zero-width space, which `find` reads once as nothing and once as a space;
- or it could not be normalised together with the others (characters that combine with their
  neighbours, or the separator itself in the text).

Matching the folded view alone is enough. Folding maps characters one to one and drops only
combining marks, so a key found in the base view is found, folded, at the same place of the
folded view; and a neighbour that is not a word character stays one, so the word boundaries
a key needs hold there too. The automaton here therefore holds every key folded.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Container, Iterator, Sequence
from functools import partial
from itertools import accumulate
from typing import cast

import ahocorasick_rs

from wildcli.match.acceptance import (
    can_report,
    disguise_is_context,
    glued_key_may_pass,
    may_alternate,
    may_break_invisibly,
    needs_context,
    refused_at_boundary,
    rewrite_may_count,
    separators_removed,
    word_only_keys,
)
from wildcli.match.fuzzy import FuzzyIndex
from wildcli.match.keyruns import ALNUM, KeyRuns
from wildcli.match.keys import Entry, Patterns, build_automaton
from wildcli.text.hashtags import may_glue
from wildcli.text.normalize import (
    Normalized,
    View,
    fold,
    fold_pieces,
    fold_view,
    normalize,
    normalize_pieces,
    single_pieces,
)
from wildcli.text.obfuscation import (
    Skeleton,
    collapsed,
    neighbours,
    rewritten_words,
    short_leet,
    skeleton,
    token_trick,
    token_word,
)
from wildcli.text.scripts import breaks_word
from wildcli.text.triggers import (
    CLASS_TRIGGERS,
    ByteOffset,
    ClassOffset,
    Suspects,
    Trigger,
    class_bytes,
    marked_byte,
    run_bytes,
    script_gaps,
    thrice,
    tokens_at,
    typed_thrice,
)

SEPARATOR = "\x1e"
"""Between the texts of a batch: not a word character, a space to the trigger classes, and
never part of a key."""

TOKEN_CACHE = 100_000
"""Tokens whose verdict is remembered before the memory is cleared."""



class Prefilter:
    """Batch candidate test for one compiled lexicon; picklable (wildcli.match.cache keeps it)."""

    def __init__(self, patterns: Patterns) -> None:
        keys: dict[str, int] = {}
        entries: list[list[Entry]] = []
        text_triggers: set[int] = set()
        repeats: set[int] = set()
        class_keys: list[str] = []
        leet_keys: set[int] = set()
        runs = KeyRuns()
        for key, index in patterns.keys.items():
            trigger = patterns.triggers.get(index)
            if trigger in CLASS_TRIGGERS:
                if trigger is Trigger.LEET:
                    leet_keys.add(len(class_keys))
                class_keys.append(key)
                continue
            skeletal = [e for e in patterns.entries[index] if e.view is View.SKELETON and e.term is not None]
            if skeletal:
                runs.add(key, all(e.before for e in skeletal), all(e.after for e in skeletal))
            found = [] if trigger else [
                e for e in patterns.entries[index] if can_report(e, patterns.supporting)
            ]
            if not found and not trigger:
                continue  # a context or exclude phrase or term, or a key of the skeleton view only
            folded = fold(key)
            at = keys.setdefault(folded, len(keys))
            if at == len(entries):
                entries.append([])
            if trigger is Trigger.REPEAT:
                repeats.add(at)
            elif trigger:
                text_triggers.add(at)
            entries[at].extend(e for e in found if e not in entries[at])
        self._keys = list(keys)
        # Keys that only count as whole words, as in Patterns (most raw hits are such keys
        # inside longer words).
        self._words, self._glue_words = word_only_keys(entries)
        self._entries = [tuple(e) for e in entries]
        self._text_triggers = frozenset(text_triggers)
        self._repeats = frozenset(repeats)
        self._repeat_at = re.compile(
            "(?=(?:" + "|".join(sorted(k for k, i in patterns.keys.items() if i in patterns.triggers
                                        and patterns.triggers[i] is Trigger.REPEAT)) + "))"
        ) if repeats else None
        self._class_keys = class_keys
        self._leet_keys = frozenset(leet_keys)
        self._skeleton_runs = runs
        # Words side by side in a key of the skeleton view (see `_short_words_may_hold_key`).
        self._skeleton_pairs = frozenset(
            pair for key, index in patterns.keys.items() if " " in key
            and any(e.view is View.SKELETON for e in patterns.entries[index])
            for pair in itertools.pairwise(fold(key).split(" "))
        )
        self._gap_pairs = patterns.gap_pairs | {fold(pair) for pair in patterns.gap_pairs}
        self._tokens: dict[str, bool] = {}  # token -> `_token_may_hold_key`
        # What a term found in a text still needs for a finding: nothing (None), or one of its
        # context phrases or concepts somewhere in the same text.
        self._context: list[tuple[tuple[int, ...], tuple[str, ...]] | None] = [
            (c.context, c.context_concepts) if needs_context(c) else None for c in patterns.terms
        ]
        self._evidence = _evidence(patterns)
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._class_automaton: ahocorasick_rs.BytesAhoCorasick | None = None
        self._context_automaton: ahocorasick_rs.AhoCorasick | None = None

    def __getstate__(self) -> dict[str, object]:
        return self.__dict__ | {
            "_automaton": None, "_class_automaton": None, "_context_automaton": None, "_tokens": {},
        }

    def _automata(self) -> tuple[ahocorasick_rs.AhoCorasick, ahocorasick_rs.BytesAhoCorasick | None]:
        if self._automaton is None:
            self._automaton = build_automaton(self._keys)
            # Bytes: the class string is ASCII, and scanning bytes spares the offset mapping.
            self._class_automaton = ahocorasick_rs.BytesAhoCorasick(
                [key.encode("ascii") for key in self._class_keys],
                matchkind=ahocorasick_rs.MatchKind.Standard, implementation=ahocorasick_rs.Implementation.DFA,
            ) if self._class_keys else None
        return self._automaton, self._class_automaton

    def warm_up(self) -> None:
        """Build now what the first batches would build: the automata and the keys' runs."""
        self._automata()
        self._evidence_automaton()
        self._skeleton_runs.automaton()

    def _evidence_automaton(self) -> ahocorasick_rs.AhoCorasick:
        if self._context_automaton is None:
            self._context_automaton = build_automaton(self._evidence[0])
        return self._context_automaton

    def candidates(
        self, texts: Sequence[str], fuzzy: FuzzyIndex | None = None, wanted: Container[int] | None = None
    ) -> set[int]:
        """Indices of the `texts` that may give a finding; the others certainly give none.
        `fuzzy`: the matcher's fuzzy index, when it looks for near-misses; `wanted`: the terms
        (indices into `Patterns.terms`) whose findings are reported, when not all are."""
        out: set[int] = set()
        plain = [i for i, t in enumerate(texts) if t and t.isascii()]
        other = [i for i, t in enumerate(texts) if t and not t.isascii()]
        for group in (plain, other):
            if group:
                self._scan(_Batch(texts, group, out), fuzzy, wanted)
        return out

    def _scan(self, batch: _Batch, fuzzy: FuzzyIndex | None, wanted: Container[int] | None) -> None:
        view = batch.folded()
        if not view:
            return
        automaton, class_automaton = self._automata()
        self._terms(batch, view, automaton, wanted)
        if class_automaton is not None:
            raw = view.encode("utf-8", "surrogatepass")
            # The class automaton's offsets are bytes of `raw`: characters only when it is ASCII.
            if len(raw) == len(view):
                byte_bounds = cast(list[ByteOffset], batch.char_bounds(view))  # ASCII: a byte a character
            else:
                byte_bounds = cast(list[ByteOffset], _part_starts(raw.split(SEPARATOR.encode())))
            leet: dict[int, list[ByteOffset]] = defaultdict(list)  # part -> bytes that `read` names
            runs: set[int] = set()  # parts with a spelled-out run
            class_hits = class_automaton.find_matches_as_indexes(class_bytes(raw), overlapping=True)
            for key, start, end in class_hits:
                if key in self._leet_keys:
                    byte = marked_byte(ClassOffset(start))  # in the token the key marks
                    leet[bisect_right(byte_bounds, byte)].append(byte)
                    continue
                # `find` sees the same run key in a part when the run is in it (the separator
                # is the space that `find` pads a text with). A run across the separator is no
                # run of either part.
                run = run_bytes(ClassOffset(start), ClassOffset(end))
                first, last = (bisect_right(byte_bounds, byte) for byte in run)
                if first == last:
                    runs.add(first)
            gaps = script_gaps(view, self._gap_pairs)
            if gaps:
                char_bounds = batch.char_bounds(view)
                runs.update(bisect_right(char_bounds, start) for start, _ in gaps)
            if leet or runs or batch.repeated:
                self._skeletons(batch, view, raw, byte_bounds, leet, runs)
        if fuzzy:
            starts = fuzzy.near_word_starts(view)
            if starts:
                char_bounds = batch.char_bounds(view)
                for start in starts:
                    batch.hit(char_bounds, start)

    def _skeletons(
        self, batch: _Batch, view: str, raw: bytes, byte_bounds: list[ByteOffset],
        leet: dict[int, list[ByteOffset]], runs: set[int],
    ) -> None:
        """Make candidates of the parts where a key of the skeleton view may overlap what `find`
        rewrites there, from the triggers `find` would see (seen here in the batch).

        Without a spelled-out run, only tokens holding a leet character or a letter typed thrice
        are rewritten, each on its own: their rewrites are looked at (`wildcli.match.keyruns`). With one, the
        part's skeleton view is built as `find` builds it, and its rewritten runs of letters are.
        """
        char_bounds = batch.char_bounds(view)
        same = len(raw) == len(view)
        for part in {*leet, *runs, *batch.repeated}:
            if batch.is_candidate(part):
                continue
            text = _part_of(view, char_bounds, part)
            first = byte_bounds[part - 1] if part else 0
            at = sorted(
                o - first if same else len(raw[first:o].decode("utf-8", "surrogatepass"))
                for o in leet.get(part, ())
            )
            if part not in runs:
                # Each token is rewritten on its own, so looking at more tokens than `find`
                # rewrites (every letter written thrice, typed so or not) only adds candidates.
                repeats = thrice(text) if part in batch.repeated else []
                tokens = tokens_at(text, sorted({*at, *repeats}))
                # Then short leet words that their neighbours show to be disguised: "ng4 v01".
                if any(self._token_may_hold_key(text[start:end]) for start, end in tokens) or (
                    self._short_words_may_hold_key(text, tokens)
                ):
                    batch.add(part)
                continue
            # The view `find` builds, from the same triggers: joined runs change what is next to what.
            exact = self._repeats_at(batch.parts[part], text) if part in batch.repeated else ()
            found = Suspects(text, tuple(at), exact, True)
            sk = skeleton(text, Normalized(text, text), found, confusable=False)
            if sk is None:
                continue
            if self._rewrites_may_hold_key(sk):
                batch.add(part)

    def _short_words_may_hold_key(self, text: str, tokens: list[tuple[int, int]]) -> bool:
        """Whether a key of several words may hold a short leet word that `find` rewrites for
        its neighbours: the word and a word beside it, as the skeleton view reads them, must be
        two words side by side in such a key. Model numbers in a row ("m10 u11", "z3 z4") are
        rewritten too, and are no pair of any key."""
        rewritten = {start: end for start, end, _ in rewritten_words(text, tokens)}

        def read(span: tuple[int, int]) -> str:
            word = text[span[0]:span[1]]
            return collapsed(word) if rewritten.get(span[0]) == span[1] else word

        # Only the short words: a longer token that could be in a key was judged on its own.
        for start, end in rewritten.items():
            if not short_leet(text[start:end]):
                continue
            word = read((start, end))
            before, after = neighbours(text, start, end)
            if (before is not None and (read(before), word) in self._skeleton_pairs) or (
                after is not None and (word, read(after)) in self._skeleton_pairs
            ):
                return True
        return False

    def _token_may_hold_key(self, token: str) -> bool:
        """Whether `find` rewrites `token` into something a key may overlap; remembered, as
        model numbers and sizes come back listing after listing."""
        verdict = self._tokens.get(token)
        if verdict is None:
            if len(self._tokens) >= TOKEN_CACHE:
                self._tokens.clear()
            word = token_word(token)
            verdict = self._tokens[token] = (
                token_trick(word) is not None and self._skeleton_runs.may_overlap(collapsed(word))
            )
        return verdict

    def _rewrites_may_hold_key(self, sk: Skeleton) -> bool:
        """Whether a key may overlap a rewritten run of letters of a skeleton view.

        A removed separator takes no room in the view, and in Thai or Devanagari a vowel sign
        (a mark, no letter) may stand between it and the next letter ("ลิ-งลม"): a run is
        looked at with the marks on either side of it."""
        rewritten = sk.view
        text = rewritten.text
        for lo, hi in sk.windows(0):
            while lo > 0 and _in_run(text[lo - 1]):
                lo -= 1
            while hi < len(text) and _in_run(text[hi]):
                hi += 1
            for m in ALNUM.finditer(text, lo, hi):
                start, end = m.span()
                while start > lo and _is_mark(text[start - 1]):
                    start -= 1
                while end < hi and _is_mark(text[end]):
                    end += 1
                tricks = sk.tricks(*rewritten.original_span(start, end))
                # Inside a spelled-out run, a removed space is a word boundary (`separated_at`).
                bounded = not separators_removed(tricks)
                if rewrite_may_count(tricks) and self._skeleton_runs.may_overlap(m.group(), bounded=bounded):
                    return True
        return False

    def _repeats_at(self, original: str, folded: str) -> tuple[int, ...]:
        """Where `find` sees letters typed thrice (as `triggers.read` gives them): in its base
        view, then in its folded view ("hổổổ" shows "ooo" only there)."""
        base = normalize(original)
        if len(base.text) != len(folded):
            return tuple(thrice(folded))
        starts = list(self._typed_starts(original, base))
        if folded != base.text:
            starts += [s for s in self._typed_starts(original, fold_view(base)) if s not in starts]
        return tuple(start + 1 for start in starts)

    def _typed_repeat(self, text: str) -> bool:
        """Whether the stuffed-letter trigger fires on `text` as `find` would see it: on a letter
        typed three times, in its base view or in its folded view (the folded batch also shows
        "ààà" beside "ßs", which were not typed so)."""
        assert self._repeat_at is not None
        # The texts here do not combine, so their base view is their pieces: one piece of one
        # character per typed letter, as `typed_thrice` wants; folding keeps one character
        # for one, so their folded view is too.
        single = single_pieces(text)
        if single is not None:
            return any(self._repeat_at.search(view) is not None for view in (single, fold(single)))
        base = normalize(text)
        return any(next(self._typed_starts(text, view), None) is not None for view in (base, fold_view(base)))

    def _typed_starts(self, original: str, view: Normalized) -> Iterator[int]:
        """Where a stuffed-letter key starts in a normalised `view` of `original` and was typed so."""
        assert self._repeat_at is not None
        starts = (m.start() for m in self._repeat_at.finditer(view.text))
        return (start for start in starts if typed_thrice(original, view, start))

    def _terms(
        self, batch: _Batch, view: str, automaton: ahocorasick_rs.AhoCorasick, wanted: Container[int] | None
    ) -> None:
        entries = self._entries
        context = self._context
        pending: dict[int, list[int]] = defaultdict(list)  # part -> terms that need context
        text_triggers = self._text_triggers
        repeats = self._repeats
        words = self._words
        glue_words = self._glue_words
        size = len(view)
        char_bounds = batch.char_bounds(view)
        for key, start, end in automaton.find_matches_as_indexes(view, overlapping=True):
            if key in text_triggers:  # a look-alike letter
                batch.hit(char_bounds, start)
                continue
            if key in repeats:  # a stuffed letter, if the text has one typed three times
                part = bisect_right(char_bounds, start)
                if part not in batch.repeats_seen:
                    batch.repeats_seen.add(part)
                    if self._typed_repeat(batch.parts[part]):
                        batch.repeated.add(part)
                continue
            left = start > 0 and breaks_word(view[start - 1])
            right = end < size and breaks_word(view[end])
            glued = left or right
            if glued and key in words:
                continue
            part = bisect_right(char_bounds, start)
            if batch.is_candidate(part) or (glued and key in glue_words and not batch.may_glue(part)):
                continue
            for entry in entries[key]:
                if entry.view is View.GLUED:
                    if not glued_key_may_pass(entry, partial(batch.may_glue, part)):
                        continue
                elif refused_at_boundary(entry, left, right):
                    continue
                term = entry.term
                assert term is not None
                if wanted is not None and term not in wanted:
                    continue  # reported by no finding (it may still be context for others)
                if context[term] is None or disguise_is_context(entry.method):
                    batch.add(part)
                    break
                pending[part].append(term)
        for part, terms in pending.items():
            if batch.is_candidate(part):
                continue
            # A term in alternating case needs no context (`acceptance.alternating_case`): the
            # folded view cannot show case, the text as typed can.
            original = batch.parts[part]
            if may_alternate(original) or self._has_context(_part_of(view, char_bounds, part), terms):
                batch.add(part)

    def _has_context(self, text: str, terms: list[int]) -> bool:
        """Whether any of `terms` (found in the folded `text`) has a context phrase or concept
        anywhere in it. Word boundaries are not checked: seeing more context only makes more
        candidates; the window, the exclusions and the rest are `find`'s to judge."""
        evidence = self._evidence[1]
        phrases: set[int] = set()
        concepts: set[str] = set()
        for key, _, _ in self._evidence_automaton().find_matches_as_indexes(text, overlapping=True):
            phrases.update(evidence[key][0])
            concepts.update(evidence[key][1])
        for term in terms:
            needs = self._context[term]
            assert needs is not None
            if not phrases.isdisjoint(needs[0]) or not concepts.isdisjoint(needs[1]):
                return True
        return False


Evidence = tuple[list[str], list[tuple[frozenset[int], frozenset[str]]]]
"""Folded keys of context evidence, and for each the context phrases and concepts it shows."""


def _evidence(patterns: Patterns) -> Evidence:
    """Every key that can show context: context phrases, and terms of the concepts that some
    term takes as context (`@concept`) or that count as one (`Concept.counts_as`)."""
    phrases = {phrase for c in patterns.terms for phrase in c.context}
    concepts = {concept for c in patterns.terms for concept in c.context_concepts}
    shown: dict[str, tuple[set[int], set[str]]] = {}
    for key, index in patterns.keys.items():
        for e in patterns.entries[index]:
            if e.view is View.SKELETON:
                continue
            if e.term is None and e.phrase in phrases:
                shown.setdefault(fold(key), (set(), set()))[0].add(e.phrase)
            elif e.term is not None:
                concept = patterns.terms[e.term].term.concept
                named = concepts.intersection((concept, *patterns.counts_as.get(concept, ())))
                if named:
                    shown.setdefault(fold(key), (set(), set()))[1].update(named)
    keys = sorted(shown)
    return keys or ["\0"], [(frozenset(shown[k][0]), frozenset(shown[k][1])) for k in keys] or [
        (frozenset(), frozenset())
    ]


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def _in_run(ch: str) -> bool:
    """A letter or digit, or a mark that may stand between a removed separator and one."""
    return ch.isalnum() or _is_mark(ch)


def _part_of(view: str, char_bounds: list[int], part: int) -> str:
    """The text of part `part` of a joined view (`char_bounds` as `_part_starts` gives them)."""
    start = char_bounds[part - 1] if part else 0
    end = char_bounds[part] - 1 if part < len(char_bounds) else len(view)
    return view[start:end]


def _part_starts(pieces: Sequence[str] | Sequence[bytes]) -> list[int]:
    """For pieces joined by a one-character separator: the offset just after each separator,
    so that `bisect_right(starts, offset)` is the piece holding `offset`."""
    return list(accumulate(len(p) + 1 for p in pieces[:-1]))


class _Batch:
    """Some texts of a batch joined with the separator, and the candidates found so far."""

    def __init__(self, texts: Sequence[str], index: list[int], out: set[int]) -> None:
        self.out = out
        self.index = index
        self.parts = [texts[i] for i in index]
        self._glue: dict[int, bool] = {}
        self.repeats_seen: set[int] = set()  # parts whose letters typed thrice were looked at
        self.repeated: set[int] = set()  # parts with a letter typed thrice
        self._char_bounds: tuple[str, list[int]] | None = None

    def folded(self) -> str:
        """The folded view of the batch: each part as `fold_view(normalize(part))` gives it."""
        joined = SEPARATOR.join(self.parts)
        if joined.count(SEPARATOR) != len(self.parts) - 1:
            self._drop({k for k, part in enumerate(self.parts) if SEPARATOR in part})
            joined = SEPARATOR.join(self.parts)
        if may_break_invisibly(joined):
            # `find` reads these a second time, their zero-width spaces as spaces: rare enough
            # to leave that reading to it.
            self.out.update(self.index[k] for k, part in enumerate(self.parts) if may_break_invisibly(part))
        if joined.isascii():
            return joined.lower()
        folded = fold_pieces(joined)
        if folded is not None:
            return folded
        base = normalize_pieces(joined)
        if not unicodedata.is_normalized("NFKC", base):
            # Characters that combine with their neighbours: `find` normalises those texts.
            pieces = base.split(SEPARATOR)
            bad = {k for k, piece in enumerate(pieces) if not unicodedata.is_normalized("NFKC", piece)}
            self._drop(bad)
            base = SEPARATOR.join(p for k, p in enumerate(pieces) if k not in bad)
        return fold(base)

    def _drop(self, parts: set[int]) -> None:
        """Make `parts` candidates and leave them out of the joined text."""
        self.out.update(self.index[k] for k in parts)
        self.index = [i for k, i in enumerate(self.index) if k not in parts]
        self.parts = [p for k, p in enumerate(self.parts) if k not in parts]

    def char_bounds(self, view: str) -> list[int]:
        """Where each part of the joined `view` starts, in characters (offsets into a str)."""
        if self._char_bounds is None or self._char_bounds[0] is not view:
            self._char_bounds = (view, _part_starts(view.split(SEPARATOR)))
        return self._char_bounds[1]

    def hit(self, char_bounds: list[int], offset: int) -> None:
        self.add(bisect_right(char_bounds, offset))

    def add(self, part: int) -> None:
        self.out.add(self.index[part])

    def is_candidate(self, part: int) -> bool:
        return self.index[part] in self.out

    def may_glue(self, part: int) -> bool:
        glue = self._glue.get(part)
        if glue is None:
            glue = self._glue[part] = may_glue(self.parts[part])
        return glue
