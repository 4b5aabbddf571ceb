"""Query logs: a CSV/TSV with a count column, counts read and checked, the column never scanned."""

from __future__ import annotations

import pytest

from wildcli.readers import CountedRecord, Record
from wildcli.readers.counts import COUNT_NAMES, detect_count_field, parse_count

from .support import Read

_WHAT = "(a whole number of 0 or more, such as 1234 or 1,234)"


@pytest.mark.parametrize(("text", "count"), [
    ("0", 0), ("7", 7), (" 12 ", 12), ("007", 7), ("1,234", 1234), ("12,345,678", 12_345_678),
    ("999999999999999999", 999_999_999_999_999_999), ("999,999,999,999,999,999", 999_999_999_999_999_999),
])  # fmt: skip
def test_counts_are_whole_numbers_with_optional_thousands_commas(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", [
    "", " ", "abc", "-1", "+5", "1.5", "12.0", "1.234", "1 234", "1,23", "1,2345", ",123", "123,", "1_000",
    "１２", "1e3", "0x10", "1000000000000000000", "1,000,000,000,000,000,000",
])  # fmt: skip
def test_anything_else_is_not_a_count(text: str) -> None:
    assert parse_count(text) is None


def test_the_count_column_is_found_by_its_name() -> None:
    assert COUNT_NAMES == ("count", "searches", "search_count", "frequency", "freq", "impressions", "hits")
    assert detect_count_field(["query", " Searches ", "hits"]) == " Searches "
    assert detect_count_field(["query", "search_count"]) == "search_count"
    assert detect_count_field(["query", "counts", "hit", "page_hits", "count_2"]) is None


@pytest.mark.parametrize("name", COUNT_NAMES)
def test_a_query_log_gives_counted_records(write, read: Read, name: str) -> None:
    path = write("log.csv", f"query,{name.upper()}\ncarved ivory,1500\nteak table,3\n")
    result = read(path)
    assert result.errors == []
    assert [(type(r), r.row, r.id, r.line, r.count, dict(r.fields)) for r in result.records] == [
        (CountedRecord, 1, "1", 2, 1500, {"query": "carved ivory"}),
        (CountedRecord, 2, "2", 3, 3, {"query": "teak table"}),
    ]


def test_tsv_with_thousands_separators_and_an_id(write, read: Read) -> None:
    # "query" says text: the market column is not scanned.
    path = write("log.tsv", "query_id\tquery\tsearches\tmarket\nQ1\tngà voi\t1,234\tvn\nQ2\t象牙\t0\tcn\n")
    result = read(path)
    assert result.errors == []
    assert [(r.id, r.count, dict(r.fields)) for r in result.records] == [
        ("Q1", 1234, {"query": "ngà voi"}), ("Q2", 0, {"query": "象牙"})]


def test_a_row_with_a_bad_count_is_reported_with_its_column_and_skipped(write, read: Read) -> None:
    path = write("log.tsv", "query\thits\ncarved ivory\t12\nrhino horn\tmany\n象牙\t-3\n"
                            "pangolin\t1.234\nteak\t\nlast\t 5 \n")  # fmt: skip
    result = read(path)
    assert [(r.row, r.line, r.count) for r in result.records] == [(1, 2, 12), (6, 7, 5)]
    bad = [(3, "many"), (4, "-3"), (5, "1.234"), (6, "")]
    assert result.messages == [f"{path}:{line}: hits: not a count: {count!r} {_WHAT}" for line, count in bad]


def test_a_long_bad_count_is_shown_cut_short(write, read: Read) -> None:
    path = write("log.csv", "query,count\nivory," + "9" * 100 + "\n")
    (message,) = read(path).messages
    assert message == f"{path}:2: count: not a count: '{'9' * 40}…' {_WHAT}"


def test_the_count_column_is_never_scanned_as_text(write, read: Read) -> None:
    # Without text-like names every other column is text; the count is still left out, even
    # when --fields names it.
    path = write("log.csv", "q,count\nivory,3\n")
    assert [dict(r.fields) for r in read(path).records] == [{"q": "ivory"}]
    assert [dict(r.fields) for r in read(path, fields=("q", "count")).records] == [{"q": "ivory"}]


def test_count_field_names_the_column(write, read: Read) -> None:
    path = write("log.csv", "query,n,count\nivory,4,9\n")
    (record,) = read(path, count_field="n").records
    assert (record.count, dict(record.fields)) == (4, {"query": "ivory"})
    (record,) = read(path, count_field="n", fields=("query", "count")).records
    assert (record.count, dict(record.fields)) == (4, {"query": "ivory", "count": "9"})


def test_an_empty_count_field_reads_a_dump_whose_hits_column_is_no_count(write, read: Read) -> None:
    path = write("d.csv", "id,title,hits\n1,ivory,1.2k\n")
    assert read(path).messages == [f"{path}:2: hits: not a count: '1.2k' {_WHAT}"]
    result = read(path, count_field="")
    assert result.errors == []
    assert [(type(r), r.count, dict(r.fields)) for r in result.records] == [(Record, 1, {"title": "ivory"})]
    assert read(write("d.jsonl", '{"title": "ivory"}\n'), count_field="").errors == []


def test_a_count_field_missing_from_the_header_is_reported_and_counts_are_not_read(write, read: Read) -> None:
    path = write("log.csv", "query,count\nivory,4\n")
    result = read(path, count_field="searches", fields=("query", "nope"))
    assert result.messages == [f"{path}:1: field 'nope' not found in the header",
                               f"{path}:1: count field 'searches' not found in the header"]  # fmt: skip
    assert [(type(r), r.count) for r in result.records] == [(Record, 1)]


def test_a_count_field_in_json_lines_is_reported_once(write, read: Read) -> None:
    path = write("log.jsonl", '{"query": "ivory", "count": 3}\n{"query": "teak", "count": 1}\n')
    result = read(path, count_field="count")
    assert result.messages == [f"{path}: count field 'count' not read: counts come from CSV and TSV files only"]
    assert [(type(r), r.count) for r in result.records] == [(Record, 1), (Record, 1)]


def test_ordinary_dumps_give_plain_records(write, read: Read) -> None:
    path = write("d.csv", "id,title,price\n1,ivory,3\n")
    assert [(type(r), r.count) for r in read(path).records] == [(Record, 1)]
