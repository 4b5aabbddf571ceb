"""Planning partitions: cuts at record boundaries, the header carried, unsplittable inputs whole."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from tests.test_parallel import make_dump
from wildcli.readers import ReadOptions, Record, read_records
from wildcli.readers.base import InputFormat, Span
from wildcli.readers.ranges import read_range
from wildcli.scanning.partition import Partition, csv_cuts, partition_bytes, plan, plan_file


def read_all(parts: list[Partition], options: ReadOptions = ReadOptions()) -> list[tuple[int, str, int | None, int]]:
    """(row, id, line, count) of every record, numbered across partitions as the scan does it: a
    record without an id is named by its number, a query by its line."""
    rows = lines = 0
    found = []
    for part in parts:
        assert part.layout is not None
        by_line = part.layout.format is InputFormat.TEXT
        span = Span()
        for record in read_range(part.layout, part.start, part.end, options, lambda error: None, span):
            assert record.line is not None
            row, line = rows + record.row, lines + record.line
            found.append((row, record.id or str(line if by_line else row), line, record.count))
        rows, lines = rows + span.rows, lines + span.lines
    return found


def whole(path: Path) -> list[tuple[int, str, int | None, int]]:
    return [(r.row, r.id, r.line, r.count) for r in read_records(str(path), on_error=lambda error: None)]


@pytest.mark.parametrize("name", ["dump.jsonl", "queries.txt"])
def test_line_partitions_start_after_line_feeds_and_cover_the_file(tmp_path: Path, name: str) -> None:
    path = make_dump(tmp_path / name, 300)
    data = path.read_bytes()
    parts = list(plan_file(0, str(path), ReadOptions(), len(data) // 8))
    assert len(parts) > 5
    assert [p.index for p in parts] == list(range(len(parts)))
    assert parts[0].start == 0
    assert parts[-1].end == len(data)
    assert parts[-1].last
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    assert all(data[p.start - 1 : p.start] == b"\n" for p in parts[1:])
    assert not any(p.last for p in parts[:-1])
    assert read_all(parts) == whole(path)


def test_csv_cut_never_falls_inside_a_quoted_field(tmp_path: Path) -> None:
    head = b"id,title\n" + b"".join(f"{i},plain row\n".encode() for i in range(50))
    quoted = b'50,"a field\nover\nmany\nlines, with ""quotes""\nand more"\n'
    tail = b"".join(f"{i},plain row\n".encode() for i in range(51, 100))
    path = tmp_path / "dump.csv"
    path.write_bytes(head + quoted + tail)
    inside = len(head) + quoted.index(b"over")  # a planned boundary falls inside the field
    cuts = list(csv_cuts(str(path), path.stat().st_size, inside))
    assert cuts[0] == len(head) + len(quoted)
    parts = list(plan_file(0, str(path), ReadOptions(), inside))
    assert len(parts) >= 2
    assert read_all(parts) == whole(path)


def test_every_csv_partition_is_read_with_the_header(tmp_path: Path) -> None:
    path = make_dump(tmp_path / "dump.csv", 200)
    parts = list(plan_file(0, str(path), ReadOptions(), 1500))
    assert len(parts) > 3
    last = parts[-1]
    assert last.layout is not None
    assert last.layout.header == ("id", "title", "description", "price")
    records: list[Record] = list(read_range(last.layout, last.start, last.end, ReadOptions(),
                                            lambda error: None, Span()))  # fmt: skip
    assert records
    assert all(set(r.fields) <= {"title", "description"} for r in records)
    assert read_all(parts) == whole(path)


def test_jsonl_ranges_use_the_fields_chosen_on_the_first_object(tmp_path: Path) -> None:
    lines = [{"id": 1, "title": "first"}] + [{"id": i, "title": "t", "note": "n"} for i in range(2, 400)]
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    parts = list(plan_file(0, str(path), ReadOptions(), 1000))
    assert parts[-1].layout is not None
    assert parts[-1].layout.plan == (("title",), "id")


def test_query_log_partitions_keep_the_counts(tmp_path: Path) -> None:
    path = make_dump(tmp_path / "log.tsv", 300)
    parts = list(plan_file(0, str(path), ReadOptions(), 1500))
    assert len(parts) > 3
    assert parts[-1].layout is not None
    assert parts[-1].layout.header == ("query", "searches")
    assert read_all(parts) == whole(path)
    assert len({count for *_, count in whole(path)}) > 100


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("queries.txt.gz", gzip.compress(b"ivory\n" * 2000, mtime=0)),
        ("utf16.txt", "ivory\n".encode("utf-16") * 2000),
        ("dump.jsonl.gz", gzip.compress(b'{"title": "x"}\n' * 2000, mtime=0)),
        ("dump.json", b"[" + b",".join([b'{"title": "x"}'] * 2000) + b"]"),
        ("utf16.jsonl", '{"title": "x"}\n'.encode("utf-16") * 2000),
        ("headerless.csv", b"\n" * 30000),
        ("small.jsonl", b'{"title": "x"}\n' * 10),
    ],
)
def test_inputs_that_cannot_be_split_are_one_partition(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    parts = list(plan_file(3, str(path), ReadOptions(), 50 if name != "small.jsonl" else 10_000))
    assert parts == [Partition(3, str(path), 0, 0, len(content), True)]


def test_stdin_and_missing_files_are_one_partition(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.csv")
    assert list(plan(["-", missing], ReadOptions(), 1000)) == [
        Partition(0, "-", 0, 0, 0, True), Partition(1, missing, 0, 0, 0, True)]


def test_partition_size_gives_each_job_several_partitions(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as handle:
        handle.truncate(40 << 20)  # sparse: no disk space used
    assert partition_bytes([str(big)], 2) == 5 << 20
    assert partition_bytes([str(big)], 1) == 8 << 20
    assert partition_bytes(["-"], 2) == 1 << 20
