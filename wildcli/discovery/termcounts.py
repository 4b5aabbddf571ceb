"""Listing counts of n-grams per class (with findings, with selling phrases only, neither), and the
weighted log-odds with an informative Dirichlet prior that compares them (Monroe et al. 2008)."""

from __future__ import annotations

import enum
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from wildcli.lexicon.model import Role
from wildcli.match.matcher import Matcher
from wildcli.readers import Record
from wildcli.text.scripts import breaks_word
from wildcli.text.tokenize import NOISE, grams, script_of_text

BOILERPLATE_CHARS = 50
"""Field texts this long that recur verbatim are counted once (profiles, signatures, reposts)."""
MAX_GRAMS = 100_000
"""Distinct n-grams counted at a time, about 50 MB of counts: a dump of unique words otherwise
grows them without bound (over 3 GB on 36 MB). Past it the rarest are forgotten (see `_forget`)."""
MAX_SEEN = 200_000
"""Boilerplate texts remembered (about 20 MB); past it they are forgotten and counted once more."""


class Group(str, enum.Enum):
    """Which class a listing falls in for the comparisons."""

    FINDINGS = "findings"  # at least one product finding
    SELLING = "selling"  # a trade-context phrase ("DM for price") but no product finding
    OTHER = "other"  # neither


@dataclass
class GramCounts:
    """Per n-gram: in how many listings of each group it occurs, and what those listings held.

    Listings are counted, not occurrences, so a spammer repeating a word fifty times in one
    listing weighs as much as anyone else. `totals` are per script, so that Han character grams
    and Latin word grams are each compared with their own kind.

    Memory is bounded by `max_grams` (lossy counting, after Manku and Motwani 2002): when that
    many grams are held, the rarest are forgotten, those of listings with findings or selling
    phrases last, until half remain. A gram counted again after that starts from nothing, so
    its counts are short by at most `forgotten`, the most listings a forgotten gram was in;
    `totals` stay exact. With `forgotten` at 0, every count is exact.
    """

    examples_per_gram: int = 3
    max_grams: int = MAX_GRAMS
    forgotten: int = 0
    docs: dict[Group, Counter[str]] = field(default_factory=lambda: {g: Counter() for g in Group})
    totals: dict[Group, Counter[str]] = field(default_factory=lambda: {g: Counter() for g in Group})
    listings: Counter[Group] = field(default_factory=Counter)
    concepts: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    langs: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    with_selling: Counter[str] = field(default_factory=Counter)
    examples: dict[Group, dict[str, list[str]]] = field(
        default_factory=lambda: {g: {} for g in Group}
    )
    scripts: dict[str, str] = field(default_factory=dict)
    seen: set[bytes] = field(default_factory=set)
    roles: dict[str, Role] = field(default_factory=dict)

    def add(self, record: Record, matcher: Matcher, max_n: int = 3) -> None:
        """Count one listing: its findings decide its group, its other words are counted.

        A long field text already seen in an earlier listing (a seller's boilerplate, a
        repost) still decides the group but adds no words: a profile pasted under 140 posts is
        one piece of evidence, not 140. Short texts ("象牙手镯 包邮") are counted every time:
        different sellers do write the same few words.
        """
        concepts: set[str] = set()
        langs: set[tuple[str, str]] = set()
        selling = False
        found: set[str] = set()
        if not self.roles:
            self.roles = {c.id: c.role for c in matcher.lexicon.concepts.values()}
        roles = self.roles
        for text in record.fields.values():
            spans: list[tuple[int, int]] = []
            # One `decide` gives both the product findings and the selling phrases that `find`
            # leaves out; the matcher's report filters do not apply: every known term counts.
            for d in matcher.decide(text):
                role = roles.get(d.term.concept, Role.PRODUCT)
                if not d.accepted:
                    continue
                if role is Role.CONTEXT:
                    selling = True
                else:
                    concepts.add(d.term.concept)
                    langs.add((d.term.lang, script_of_text(d.matched)))
                spans.append((d.start, d.end))
            if self._first_time(text):
                for segment in _unmasked(text, spans):
                    found |= grams(segment, max_n)
        group = Group.FINDINGS if concepts else Group.SELLING if selling else Group.OTHER
        self._count(record.id, group, found, concepts, langs, selling)

    def _first_time(self, text: str) -> bool:
        flat = " ".join(NOISE.sub(" ", text).casefold().split())
        if len(flat) < BOILERPLATE_CHARS:
            return True
        digest = hashlib.blake2b(flat.encode("utf-8", "surrogatepass"), digest_size=12).digest()
        if digest in self.seen:
            return False
        if len(self.seen) >= MAX_SEEN:
            self.seen.clear()
        self.seen.add(digest)
        return True

    def _count(
        self, record_id: str, group: Group, found: set[str], concepts: set[str],
        langs: set[tuple[str, str]], selling: bool,
    ) -> None:
        self.listings[group] += 1
        docs, totals, examples = self.docs[group], self.totals[group], self.examples[group]
        # Listings without findings are the bulk of a dump: one example each keeps memory small.
        keep = self.examples_per_gram if group is not Group.OTHER else 1
        for gram in found:
            script = self.scripts.setdefault(gram, script_of_text(gram))
            docs[gram] += 1
            totals[script] += 1
            ids = examples.setdefault(gram, [])
            if len(ids) < keep:
                ids.append(record_id)
            if group is Group.FINDINGS:
                self.concepts[gram].update(concepts)
                self.langs[gram].update(lang for lang, s in langs if s == script)
                if selling:
                    self.with_selling[gram] += 1
        if len(self.scripts) > self.max_grams:
            self._forget()

    def _forget(self) -> None:
        """Drop the rarest grams until half of `max_grams` remain. A gram's weight is the listings
        it is in, those with findings or selling phrases counted three times over: they are
        what candidates are made of, the others only their background."""
        docs = [self.docs[g] for g in Group]
        findings, selling = self.docs[Group.FINDINGS], self.docs[Group.SELLING]
        weights = {
            gram: sum(d[gram] for d in docs) + 2 * (findings[gram] + selling[gram]) for gram in self.scripts
        }
        by_weight = Counter(weights.values())
        keep = self.max_grams // 2
        cutoff, remaining = 0, len(weights)
        for weight in sorted(by_weight):
            if remaining <= keep:
                break
            cutoff, remaining = weight, remaining - by_weight[weight]
        self.forgotten = max(self.forgotten, cutoff)
        for gram, weight in weights.items():
            if weight <= cutoff:
                self._drop(gram)

    def _drop(self, gram: str) -> None:
        del self.scripts[gram]
        for group in Group:
            self.docs[group].pop(gram, None)
            self.examples[group].pop(gram, None)
        self.concepts.pop(gram, None)
        self.langs.pop(gram, None)
        self.with_selling.pop(gram, None)

    def total(self, gram: str) -> int:
        return sum(self.docs[g][gram] for g in Group)

    def log_odds(self, gram: str, a: Iterable[Group], b: Iterable[Group], prior_scale: float) -> float:
        """z-score of the log-odds ratio of `gram` between groups `a` and `b`.

        delta = log((y_a + alpha_w) / (n_a + alpha_0 - y_a - alpha_w)) - (the same for b), with
        alpha_w = prior_scale * (listings of the whole corpus holding the gram) and alpha_0 the
        sum of alpha_w over the gram's script; z = delta / sqrt(1/(y_a+alpha_w) + 1/(y_b+alpha_w)).
        The prior shrinks rare grams towards the corpus rate, so a word seen twice does not
        outrank one seen in thirty listings just because its ratio is extreme.
        """
        script = self.scripts[gram]
        a, b = tuple(a), tuple(b)
        y_a = sum(self.docs[g][gram] for g in a)
        y_b = sum(self.docs[g][gram] for g in b)
        n_a = sum(self.totals[g][script] for g in a)
        n_b = sum(self.totals[g][script] for g in b)
        alpha_w = prior_scale * self.total(gram)
        alpha_0 = prior_scale * sum(self.totals[g][script] for g in Group)
        if alpha_w <= 0 or n_a + alpha_0 - y_a - alpha_w <= 0 or n_b + alpha_0 - y_b - alpha_w <= 0:
            return 0.0
        delta = math.log((y_a + alpha_w) / (n_a + alpha_0 - y_a - alpha_w)) - math.log(
            (y_b + alpha_w) / (n_b + alpha_0 - y_b - alpha_w)
        )
        return delta / math.sqrt(1 / (y_a + alpha_w) + 1 / (y_b + alpha_w))


def count_grams(
    records: Iterable[Record], matcher: Matcher, *, max_n: int = 3, examples: int = 3,
    max_grams: int = MAX_GRAMS,
) -> GramCounts:
    """Count the n-grams of every record, grouped by what the matcher finds in it."""
    counts = GramCounts(examples_per_gram=examples, max_grams=max_grams)
    for record in records:
        counts.add(record, matcher, max_n)
    return counts


def _unmasked(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The text between known hits: n-grams never include or straddle a known term.

    A hit inside a word ("ivory" in #ivoryandart) masks the whole word, or its remains
    ("andart") would look like a new term.
    """
    pieces = []
    last = 0
    for start, end in sorted(spans):
        while start > 0 and breaks_word(text[start - 1]):
            start -= 1
        while end < len(text) and breaks_word(text[end]):
            end += 1
        if start > last:
            pieces.append(text[last:start])
        last = max(last, end)
    pieces.append(text[last:])
    return [p for p in pieces if p.strip()]
