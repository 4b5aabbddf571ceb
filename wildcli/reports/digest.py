"""What the `table` format shows, gathered from a stream of findings in bounded memory: counts
per concept and the most severe finding of the most severe records. A scan of any size keeps a
few numbers per concept and `top` findings, not every finding.

Findings of an input with counts (a query log: `Finding.count`) are also added up per term and
action, searches and distinct queries, for the most searched terms; that keeps a number per
term and one per distinct query with findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wildcli.lexicon.actions import Action
from wildcli.lexicon.model import Severity
from wildcli.match.findings import Finding

_SEVERITIES = (Severity.BLOCK, Severity.REVIEW, Severity.MONITOR)


@dataclass
class ConceptCounts:
    findings: int = 0
    records: int = 0
    by_severity: list[int] = field(default_factory=lambda: [0, 0, 0])  # block, review, monitor
    last_record: tuple[str | None, int | None] | None = None
    searches: int = 0  # the counts of its records added up, for inputs with counts


TermKey = tuple[Action, str, str, str]
"""(action, concept, term, lang)."""


@dataclass
class TermSearches:
    """How often queries holding one term were searched, and how many different queries they were.

    A query is told apart by the term and the text either side of it that a finding keeps
    (`Finding.before`/`after`, 40 characters): the whole of a search query, but for long ones.
    """

    searches: int = 0
    queries: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class SearchedTerm:
    action: Action
    concept: str
    term: str
    lang: str
    searches: int
    queries: int


@dataclass(frozen=True)
class RecordHead:
    """The most severe finding of a record, and how many more the record has."""

    finding: Finding
    others: int


def rank(f: Finding) -> tuple[int, float, int]:
    """Within a record: most severe first, then surest, then first in the text."""
    return (-f.severity.rank, -f.score, f.start)


def _order(head: RecordHead) -> tuple[int, float, str, int]:
    f = head.finding
    return (-f.severity.rank, -f.score, f.source or "", f.row or 0)


class FindingDigest:
    """Feed it findings in scan order (a record's findings together, as a scan yields them)."""

    def __init__(self, top: int) -> None:
        self.top = top
        self.concepts: dict[str, ConceptCounts] = {}
        self.records = 0  # records with findings
        self._heads: list[RecordHead] = []
        self._record: tuple[str | None, int | None] | None = None
        self._head: Finding | None = None
        self._count = 0
        self.terms: dict[TermKey, TermSearches] = {}
        self._record_terms: set[TermKey] = set()  # terms of the current record already counted

    def add_all(self, findings: Iterable[Finding]) -> FindingDigest:
        for f in findings:
            self.add(f)
        return self

    def add(self, f: Finding) -> None:
        record = (f.source, f.row)
        counts = self.concepts.setdefault(f.concept, ConceptCounts())
        counts.findings += 1
        counts.by_severity[_SEVERITIES.index(f.severity)] += 1
        if counts.last_record != record:
            counts.records += 1
            counts.last_record = record
            counts.searches += f.count or 0
        if record != self._record:
            self._close()
            self._record, self._head, self._count = record, f, 0
            self.records += 1
            self._record_terms.clear()
        elif self._head is None or rank(f) < rank(self._head):
            self._head = f
        self._count += 1
        if f.count is not None:
            self._add_term(f, f.count)

    def _add_term(self, f: Finding, count: int) -> None:
        key = (f.action, f.concept, f.term, f.lang)
        if key in self._record_terms:  # a term twice in one query is still one search of it
            return
        self._record_terms.add(key)
        entry = self.terms.get(key)
        if entry is None:
            entry = self.terms[key] = TermSearches()
        entry.searches += count
        entry.queries.add(hash((f.field, f.before, f.matched, f.after)))

    def most_searched(self, action: Action) -> list[SearchedTerm]:
        """The `top` terms of findings asking for `action` whose queries were searched most."""
        found = [
            SearchedTerm(key[0], key[1], key[2], key[3], entry.searches, len(entry.queries))
            for key, entry in self.terms.items() if key[0] is action
        ]
        found.sort(key=lambda t: (-t.searches, -t.queries, t.concept, t.term, t.lang))
        return found[: self.top]

    def heads(self) -> list[RecordHead]:
        """The `top` most severe records, most severe first, each by its most severe finding."""
        self._close()
        self._record = None
        return sorted(self._heads, key=_order)[: self.top]

    def _close(self) -> None:
        if self._head is None:
            return
        self._heads.append(RecordHead(self._head, self._count - 1))
        self._head = None
        if len(self._heads) > 2 * self.top + 64:  # trimmed now and then: bounded, and cheap
            self._heads = sorted(self._heads, key=_order)[: self.top]
