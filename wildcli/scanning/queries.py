"""Checking search queries in bulk: each query of a query file or query log with the action it
asks for (block, warn, monitor, allow) and the findings behind it; the library behind
`wildcli check --file`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from wildcli.errors import InputError
from wildcli.lexicon.actions import Action
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions, Record
from wildcli.reports.summary import ScanSummary
from wildcli.scanning.local import HeldErrors, scan_batches, scanned_records
from wildcli.scanning.streaming import LINGER

QUERY_SEPARATOR = " | "
"""Between the texts of a record with several text fields, in `QueryResult.query`."""


@dataclass(frozen=True)
class QueryResult:
    """One query: its record, and the findings in it (in field order, then text order)."""

    record: Record
    findings: list[Finding]

    @property
    def query(self) -> str:
        """The query's text; the texts of its fields joined, for a record with several."""
        return QUERY_SEPARATOR.join(self.record.fields.values())

    @property
    def count(self) -> int:
        """How many times it was searched (1 when its input has no counts)."""
        return self.record.count

    @property
    def action(self) -> Action:
        """The most severe action its findings ask for; `allow` when there are none."""
        return Action.strongest(f.action for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: query, count, action and findings (each as `Finding.to_dict`)."""
        return {
            "query": self.query,
            "count": self.count,
            "action": self.action.value,
            "findings": [f.to_dict() for f in self.findings],
        }


def check_queries(
    records: Iterable[Record | None], matcher: Matcher, errors: HeldErrors | None = None
) -> Iterator[QueryResult]:
    """Every record as a query, with its findings and action, in order; matched in batches
    (`Matcher.find_many`), so a file of a million queries takes seconds, not minutes.

    `records` and `errors`: as in `wildcli.scanning.local.scan_batches`. The queries are judged
    as queries (`Matcher.for_queries`), whatever `matcher` was built for.
    """
    for record, found in scan_batches(records, matcher.for_queries(), errors):
        yield QueryResult(record, found)


def check_paths(
    paths: Sequence[str], matcher: Matcher, options: ReadOptions | None = None, *,
    summary: ScanSummary | None = None, on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None, linger: float | None = LINGER,
) -> Iterator[QueryResult]:
    """`check_queries` on the records of each file in turn ("-" for stdin), in this process.

    Bad rows and unusable files go to `on_error` (without it, the first one is raised) and are
    counted in `summary` with the queries and their findings, as `wildcli.scan_paths` counts
    them. A stream is checked as it arrives: see `scan_paths` for `linger`. The queries are
    judged as queries (`Matcher.for_queries`), whatever `matcher` was built for.
    """
    summary = summary if summary is not None else ScanSummary()
    scanned = scanned_records(paths, matcher.for_queries(), options or ReadOptions(), summary=summary,
                              on_error=on_error, on_progress=on_progress, linger=linger)  # fmt: skip
    for record, found in scanned:
        summary.add_record(len(record.fields), record.count, record.counted, found)
        yield QueryResult(record, found)


@dataclass
class ActionTally:
    """Queries and searches per action, over the results `add`ed."""

    queries: Counter[Action] = field(default_factory=Counter)
    searches: Counter[Action] = field(default_factory=Counter)

    def add(self, result: QueryResult) -> None:
        action = result.action
        self.queries[action] += 1
        self.searches[action] += result.count
