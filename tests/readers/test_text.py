"""Query files: one search query a line, blank lines skipped, bad lines reported by line and byte."""

from __future__ import annotations

import gzip

import pytest

from wildcli.errors import InputError
from wildcli.readers import CountedRecord, InputFormat, ReadOptions, read_records

from .support import Read


def _rows(result: object) -> list[tuple[int, str, int | None, dict[str, str]]]:
    return [(r.row, r.id, r.line, dict(r.fields)) for r in result.records]  # type: ignore[attr-defined]


def test_each_non_blank_line_is_a_query_named_by_its_line(write, read: Read) -> None:
    path = write("q.txt", "carved ivory bangle\n\n   \n  ngà voi  \t\n象牙 手镯\n")
    result = read(path)
    assert result.errors == []
    assert _rows(result) == [
        (1, "1", 1, {"query": "carved ivory bangle"}),
        (2, "4", 4, {"query": "ngà voi"}),
        (3, "5", 5, {"query": "象牙 手镯"}),
    ]
    assert all(type(r) is CountedRecord and r.count == 1 and r.source == str(path) for r in result.records)


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"])
def test_line_endings_are_not_part_of_the_query(write, read: Read, ending: str) -> None:
    path = write("q.txt", ending.join(["rhino horn", "", "pangolin scales"]))  # no ending after the last
    assert _rows(read(path)) == [(1, "1", 1, {"query": "rhino horn"}), (2, "3", 3, {"query": "pangolin scales"})]


def test_unicode_spaces_around_a_query_go_but_invisible_letters_inside_stay(write, read: Read) -> None:
    path = write("q.txt", "\u3000象牙\u3000\n\u00a0iv\u200bory\u00a0\n")
    assert read(path).column("query") == ["象牙", "iv\u200bory"]


def test_nul_and_undecodable_bytes_are_reported_by_line_and_byte_and_skipped(write, read: Read) -> None:
    path = write("q.txt", b"ivory\nba\x00d\ncaf\xe9 \xff\n\xef\xbb\xbfstill fine\ntiger bone\n")
    result = read(path)
    assert result.column("query") == ["ivory", "\ufeffstill fine", "tiger bone"]
    assert [(r.row, r.id) for r in result.records] == [(1, "1"), (4, "4"), (5, "5")]
    assert result.messages == [f"{path}:2: NUL byte at byte 3", f"{path}:3: invalid UTF-8 at byte 4"]


@pytest.mark.parametrize(("bom", "codec"), [
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
])  # fmt: skip
def test_a_bad_byte_on_the_first_line_counts_the_byte_order_mark(write, read: Read, bom: bytes, codec: str) -> None:
    path = write("q.txt", bom + "a\x00\nivory\n".encode(codec))
    result = read(path)
    assert result.column("query") == ["ivory"]
    assert result.messages == [f"{path}:1: NUL byte at byte {len(bom) + len('a'.encode(codec)) + 1}"]


def test_over_long_lines_are_skipped_and_keep_their_record_number(write, read: Read) -> None:
    path = write("q.txt", "short\n" + "y" * 30 + "\n" + "x" * 20 + "\r\nlast\n")
    result = read(path, max_record_bytes=20)
    assert [(r.row, r.id, r.fields["query"]) for r in result.records] == [(1, "1", "short"), (3, "3", "x" * 20),
                                                                         (4, "4", "last")]  # fmt: skip
    assert result.messages == [f"{path}:2: line is longer than 20 bytes"]


def test_gzip_stdin_and_the_format_asked_for(write, read: Read) -> None:
    text = b"ivory netsuke\n\nrhino horn\n"
    assert read(write("q.txt.gz", gzip.compress(text))).column("query") == ["ivory netsuke", "rhino horn"]
    assert read("-", stdin=text, format=InputFormat.TEXT).ids == ["1", "3"]
    assert read("-", stdin=gzip.compress(text), format=InputFormat.TEXT).ids == ["1", "3"]
    assert read(write("queries.log", text), format=InputFormat.TEXT).column("query") == ["ivory netsuke", "rhino horn"]
    # Without being asked, a stream of queries reads as a CSV whose header is the first query.
    assert [dict(r.fields) for r in read("-", stdin=text).records] == [{"ivory netsuke": "rhino horn"}]


def test_a_query_that_looks_like_json_or_csv_is_still_text(write, read: Read) -> None:
    path = write("q.txt", '{"id": 1}\nivory,bangle;"quoted"\n')
    assert read(path).column("query") == ['{"id": 1}', 'ivory,bangle;"quoted"']


def test_fields_other_than_query_are_reported_once_at_the_end(write, read: Read) -> None:
    path = write("q.txt", "ivory\nrhino horn\n")
    result = read(path, fields=("title", "query"), id_field="id")
    assert result.column("query") == ["ivory", "rhino horn"]
    assert result.messages == [f"{path}: field 'title' not found in any record",
                               f"{path}: id field 'id' not found in any record"]  # fmt: skip
    assert [dict(r.fields) for r in read(path, fields=("title",)).records] == [{}, {}]


def test_a_count_field_is_reported_once_the_counts_are_all_one(write, read: Read) -> None:
    path = write("q.txt", "ivory\nrhino horn\n")
    result = read(path, count_field="count")
    assert result.messages == [f"{path}: count field 'count' not read: counts come from CSV and TSV files only"]
    assert [r.count for r in result.records] == [1, 1]


def test_blank_file_is_empty(write, read: Read) -> None:
    path = write("q.txt", "\n \r\n\t\n")
    assert read(path).messages == [f"{path}: empty file"]


def test_without_on_error_the_first_bad_line_is_raised(write) -> None:
    path = write("q.txt", b"ivory\nbad \xff\n")
    records = read_records(str(path), ReadOptions())
    assert next(records).fields == {"query": "ivory"}
    with pytest.raises(InputError, match=r"q\.txt:2: invalid UTF-8 at byte 5"):
        next(records)
