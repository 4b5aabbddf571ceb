"""What the `table` format shows, gathered from a stream of findings in bounded memory: counts
per concept and the most severe finding of the most severe records. A scan of any size keeps a
few numbers per concept and `top` findings, not every finding."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wildcli.findings import Finding
from wildcli.lexicon.model import Severity

_SEVERITIES = (Severity.BLOCK, Severity.REVIEW, Severity.MONITOR)


@dataclass
class ConceptCounts:
    findings: int = 0
    records: int = 0
    by_severity: list[int] = field(default_factory=lambda: [0, 0, 0])  # block, review, monitor
    last_record: tuple[str | None, int | None] | None = None


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
        if record != self._record:
            self._close()
            self._record, self._head, self._count = record, f, 0
            self.records += 1
        elif self._head is None or rank(f) < rank(self._head):
            self._head = f
        self._count += 1

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
