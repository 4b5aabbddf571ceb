"""The table's digest of a scan is what keeping every finding would give, in bounded memory."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Iterator

import pytest

from wildcli.lexicon.actions import Action
from wildcli.lexicon.model import Kind, Severity
from wildcli.match.findings import Finding, Method
from wildcli.reports.digest import FindingDigest, rank

_SEVERITIES = (Severity.BLOCK, Severity.REVIEW, Severity.MONITOR)


def _findings(records: int, seed: int) -> Iterator[Finding]:
    """A scan's findings: each record's together, in record order, of varied severity."""
    rng = random.Random(seed)
    for row in range(1, records + 1):
        source = rng.choice(["a.jsonl", "b.csv"])
        # Two fields may hold hits at the same offset: the first of equals heads its record.
        for field, start in sorted((rng.choice(["title", "text"]), rng.randrange(3)) for _ in range(rng.randint(1, 4))):
            yield Finding(
                concept=rng.choice(["ivory", "pangolin", "rhino_horn"]), term="t", lang="en", kind=Kind.NAME,
                severity=rng.choice(_SEVERITIES), matched="x", start=start, end=start + 1,
                method=Method.EXACT, score=rng.choice([1.0, 0.9, 0.7]), source=source, record=str(row), row=row,
                field=field,
            )


def _kept(findings: list[Finding], top: int) -> tuple[dict[str, list[int]], list[tuple[Finding, int]], int]:
    """Counts and top records the plain way, from every finding held in memory."""
    per_record: dict[tuple[str | None, int | None], list[Finding]] = {}
    concepts: dict[str, list[int]] = {}
    records: dict[str, set[tuple[str | None, int | None]]] = {}
    for f in findings:
        per_record.setdefault((f.source, f.row), []).append(f)
        counts = concepts.setdefault(f.concept, [0, 0, 0, 0])
        counts[0] += 1
        counts[1 + _SEVERITIES.index(f.severity)] += 1
        records.setdefault(f.concept, set()).add((f.source, f.row))
    for concept, counts in concepts.items():
        counts.insert(1, len(records[concept]))
    heads = sorted(
        ((min(group, key=rank), len(group) - 1) for group in per_record.values()),
        key=lambda h: (-h[0].severity.rank, -h[0].score, h[0].source or "", h[0].row or 0),
    )[:top]
    return concepts, heads, len(per_record)


@pytest.mark.parametrize(("records", "top"), [(0, 10), (5, 10), (40, 3), (300, 1000), (2000, 10)])
def test_the_digest_equals_keeping_every_finding(records: int, top: int) -> None:
    findings = list(_findings(records, seed=records))
    digest = FindingDigest(top).add_all(findings)
    concepts, heads, total = _kept(findings, top)
    assert {c: [n.findings, n.records, *n.by_severity] for c, n in digest.concepts.items()} == concepts
    assert [(h.finding, h.others) for h in digest.heads()] == heads
    assert digest.records == total


def test_the_digest_stays_small_whatever_the_number_of_findings() -> None:
    def peak(records: int) -> int:
        tracemalloc.start()
        FindingDigest(10).add_all(_findings(records, seed=1)).heads()
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    assert peak(20_000) < 2 * peak(2_000)


def _query(row: int, term: str, count: int | None, *, text: str = "", severity: Severity = Severity.BLOCK,
           concept: str = "ivory", start: int = 0) -> Finding:  # fmt: skip
    return Finding(
        concept=concept, term=term, lang="en", kind=Kind.NAME, severity=severity, matched=term, start=start,
        end=start + len(term), method=Method.EXACT, score=1.0, source="q.tsv", record=str(row), row=row,
        field="query", before="", after=text, count=count,
    )


def test_searches_are_added_up_per_term_and_action_once_per_query() -> None:
    findings = [
        _query(1, "ivory", 100, text=" bangle"),
        _query(1, "ivory", 100, text=" bangle", start=20),  # the same term twice in one query
        _query(1, "dm for price", 100, severity=Severity.MONITOR, concept="trade_context"),
        _query(2, "ivory", 40, text=" bangle"),  # the same query again: one more search, not a query
        _query(3, "ivory", 5, text=" netsuke"),
        _query(4, "rhino horn", 300, concept="rhino_horn"),
        _query(5, "ivory", 1, severity=Severity.REVIEW, text=" dress"),
    ]
    digest = FindingDigest(2).add_all(findings)
    block = [(t.term, t.concept, t.searches, t.queries) for t in digest.most_searched(Action.BLOCK)]
    assert block == [("rhino horn", "rhino_horn", 300, 1), ("ivory", "ivory", 145, 2)]
    assert [(t.term, t.searches) for t in digest.most_searched(Action.WARN)] == [("ivory", 1)]
    assert [(t.term, t.searches) for t in digest.most_searched(Action.MONITOR)] == [("dm for price", 100)]
    assert digest.most_searched(Action.ALLOW) == []
    assert {c: (n.records, n.searches) for c, n in digest.concepts.items()} == {
        "ivory": (4, 146), "trade_context": (1, 100), "rhino_horn": (1, 300)}


def test_top_cuts_the_most_searched_terms_ties_by_queries_then_name() -> None:
    findings = [_query(i, term, 10, text=str(i)) for i, term in enumerate(["b", "a", "c", "a"], 1)]
    digest = FindingDigest(2).add_all(findings)
    assert [(t.term, t.searches, t.queries) for t in digest.most_searched(Action.BLOCK)] == [("a", 20, 2), ("b", 10, 1)]


def test_findings_without_counts_add_no_searches() -> None:
    digest = FindingDigest(10).add_all(_findings(50, seed=3))
    assert digest.terms == {}
    assert all(counts.searches == 0 for counts in digest.concepts.values())
