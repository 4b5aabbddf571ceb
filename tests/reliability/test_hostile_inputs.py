"""The hostile matrix, second round, for inputs: numbers and nesting the JSON parser cannot take,
keys written twice, damaged gzip, CSV rows wider than their header, UTF-32, blank lines by the
hundred thousand, and hostile files given as a baseline or an HMAC key; `suggest` on unique words.

Every case runs the real command line in a fresh interpreter and checks: no traceback; the exact
exit code (README, "Exit codes") and stderr lines; every good row around the bad part reported
(records A and C, and B where the bad part must still be read); the `--output` file holding
exactly those findings in whole lines, or left as it was when the command stops before scanning,
with no temporary file beside it; and a peak memory (of the process and its children) of at
most 300 MB.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.helpers import FIXTURE
from tests.reliability.support import measure

MAX_PEAK = 300 * 2**20
PREVIOUS = b"previous report\n"
A = {"id": "A", "title": "carved ivory"}
C = {"id": "C", "title": "出售老象牙手镯"}
_ELAPSED = re.compile(r" in \d+\.\ds: ")


def _jsonl(*lines: str | dict[str, object]) -> bytes:
    return "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                   for line in lines).encode()  # fmt: skip


def _json(*records: str | dict[str, object], before: str = "") -> bytes:
    items = ", ".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records)
    return (f'{{{before}"listings": [{items}]}}' if before else f"[{items}]").encode()


def _csv(*rows: str, header: str = "id,title", separator: str = ",") -> bytes:
    return "".join(line.replace(",", separator) + "\n" for line in (header, *rows)).encode()


def _gz(data: bytes, damage: Callable[[bytes], bytes]) -> bytes:
    return damage(gzip.compress(data, mtime=0))


def _bad_crc(packed: bytes) -> bytes:
    return packed[:-8] + bytes([packed[-8] ^ 0xA5]) + packed[-7:]


def _unique_words(size: int) -> Callable[[], bytes]:
    def make() -> bytes:
        rng = random.Random(5)
        out, length, i = [], 0, 0
        while length < size:
            title = " ".join("".join(rng.choices("abcdefghiklmnoprstuvwyz", k=rng.randint(5, 9))) for _ in range(8))
            line = json.dumps({"id": f"U{i}", "title": title + (" carved ivory" if i % 40 == 0 else "")}) + "\n"
            out.append(line)
            length, i = length + len(line), i + 1
        return "".join(out).encode()

    return make


def _summary(records: int, findings: int, with_findings: int) -> str:
    return f"scanned {records} records in T: {findings} findings in {with_findings} records"


def _skipped(rows: int, others: int) -> str:
    return f"error: {rows} unreadable row{'s' if rows > 1 else ''} skipped; {others} other records scanned"


@dataclass(frozen=True)
class Case:
    """One hostile input. `content` is written to `name` (a callable makes it when the case runs);
    {p} in `stderr` and `args` is its path. `found` are the ids of the records with findings;
    `output`: "report" (the --output file holds their findings), "kept" (left as it was),
    "none" (the command writes no file)."""

    id: str
    name: str
    content: bytes | Callable[[], bytes]
    code: int
    stderr: tuple[str, ...]
    found: tuple[str, ...] = ("A", "C")
    args: tuple[str, ...] = ()
    command: str = "scan"
    stdin: bool = False
    output: str = "report"


DEEP_OBJECTS = '{"a": ' * 50_000 + "1" + "}" * 50_000
DEEP_ARRAYS = "[" * 120_000 + "]" * 120_000

CASES = [
    # A JSON number with thousands of digits crashed the process in ijson's C backend.
    Case("JSON integer of 4,301 digits", "n.json", _json(A, '{"id": "B", "n": ' + "7" * 4301 + "}", C), 65,
         ("error: {p}: n: number too long in record 2", _skipped(1, 2), _summary(2, 2, 2))),
    Case("JSON negative integer of 100,000 digits, nested", "n.json",
         _json(A, '{"id": "B", "m": {"x": [-' + "1" * 100_000 + "]}}", C), 65,
         ("error: {p}: m.x: number too long in record 2", _skipped(1, 2), _summary(2, 2, 2))),
    Case("JSON exponent of 25 digits", "n.json", _json(A, '{"id": "B", "p": 3.5e+' + "4" * 25 + "}", C), 65,
         ("error: {p}: p: number too long in record 2", _skipped(1, 2), _summary(2, 2, 2))),
    Case("JSON number of 50,000 digits before the records", "n.json",
         _json(A, C, before='"count": ' + "5" * 50_000 + ", "), 0, (_summary(2, 2, 2),)),
    Case("gzipped JSON with a number of a million digits", "n.json.gz",
         gzip.compress(_json(A, '{"id": "B", "n": ' + "8" * 1_000_000 + "}", C)), 65,
         ("error: {p}: n: number too long in record 2", _skipped(1, 2), _summary(2, 2, 2))),
    Case("JSON Lines integer of 10,000 digits", "n.jsonl", _jsonl(A, '{"id": "B", "n": ' + "9" * 10_000 + "}", C),
         65, ("error: {p}:2:18: not valid JSON: number is infinity when parsed as double", _skipped(1, 2),
              _summary(2, 2, 2))),
    # JSON nested tens of thousands deep took memory in the square of the depth.
    Case("JSON record 50,000 objects deep", "deep.json", _json(A, '{"id": "B", "x": ' + DEEP_OBJECTS + "}", C), 65,
         ("error: {p}: record 2: JSON is nested too deeply", _skipped(1, 2), _summary(2, 2, 2))),
    Case("JSON record 120,000 arrays deep", "deep.json", _json(A, '{"id": "B", "x": ' + DEEP_ARRAYS + "}", C), 65,
         ("error: {p}: record 2: JSON is nested too deeply", _skipped(1, 2), _summary(2, 2, 2))),
    Case("JSON record that is an array 120,000 deep", "deep.json", _json(A, DEEP_ARRAYS, C), 65,
         ("error: {p}: record 2 is an array, not an object", _skipped(1, 2), _summary(2, 2, 2))),
    Case("JSON nested 500,000 deep before the records", "deep.json",
         _json(A, C, before='"meta": ' + "[" * 500_000 + "]" * 500_000 + ", "), 0, (_summary(2, 2, 2),)),
    Case("JSON cut off 80,000 levels down", "deep.json", _json(A, C)[:-1] + b", " + b'{"a": ' * 80_000, 65,
         ("error: {p}: not valid JSON: unexpected end of file after record 2", _summary(2, 2, 2))),
    Case("JSON Lines line 200,000 deep", "deep.jsonl", _jsonl(A, "[" * 200_000 + "]" * 200_000, C), 65,
         ("error: {p}:2: JSON is nested too deeply", _skipped(1, 2), _summary(2, 2, 2))),
    # A key written twice: only its last value was scanned.
    Case("JSON Lines title written twice", "dup.jsonl",
         _jsonl(A, '{"id": "B", "title": "carved ivory", "title": "wooden spoon"}', C), 65,
         ("error: {p}:2: title: key written 2 times; every value is scanned", _summary(3, 3, 3)), ("A", "B", "C")),
    Case("JSON Lines title written twice, its colon spaced", "dup.jsonl",
         _jsonl(A, '{"id": "B", "title" : "carved ivory",\t"title"\t:\t"wooden spoon"}', C), 65,
         ("error: {p}:2: title: key written 2 times; every value is scanned", _summary(3, 3, 3)), ("A", "B", "C")),
    Case("JSON title written three times", "dup.json",
         _json(A, '{"id": "B", "title": "spoon", "title": "carved ivory", "title": "fork"}', C), 65,
         ("error: {p}: title: key written 3 times in record 2; every value is scanned", _summary(3, 3, 3)),
         ("A", "B", "C")),
    Case("JSON nested object written twice", "dup.json",
         _json(A, '{"id": "B", "s": {"name": "carved ivory"}, "s": {"name": "spoon", "city": "x"}}', C), 65,
         ("error: {p}: s: key written 2 times in record 2; every value is scanned", _summary(3, 3, 3)),
         ("A", "B", "C"), args=("--fields", "title,s.name")),
    # Damaged gzip lost the rows it had decompressed.
    Case("CSV gzip with trailing garbage", "d.csv.gz",
         _gz(_csv("A,carved ivory", "B,wooden spoon", "C,出售老象牙手镯"), lambda p: p + bytes(range(256)) * 8), 65,
         ("error: {p}: trailing garbage after the gzip stream", _summary(3, 2, 2))),
    Case("JSON Lines gzip with a bad CRC", "d.jsonl.gz", _gz(_jsonl(A, {"id": "B", "title": "spoon"}, C), _bad_crc),
         65, ("error: {p}: gzip stream is corrupt: CRC check failed", _summary(3, 2, 2))),
    Case("JSON gzip cut off in its last record", "d.json.gz",
         _gz(_json(A, C, *[{"id": f"X{i}", "title": f"spoon {i}"} for i in range(2000)]), lambda p: p[: len(p) * 9 // 10]),
         65, ("error: {p}: gzip stream is truncated", _summary(-1, 2, 2))),
    Case("CSV gzip of two members, the second cut off", "d.csv.gz",
         gzip.compress(_csv("A,carved ivory")) + gzip.compress("C,出售老象牙手镯\n".encode() + "".join(
             f"D{i},spoon {i * 7919 % 10007}\n" for i in range(3000)).encode())[:-200],
         65, ("error: {p}: gzip stream is truncated", _summary(-1, 2, 2))),
    Case("query file gzip with a bad length", "q.txt.gz",
         _gz(b"carved ivory\nspoon\n\xe5\x87\xba\xe5\x94\xae\xe8\xb1\xa1\xe7\x89\x99\n",
             lambda p: p[:-4] + b"\x01\x00\x00\x00"), 65,
         ("error: {p}: gzip stream is corrupt: incorrect length of data produced", _summary(3, 2, 2)), ("1", "3")),
    # CSV rows wider than the header were skipped whole.
    Case("CSV row with an unquoted comma in its title", "wide.csv",
         _csv("A,carved ivory", "B,wooden,carved ivory tusk", "C,出售老象牙手镯"), 65,
         ("error: {p}:3: row has 3 fields, header has 2; the extra field is scanned as column_3", _summary(3, 3, 3)),
         ("A", "B", "C")),
    Case("TSV row with five fields too many", "wide.tsv",
         _csv("A\tcarved ivory", "B\tspoon\t\t\tcarved\tivory tusk\t", "C\t出售老象牙手镯", header="id\ttitle"), 65,
         ("error: {p}:3: row has 7 fields, header has 2; the extra fields are scanned as column_3 to column_7",
          _summary(3, 3, 3)), ("A", "B", "C")),
    Case("CSV wide rows do not count towards --max-errors", "wide.csv",
         _csv("A,carved ivory", "B1,x,carved ivory", "B2,x,y", "C,出售老象牙手镯"), 65,
         ("error: {p}:3: row has 3 fields, header has 2; the extra field is scanned as column_3",
          "error: {p}:4: row has 3 fields, header has 2; the extra field is scanned as column_3",
          _summary(4, 3, 3)), ("A", "B1", "C"), args=("--max-errors", "1")),
    # UTF-32 with a BOM was read as UTF-16.
    Case("UTF-32 LE CSV", "u32.csv", b"\xff\xfe\x00\x00" + _csv("A,carved ivory", "C,出售老象牙手镯").decode().encode("utf-32-le"),
         0, (_summary(2, 2, 2),)),
    Case("UTF-32 BE JSON Lines", "u32.jsonl", b"\x00\x00\xfe\xff" + _jsonl(A, C).decode().encode("utf-32-be"), 0,
         (_summary(2, 2, 2),)),
    Case("UTF-32 LE JSON with a bad character", "u32.json", b"\xff\xfe\x00\x00" + _json(
        A, {"id": "B", "title": "x"}, C).decode().encode("utf-32-le").replace("x".encode("utf-32-le"), b"\x00\x00\x11\x00"),
         65, ("error: {p}: title: invalid UTF-32 in record 2", _skipped(1, 2), _summary(2, 2, 2))),
    # Blank lines by the hundred thousand.
    Case("JSON Lines with 300,000 blank lines", "blank.jsonl",
         _jsonl(A) + b"\n" * 300_000 + _jsonl('{"id": "B", oops', C), 65,
         ("error: {p}:300002:13: not valid JSON: unexpected character, expected a string key", _skipped(1, 2),
          _summary(2, 2, 2))),
    Case("CSV with 200,000 CRLF blank lines", "blank.csv",
         b"id,title\r\nA,carved ivory\r\n" + b"\r\n" * 200_000 + "B\r\nC,出售老象牙手镯\r\n".encode(), 65,
         ("error: {p}:200003: row has 1 field, header has 2", _skipped(1, 2), _summary(2, 2, 2))),
    Case("piped JSON Lines that starts with 20,000 blank lines", "blank.jsonl", b"\n" * 20_000 + _jsonl(A, C), 0,
         (_summary(2, 2, 2),), stdin=True),
    Case("query file of blank lines and two queries", "q.txt",
         b"\r" * 100_000 + "carved ivory\r\r\r出售老象牙手镯\r".encode(), 0, (_summary(2, 2, 2),), ("100001", "100004")),
    # suggest grew its counts without bound on unique words.
    Case("suggest on 3 MB of unique words", "u.jsonl", _unique_words(3_000_000), 0, (), (), command="suggest",
         output="none"),
    # Hostile files named by an option.
    Case("--baseline /dev/zero", "d.jsonl", _jsonl(A, C), 66,
         ("error: /dev/zero: not a wildcli baseline: not valid JSON: invalid character",), (),
         args=("--baseline", "/dev/zero"), output="kept"),
    Case("--baseline nested a million deep", "d.jsonl", _jsonl(A, C), 66,
         ('error: {p}.base: not a wildcli baseline (no "format": "wildcli-baseline")',), (),
         args=("--baseline", "{p}.base"), output="kept"),
    Case("--baseline with a 100,000-digit version", "d.jsonl", _jsonl(A, C), 66,
         ("error: {p}.base: baseline format_version '1E+99999999999999999' is not supported",), (),
         args=("--baseline", "{p}.base"), output="kept"),
    Case("export --key-file /dev/zero", "unused", b"", 66, ("error: /dev/zero: not a key: larger than 64 KiB",), (),
         args=("--format", "hashed", "--key-file", "/dev/zero"), command="export", output="kept"),
]  # fmt: skip

_BASELINES = {
    "--baseline nested a million deep": b"[" * 1_000_000 + b"]" * 1_000_000,
    "--baseline with a 100,000-digit version": b'{"format": "wildcli-baseline", "format_version": '
                                               + b"1" * 100_000 + b', "entries": []}',
}  # fmt: skip


@pytest.mark.timeout(180)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    dump = tmp_path / case.name
    content = case.content() if callable(case.content) else case.content
    dump.write_bytes(content)
    if case.id in _BASELINES:
        Path(f"{dump}.base").write_bytes(_BASELINES[case.id])
    out = tmp_path / "out.jsonl"
    out.write_bytes(PREVIOUS)
    args = [arg.replace("{p}", str(dump)) for arg in case.args]
    if case.command == "scan":
        args = ["scan", "-" if case.stdin else str(dump), *args, "--format", "jsonl", "--output", str(out)]
    elif case.command == "suggest":
        args = ["suggest", str(dump), *args]
    else:
        args = [case.command, *args, "--output", str(out)]
    result = measure([*args, *FIXTURE], feed=content if case.stdin else None, timeout=150)

    shown = "<stdin>" if case.stdin else str(dump)
    expected = [line.replace("{p}", shown) for line in case.stderr]
    lines = [_ELAPSED.sub(" in T: ", line) for line in result.stderr]
    if expected and expected[-1].startswith("scanned -1 records"):  # as many records as came before the cut
        expected[-1] = re.sub(r"scanned \d+ records", "scanned -1 records", lines[-1]) if lines else "?"
        lines[-1] = re.sub(r"scanned \d+ records", "scanned -1 records", lines[-1])
    assert (result.code, lines) == (case.code, expected)
    assert result.peak_rss <= MAX_PEAK, f"peak {result.peak_rss / 2**20:.0f} MB"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file
    if case.output == "kept":
        assert out.read_bytes() == PREVIOUS
    elif case.output == "report":
        findings = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert list(dict.fromkeys(str(f["record"]) for f in findings)) == list(case.found)
