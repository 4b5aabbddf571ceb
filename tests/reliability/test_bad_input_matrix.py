"""Every kind of bad dump through `wildcli scan`: one line per problem, the exit code, good rows kept.

Each case writes a dump whose good rows surround the bad part (rows A and C, or a second good
file for problems with a whole file) and checks the exact stderr lines, the exit code and the
records with findings. Memory-bound cases run in a subprocess and measure its peak RSS.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pytest

from tests.conftest import ROOT, VALID_LEXICON
from tests.reliability.support import Scan, fixture_args, measure, scan
from wildcli.errors import InputError
from wildcli.readers import MAX_RECORD_BYTES, ReadOptions, read_records

GOOD = b'{"id": "G1", "title": "carved ivory"}\n'
HEAD = "id,title\nA,carved ivory\n"
TAIL = "C,出售老象牙手镯\n"
DEEP = '{"a": ' * 10_000 + "1" + "}" * 10_000
WIDE = 100_000


def _csv(middle: str) -> bytes:
    return (HEAD + middle + TAIL).encode("utf-8")


def _jsonl(*objects: object) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode("utf-8")


def _rows(count: int) -> bytes:
    return ("id,title\n" + "".join(f"R{i},carved ivory number {i}\n" for i in range(count))).encode()


def _truncated_gzip(data: bytes, keep: float) -> bytes:
    packed = gzip.compress(data)
    return packed[: int(len(packed) * keep)]


@dataclass(frozen=True)
class Case:
    """One bad dump. `content` None: the file does not exist; "dir": a directory of that name.

    `stderr` lines may use {p} for the dump's path and {g} for the good file's; the last line
    is always the `scanned ...` summary, with the time blanked to T.
    """

    id: str
    name: str
    content: bytes | str | None
    stderr: tuple[str, ...]
    code: int
    found: tuple[str, ...]
    args: tuple[str, ...] = ()
    with_good: bool = False
    check: Callable[[Scan], None] | None = field(default=None, compare=False)


def _summary(records: int, findings: int, with_findings: int) -> str:
    return f"scanned {records} records in T: {findings} findings in {with_findings} records"


def _many_kept(result: Scan) -> None:
    assert result.records[:3] == ["R0", "R1", "R2"]
    assert len(result.records) > 1000  # what came before the cut was scanned


def _title_2(result: Scan) -> None:
    assert [f["field"] for f in result.findings] == ["title_2"]


def _list_field(result: Scan) -> None:
    assert [(f["record"], f["matched"], f["start"]) for f in result.findings] == [("A", "ivory", 14)]  # "carved\ncarved ivory\n3"


CASES = [
    Case("missing file", "nope.csv", None, ("error: {p}: no such file", _summary(1, 1, 1)), 66, ("G1",),
         with_good=True),
    Case("directory", "adir", "dir", ("error: {p}: is a directory", _summary(1, 1, 1)), 66, ("G1",),
         with_good=True),
    Case("empty file", "empty.csv", b"", ("error: {p}: empty file", _summary(1, 1, 1)), 65, ("G1",),
         with_good=True),
    Case("whitespace only", "blank.jsonl", b" \n\t\n", ("error: {p}: empty file", _summary(1, 1, 1)), 65,
         ("G1",), with_good=True),
    Case("header only", "head.csv", b"id,title\n", (_summary(1, 1, 1),), 0, ("G1",), with_good=True),
    Case("ragged rows", "ragged.csv", _csv("B1,x,carved ivory\nB2\n"), (
        "error: {p}:3: row has 3 fields, header has 2; the extra field is scanned as column_3",
        "error: {p}:4: row has 1 field, header has 2",
        "error: 1 unreadable row skipped; 3 other records scanned", _summary(3, 3, 3)), 65, ("A", "B1", "C")),
    Case("unterminated quote", "quote.csv", _csv('B,"never closed\n'), (
        "error: {p}:3: quoted field is never closed",
        "error: 1 unreadable row skipped; 1 other record scanned", _summary(1, 1, 1)), 65, ("A",)),
    Case("NUL byte", "nul.csv", _csv("B,ba\x00d\n"), (
        "error: {p}:3: NUL byte at byte 5",
        "error: 1 unreadable row skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("A", "C")),
    Case("invalid UTF-8", "bad.csv", _csv("").replace(b"A,", b"B,caf\xe9 \xff\nA,"), (
        "error: {p}:2: invalid UTF-8 at byte 6",
        "error: 1 unreadable row skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("A", "C")),
    Case("latin-1 row in a UTF-8 file", "mixed.csv", _csv("").replace(b"C,", b"B,tortue \xe9caille\nC,"), (
        "error: {p}:3: invalid UTF-8 at byte 10",
        "error: 1 unreadable row skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("A", "C")),
    # Forcing the encoding reads every byte; the UTF-8 row then decodes to mojibake, no finding.
    Case("--encoding forces a reading", "mixed.csv", _csv("").replace(b"C,", b"B,tortue \xe9caille\nC,"),
         (_summary(3, 1, 1),), 0, ("A",), args=("--encoding", "latin-1")),
    Case("UTF-8 BOM", "bom8.csv", b"\xef\xbb\xbf" + _csv(""), (_summary(2, 2, 2),), 0, ("A", "C")),
    Case("UTF-16 LE BOM", "bom16le.csv", b"\xff\xfe" + (HEAD + TAIL).encode("utf-16-le"),
         (_summary(2, 2, 2),), 0, ("A", "C")),
    Case("UTF-16 BE BOM", "bom16be.jsonl", b"\xfe\xff" + _jsonl(
        {"id": "A", "title": "carved ivory"}, {"id": "C", "title": "出售老象牙手镯"}).decode().encode("utf-16-be"),
        (_summary(2, 2, 2),), 0, ("A", "C")),
    Case("UTF-16 without BOM, forced", "u16.csv", (HEAD + TAIL).encode("utf-16-le"), (_summary(2, 2, 2),), 0,
         ("A", "C"), args=("--encoding", "utf-16")),
    Case("unknown encoding", "d.csv", _csv(""), ("error: unknown encoding 'klingon'",), 2, (),
         args=("--encoding", "klingon")),
    Case("bad JSON line", "bad.jsonl", _jsonl({"id": "A", "title": "carved ivory"}) + b'{"id": "B", "title": }\n'
         + _jsonl({"id": "C", "title": "出售老象牙手镯"}), (
        "error: {p}:2:22: not valid JSON: unexpected character, expected a JSON value",
        "error: 1 unreadable row skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("A", "C")),
    Case("truncated gzip", "cut.csv.gz", _truncated_gzip(_rows(20_000), 0.5), (
        "error: {p}: gzip stream is truncated", _summary(-1, -1, -1)), 65, (), check=_many_kept),
    Case("truncated gzip header", "head.csv.gz", _truncated_gzip(_rows(5), 0.3),
         ("error: {p}: gzip stream is truncated", _summary(1, 1, 1)), 66, ("G1",), with_good=True),
    Case("gzip that is not gzip", "plain.csv.gz", _csv(""), ("error: {p}: not a gzip file", _summary(1, 1, 1)),
         66, ("G1",), with_good=True),
    Case("gzip without .gz name", "packed.csv", gzip.compress(_csv("")), (_summary(2, 2, 2),), 0, ("A", "C")),
    Case("JSON with trailing garbage", "tail.json", b'[{"id": "A", "title": "carved ivory"}]\n]junk',
         ("error: {p}: trailing garbage after the JSON document", _summary(1, 1, 1)), 65, ("A",)),
    Case("JSON scalar", "scalar.json", b"42", ("error: {p}: JSON is a number, not an array of objects",
                                              _summary(1, 1, 1)), 66, ("G1",), with_good=True),
    Case("JSON object without records", "obj.json", b'{"title": "carved ivory"}', (
        "error: {p}: JSON object holds no array of objects (one object per line is format jsonl)",
        _summary(1, 1, 1)), 66, ("G1",), with_good=True),
    Case("JSON nested 10,000 deep", "deep.json",
         f'[{{"id": "A", "title": "carved ivory"}}, {DEEP}, {{"id": "C", "title": "出售老象牙手镯"}}]',
         ("error: {p}: record 2: JSON is nested too deeply",
          "error: 1 unreadable row skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("A", "C")),
    Case("JSON Lines nested 10,000 deep", "deep.jsonl",
         '{"id": "A", "title": "carved ivory"}\n' + DEEP + '\n{"id": "C", "title": "出售老象牙手镯"}\n',
         ("error: {p}:2: JSON is nested too deeply",
          "error: 1 unreadable row skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("A", "C")),
    Case("non-string values", "types.jsonl", _jsonl(
        {"id": "A", "title": ["carved", "carved ivory", 3, None, {"x": 1}]}, {"id": "B", "title": 5},
        {"id": "C", "title": None}, {"id": "D", "title": {"x": "carved ivory"}}, {"id": "E", "title": True},
        {"id": 6.5, "title": False}), (_summary(6, 1, 1),), 0, ("A",), check=_list_field),
    Case("field path that does not exist", "paths.jsonl", _jsonl(
        {"id": "A", "title": "carved ivory", "seller": {"name": "Bo"}}),
        ("error: {p}: field 'seller.nick' not found in any record", _summary(1, 1, 1)), 65, ("A",),
        args=("--fields", "title,seller.nick")),
    Case("nested field path", "nested.jsonl", _jsonl(
        {"id": "A", "title": "x", "seller": {"name": "carved ivory"}}), (_summary(1, 1, 1),), 0, ("A",),
        args=("--fields", "seller.name")),
    Case("column that does not exist", "cols.csv", _csv(""), (
        "error: {p}:1: field 'body' not found in the header", _summary(2, 2, 2)), 65, ("A", "C"),
        args=("--fields", "title,body")),
    Case("id missing on some rows", "ids.jsonl", _jsonl(
        {"id": "A", "title": "carved ivory"}, {"title": "carved ivory"}, {"id": "", "title": "carved ivory"},
        {"id": None, "title": "carved ivory"}), (_summary(4, 4, 4),), 0, ("A", "2", "3", "4")),
    Case("id missing in CSV rows", "ids.csv", _csv(",carved ivory\n  ,carved ivory\n"), (_summary(4, 4, 4),),
         0, ("A", "2", "3", "C")),
    Case("duplicate column names", "dup.csv", b"id,title,title\nA,plain,carved ivory\n", (_summary(1, 1, 1),),
         0, ("A",), check=_title_2),
    Case("100,000 columns", "wide.csv", (",".join(["id", "title", *(f"c{i}" for i in range(WIDE - 2))]) + "\n"
                                        + ",".join(["A", "carved ivory", *("0" * (WIDE - 2))]) + "\n"),
         (_summary(1, 1, 1),), 0, ("A",)),
    Case("--max-errors stops", "many.csv", _csv("B1\nB2\nB3\n"), (
        "error: {p}:3: row has 1 field, header has 2",
        "error: {p}:4: row has 1 field, header has 2",
        "error: stopped after 2 unreadable rows (--max-errors/--strict)", _summary(1, 1, 1)), 65, ("A",),
        args=("--max-errors", "2")),
    Case("--strict stops at the first", "many.csv", _csv("B1\nB2\n"), (
        "error: {p}:3: row has 1 field, header has 2",
        "error: stopped after 1 unreadable row (--max-errors/--strict)", _summary(1, 1, 1)), 65, ("A",),
        args=("--strict",)),
    Case("--strict on a clean dump", "clean.csv", _csv(""), (_summary(2, 2, 2),), 0, ("A", "C"),
         args=("--strict",)),
    # Query files (one query a line): the id is the line number, blank lines are no records.
    Case("query file with blank lines and CRLF", "q.txt", b"carved ivory\r\n\r\n  \t\r\n\xe5\x87\xba\xe5\x94\xae\xe8\xb1\xa1\xe7\x89\x99\r\n",
         (_summary(2, 2, 2),), 0, ("1", "4")),
    Case("query file with bad lines", "q.txt", b"carved ivory\nba\x00d\ncaf\xe9 \xff\n\n\xe5\x87\xba\xe5\x94\xae\xe8\xb1\xa1\xe7\x89\x99\n", (
        "error: {p}:2: NUL byte at byte 3",
        "error: {p}:3: invalid UTF-8 at byte 4",
        "error: 2 unreadable rows skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("1", "5")),
    Case("query file with a UTF-16 BOM", "q16.txt", b"\xff\xfe" + "carved ivory\n出售老象牙手镯\n".encode("utf-16-le"),
         (_summary(2, 2, 2),), 0, ("1", "2")),
    Case("gzipped query file", "q.txt.gz", gzip.compress(b"\ncarved ivory\n"), (_summary(1, 1, 1),), 0,
         ("2",)),
    Case("query file that is blank", "blank.txt", b"\n\n \n", ("error: {p}: empty file", _summary(1, 1, 1)), 65,
         ("G1",), with_good=True),
    Case("query file asked for a field", "f.txt", b"carved ivory\n", (
        "error: {p}: field 'title' not found in any record", _summary(1, 0, 0)), 65, (), args=("--fields", "title")),
    # Query logs: a bad count makes the row unreadable; its query is not scanned.
    Case("query log with a bad count", "log.tsv", "query\tsearches\ncarved ivory\t1,200\nrhino horn\tlots\n"
         "出售老象牙手镯\t-4\ncarved ivory bangle\t7\n".encode(), (
        "error: {p}:3: searches: not a count: 'lots' (a whole number of 0 or more, such as 1234 or 1,234)",
        "error: {p}:4: searches: not a count: '-4' (a whole number of 0 or more, such as 1234 or 1,234)",
        "error: 2 unreadable rows skipped; 2 other records scanned", _summary(2, 2, 2)), 65, ("1", "4")),
    Case("count field not in the header", "log.csv", b"query,n\ncarved ivory,3\n", (
        "error: {p}:1: count field 'searches' not found in the header", _summary(1, 1, 1)), 65, ("1",),
        args=("--count-field", "searches")),
    Case("count field of a JSON Lines dump", "log.jsonl", GOOD, (
        "error: {p}: count field 'n' not read: counts come from CSV and TSV files only", _summary(1, 1, 1)), 65,
        ("G1",), args=("--count-field", "n")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    if case.content == "dir":
        path.mkdir()
    elif case.content is not None:
        path.write_bytes(case.content.encode("utf-8") if isinstance(case.content, str) else case.content)
    paths = [str(path)]
    good = tmp_path / "good.jsonl"
    if case.with_good:
        good.write_bytes(GOOD)
        paths.append(str(good))
    result = scan(*paths, *case.args)
    expected = [line.format(p=path, g=good) for line in case.stderr]
    if case.check is None:
        assert result.stderr == expected
        assert result.records == list(case.found)
    else:  # how many records came before the cut depends on the compressor: only the shape is fixed
        assert result.stderr[:-1] == expected[:-1]
        assert re.fullmatch(r"scanned \d+ records in T: \d+ findings in \d+ records", result.stderr[-1])
        case.check(result)
    assert result.code == case.code


# --- memory: a huge field and an endless line, in a subprocess whose peak RSS is measured ---


def _baseline_rss(tmp_path: Path) -> int:
    small = tmp_path / "small.csv"
    small.write_bytes(_csv(""))
    return measure(["scan", str(small), *fixture_args()]).peak_rss


def test_100_mb_field_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.write(HEAD.encode() + b"B,")
        piece = b"ivory tusk " * 100_000
        for _ in range(100 * 1024 * 1024 // len(piece) + 1):
            out.write(piece)
        out.write(b"\n" + TAIL.encode())
    size = path.stat().st_size
    result = measure(["scan", str(path), *fixture_args()])
    assert result.stderr[:2] == [
        f"error: {path}:3: line is longer than 16 MiB",
        "error: 1 unreadable row skipped; 2 other records scanned",
    ]
    assert result.code == 65
    assert [json.loads(line)["record"] for line in result.stdout.splitlines()] == ["A", "C"]
    growth = result.peak_rss - _baseline_rss(tmp_path)
    # The reader holds at most one line of MAX_RECORD_BYTES before giving up on it.
    assert growth < 3 * MAX_RECORD_BYTES < size / 2, f"peak grew by {growth / 2**20:.0f} MiB"


def test_1_gb_line_without_newline_on_stdin_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    size = 1 << 30

    def produce(pipe: BinaryIO) -> None:
        try:
            pipe.write(_jsonl({"id": "A", "title": "carved ivory"}) + b'{"id": "B", "title": "')
            block = b"y" * (1 << 20)
            for _ in range(size // len(block)):
                pipe.write(block)
            pipe.write(b'"}\n' + _jsonl({"id": "C", "title": "出售老象牙手镯"}))
        finally:
            pipe.close()

    read_end, write_end = os.pipe()
    writer = os.fdopen(write_end, "wb")
    thread = threading.Thread(target=produce, args=(writer,), daemon=True)
    thread.start()
    try:
        result = measure(["scan", "-", *fixture_args()], stdin=read_end, timeout=120)
    finally:
        os.close(read_end)
        thread.join(timeout=10)
    assert result.stderr[:2] == [
        "error: <stdin>:2: line is longer than 16 MiB",
        "error: 1 unreadable row skipped; 2 other records scanned",
    ]
    assert result.code == 65
    assert [json.loads(line)["record"] for line in result.stdout.splitlines()] == ["A", "C"]
    growth = result.peak_rss - _baseline_rss(tmp_path)
    assert growth < 3 * MAX_RECORD_BYTES, f"peak grew by {growth / 2**20:.0f} MiB for a 1 GiB line"


# --- the same limits, scaled down through ReadOptions, where the CLI cannot set them ---


def _read(path: Path, limit: int) -> tuple[list[str], list[str]]:
    errors: list[InputError] = []
    ids = [r.id for r in read_records(str(path), ReadOptions(max_record_bytes=limit), on_error=errors.append)]
    return ids, [str(e) for e in errors]


def test_quoted_field_over_the_limit_is_skipped_to_its_real_end(tmp_path: Path) -> None:
    # A field spanning lines: every line is short, only the record is long. Before, the csv
    # module grew it to its field limit and then read the rest of the field as rows of its own.
    body = "ivory tusk, carved\n" * 2000
    path = tmp_path / "multi.csv"
    path.write_text(f'{HEAD}B,"{body}"\n{TAIL}D,"a ""quoted"" word, fine"\n', "utf-8")
    assert _read(path, 4096) == (["A", "C", "D"], [f"{path}:3: field is longer than 4 KiB"])


def test_over_long_line_inside_a_quoted_field_keeps_the_rows_after(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(f'{HEAD}B,"short\n{"y" * 9000}\nend of it"\n{TAIL}', "utf-8")
    assert _read(path, 4096) == (["A", "C"], [f"{path}:4: line is longer than 4 KiB"])


def test_over_long_first_line_that_opens_a_quote_keeps_the_rows_after(tmp_path: Path) -> None:
    path = tmp_path / "opens.csv"
    path.write_text(f'{HEAD}B,"{"y" * 9000}\nstill, the, same "" field\n"\n{TAIL}', "utf-8")
    assert _read(path, 4096) == (["A", "C"], [f"{path}:3: line is longer than 4 KiB"])


def test_json_record_over_the_limit_ends_the_file_keeping_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    records = [{"id": "A", "title": "carved ivory"}, {"id": "B", "title": "y" * 200_000}, {"id": "C"}]
    path.write_text(json.dumps(records), "utf-8")
    assert _read(path, 64 * 1024) == (["A"], [f"{path}: record 2 is longer than 64 KiB; the rest is not read"])


# --- the same messages on every core ---


def test_file_problems_read_the_same_with_jobs(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"  # over two partitions, so --jobs 2 really uses workers
    big.write_bytes(_jsonl(*({"id": f"R{i}", "title": f"plain listing number {i:08d}"} for i in range(40_000))))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    one, two = (scan(str(empty), str(big), "--jobs", jobs) for jobs in ("1", "2"))
    assert one.stderr == [f"error: {empty}: empty file", _summary(40_000, 0, 0)]
    assert two.stderr == one.stderr


# --- a listing crafted to be expensive to match ---

_DENSE = """
import sys, time
sys.path.insert(0, {root!r})
from wildcli.lexicon import load_lexicon
from wildcli.match.matcher import Matcher
matcher = Matcher(load_lexicon([{lexicon!r}]))
matcher.find("carved ivory")
for repeats in (1_500, 15_000):  # 195 KB and 15,000 hits at most: well under the 16 MiB limit
    start = time.perf_counter()
    found = matcher.find("carved ivory " * repeats)
    print(len(found), time.perf_counter() - start)
"""


def test_a_field_full_of_hits_is_matched_in_about_linear_time() -> None:
    # Ten times the hits may take ten times as long, not a hundred: a ratio of two runs in the
    # same process, so a busy machine slows both alike.
    code = _DENSE.format(root=str(ROOT), lexicon=str(VALID_LEXICON))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    (small_hits, small), (hits, seconds) = (line.split() for line in proc.stdout.splitlines())
    assert (int(small_hits), int(hits)) == (1_500, 15_000)
    assert float(seconds) / float(small) < 30
