"""Checking queries in bulk: each query with its action and findings, as checking it alone gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

import wildcli
from wildcli.errors import InputError
from wildcli.lexicon.actions import Action
from wildcli.match.matcher import Matcher
from wildcli.readers import CountedRecord, Record
from wildcli.scanning.local import HeldErrors, ScanSummary
from wildcli.scanning.queries import ActionTally, QueryResult, check_paths, check_queries

QUERIES = ["ngà voi", "teak table", "carved ivory bangle", "象牙 手镯", "", "bovine bone, ngà voi", "1v0ry"]


def _records() -> list[Record]:
    return [CountedRecord("q.txt", i, str(i), {"query": q} if q else {}, i, 10 * i) for i, q in enumerate(QUERIES, 1)]


def test_each_query_gets_what_checking_it_alone_gives(fixture_matcher: Matcher) -> None:
    results = list(check_queries(_records(), fixture_matcher))
    assert [r.query for r in results] == QUERIES
    assert [r.count for r in results] == [10, 20, 30, 40, 50, 60, 70]
    for result in results:
        alone = fixture_matcher.find(result.query) if result.query else []
        assert [(f.term, f.start, f.end, f.method) for f in result.findings] == [
            (f.term, f.start, f.end, f.method) for f in alone]
        assert all(f.count == result.count and f.row == result.record.row for f in result.findings)
        assert result.action is Action.strongest(f.action for f in alone)
    assert [r.action.value for r in results] == ["block", "allow", "warn", "block", "allow", "block", "warn"]


def test_a_pause_and_held_errors_keep_their_place(fixture_matcher: Matcher) -> None:
    records = _records()
    seen: list[object] = []
    held = HeldErrors(seen.append)

    def stream() -> object:
        yield records[0]
        yield None  # a stream that paused
        held(InputError("bad line"))
        yield from records[1:3]

    for result in check_queries(stream(), fixture_matcher, held):  # type: ignore[arg-type]
        assert result.query
        seen.append(result.record.row)  # after the errors released before it
    assert [getattr(e, "message", e) for e in seen] == [1, "bad line", 2, 3]


def test_a_record_with_several_text_fields_is_one_query(fixture_matcher: Matcher) -> None:
    result = QueryResult(Record("d.csv", 1, "1", {"title": "ngà voi", "note": "teak"}), [])
    assert (result.query, result.count, result.action) == ("ngà voi | teak", 1, Action.ALLOW)
    assert result.to_dict() == {"query": "ngà voi | teak", "count": 1, "action": "allow", "findings": []}


def test_check_paths_counts_queries_searches_and_problems(tmp_path: Path, fixture_matcher: Matcher) -> None:
    log = tmp_path / "log.tsv"
    log.write_text("query\tsearches\nngà voi\t1,000\nteak\tnone\nteak\t5\n", "utf-8")
    summary, errors = ScanSummary(), []
    results = list(check_paths([str(log), str(tmp_path / "missing.txt")], fixture_matcher, summary=summary,
                               on_error=lambda e: errors.append(str(e))))  # fmt: skip
    assert [(r.query, r.count, r.action.value) for r in results] == [("ngà voi", 1000, "block"), ("teak", 5, "allow")]
    assert errors == [
        f"{log}:3: searches: not a count: 'none' (a whole number of 0 or more, such as 1234 or 1,234)",
        f"{tmp_path / 'missing.txt'}: no such file",
    ]
    assert (summary.files, summary.records, summary.searches, summary.searches_with_findings) == (2, 2, 1005, 1000)
    assert (summary.bad_rows, summary.missing_inputs, summary.findings, summary.counted) == (1, 1, 1, True)
    tally = ActionTally()
    for result in results:
        tally.add(result)
    assert (tally.queries, tally.searches) == ({Action.BLOCK: 1, Action.ALLOW: 1}, {Action.BLOCK: 1000, Action.ALLOW: 5})


def test_without_on_error_the_first_problem_is_raised(tmp_path: Path, fixture_matcher: Matcher) -> None:
    path = tmp_path / "q.txt"
    path.write_bytes("ngà voi\n".encode() + b"\xff\n")
    with pytest.raises(InputError, match="invalid UTF-8"):
        list(check_paths([str(path)], fixture_matcher))


def test_the_library_exports_it() -> None:
    assert wildcli.check_queries is check_queries
    assert wildcli.check_paths is check_paths
    assert wildcli.QueryResult is QueryResult
    assert wildcli.CountedRecord is CountedRecord
