"""Readers on random and mutated dumps: records or InputErrors, never another exception; valid
dumps read back exactly, over-long records skipped without losing the records after them."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZING, Runner, fuzz_settings
from wildcli.errors import InputError
from wildcli.readers import InputFormat, ReadOptions, Record, read_records

# Cells with everything that is special to CSV, JSON or the decoder, plus ordinary text.
_CELL = st.text(alphabet=st.sampled_from(list('ab ,;|"\'\n\r\t\\{}[]:é象\u200b\u202e\x1b')), max_size=30)
_ROWS = st.lists(st.tuples(_CELL, _CELL, _CELL), max_size=12)
_TOKENS = [b'"', b",", b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"{", b"}", b"[", b"]",
           b"\\", b"\\u", b"\\ud800", b":", b"x" * 300, b'"' * 3, b"\xff\xfe", b"\x1f\x8b"]  # fmt: skip


def _csv_bytes(rows: list[tuple[str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # \r\n: the writer then quotes a lone \r too
    writer.writerow(["id", "title", "description"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _jsonl_bytes(rows: list[tuple[str, str, str]]) -> bytes:
    return "".join(json.dumps({"id": a, "title": b, "description": c}) + "\n" for a, b, c in rows).encode()


def _text_bytes(rows: list[tuple[str, str, str]]) -> bytes:
    return "".join(b.replace("\r", " ").replace("\n", " ") + "\n" for _, b, _ in rows).encode()


def _log_bytes(rows: list[tuple[str, str, str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows([("query", "count"), *((b, a) for a, b, _ in rows)])
    return out.getvalue().encode("utf-8")


def _json_bytes(rows: list[tuple[str, str, str]]) -> bytes:
    return json.dumps({"meta": {"n": len(rows)}, "listings": [
        {"id": a, "title": b, "description": c} for a, b, c in rows]}).encode()


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    """A valid dump with a few random edits: inserted tokens, cut or repeated slices, truncation."""
    make = draw(st.sampled_from([_csv_bytes, _jsonl_bytes, _json_bytes, _text_bytes, _log_bytes]))
    data = bytearray(make(draw(_ROWS)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "repeat", "truncate"]))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(_TOKENS) | st.binary(min_size=1, max_size=4))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[at:]
    return bytes(data)


_DUMPS = st.one_of(
    _mutated(),
    st.binary(max_size=600),
    _mutated().map(lambda data: b"\xef\xbb\xbf" + data),
    _mutated().map(lambda data: data.decode("utf-8", "replace").encode("utf-16")),
)
_OPTIONS = st.builds(
    ReadOptions,
    format=st.sampled_from(list(InputFormat)),
    encoding=st.sampled_from([None, "utf-8", "utf-16", "latin-1"]),
    max_record_bytes=st.sampled_from([4, 16, 64, 1024, 64 * 1024 * 1024]),
    fields=st.sampled_from([None, ("title",), ("description", "nested.path"), ("query",)]),
    id_field=st.sampled_from([None, "id", "missing"]),
    count_field=st.sampled_from([None, "id", "count"]),
)


def _read(data: bytes, options: ReadOptions, *, collect: bool) -> tuple[list[Record], list[InputError]]:
    errors: list[InputError] = []
    records: list[Record] = []
    stream = read_records("-", options, on_error=errors.append if collect else None, stdin=io.BytesIO(data))
    try:
        records.extend(stream)
    except InputError as error:  # without on_error, the first problem is raised: the only way out
        errors.append(error)
    return records, errors


def _check(records: list[Record], errors: list[InputError]) -> None:
    rows = [r.row for r in records]
    assert rows == sorted(set(rows)), "record numbers go up, never repeat"
    for record in records:
        assert record.source == "<stdin>"
        assert record.id
        assert record.id == record.id.strip()
        for name, text in record.fields.items():
            assert name
            assert text
            assert not re.search("[\udc00-\udcff\ufdd0]", text), "a marker for a bad byte reached a record"
    for error in errors:
        assert type(error).__module__.startswith("wildcli.")
        assert error.location is not None
        assert error.location.path == "<stdin>"
        assert "\n" not in str(error)
        assert "\r" not in str(error)


@fuzz_settings(300)
@given(data=_DUMPS, options=_OPTIONS, gz=st.sampled_from(["no", "yes", "truncated"]), collect=st.booleans())
def _any_dump(data: bytes, options: ReadOptions, gz: str, collect: bool) -> None:
    if gz != "no":
        packed = gzip.compress(data)
        data = packed[: max(2, len(packed) * 2 // 3)] if gz == "truncated" else packed
    _check(*_read(data, options, collect=collect))


def test_any_dump_gives_records_or_input_errors_and_nothing_else(fuzz: Runner) -> None:
    fuzz(_any_dump)


# --- hostile shapes inside valid dumps: numbers, nesting, repeated keys, damaged gzip ---

_DEPTH = st.integers(900, 40_000 if FUZZING else 3_000)
_HOSTILE = st.one_of(
    st.integers(4_290, 9_000).map(lambda n: "9" * n),  # past Python's int limit: crashed ijson's C backend
    st.tuples(st.sampled_from(["-", ""]), st.integers(4_301, 20_000)).map(lambda t: t[0] + "7" * t[1]),
    st.tuples(st.sampled_from(["1e", "2.5E-", "-0.1e+"]), st.integers(17, 60)).map(lambda t: t[0] + "4" * t[1]),
    st.integers(4_000, 20_000).map(lambda n: "0." + "3" * n),
    st.tuples(st.sampled_from(["[", '{"a": ', '[{"b": ']), _DEPTH).map(
        lambda t: t[0] * t[1] + "1" + "".join({"[": "]", "{": "}"}[c] for c in reversed(t[0]) if c in "[{") * t[1]),
    st.just('"carved", "v": "again"'),  # a key written twice
)
_DAMAGE = st.sampled_from(["none", "garbage", "crc", "truncated"])


@fuzz_settings(60)
@given(value=_HOSTILE, before=st.integers(0, 30), after=st.integers(1, 30),
       shape=st.sampled_from(["json", "wrapped", "jsonl"]), damage=_DAMAGE, cut=st.floats(0.05, 0.95))  # fmt: skip
def _hostile_shape(value: str, before: int, after: int, shape: str, damage: str, cut: float) -> None:
    """A hostile value in one record among good ones: nothing but records and InputErrors come
    out, every good record before the damage is read, in order, and none after it is lost
    unless a cut-off gzip took it."""
    good = [f'{{"id": "G{i}", "title": "listing {i}"}}' for i in range(before + after)]
    records = [*good[:before], f'{{"id": "B", "v": {value}}}', *good[before:]]
    if shape == "jsonl":
        data = "".join(record + "\n" for record in records).encode()
    else:
        items = "[" + ",\n".join(records) + "]"
        data = (items if shape == "json" else f'{{"meta": {{"n": {value}}}, "listings": {items}}}').encode()
    if damage != "none":
        packed = gzip.compress(data, mtime=0)
        if damage == "garbage":
            data = packed + b"junk" * 3
        elif damage == "crc":
            data = packed[:-8] + bytes([packed[-8] ^ 1]) + packed[-7:]
        else:
            data = packed[: max(12, int(len(packed) * cut))]
    # The format is given: guessed from its first 64 KiB, a JSON Lines dump whose first line is
    # longer than that reads as one JSON document.
    options = ReadOptions(format=InputFormat.JSONL if shape == "jsonl" else InputFormat.JSON, fields=("title", "v"))
    read, errors = _read(data, options, collect=True)
    _check(read, errors)
    ids = [r.id for r in read if r.id != "B"]
    expected = [f"G{i}" for i in range(before + after)]
    if damage == "truncated":
        assert ids == expected[: len(ids)]  # the good records before the cut, in order
    else:
        assert ids == expected


def test_hostile_shapes_give_records_or_input_errors_and_keep_the_good_records(fuzz: Runner) -> None:
    fuzz(_hostile_shape)


# --- valid dumps read back exactly ---


def _lines_before(text: str, offset: int) -> int:
    return len(re.findall("\r\n|\r|\n", text[:offset]))


def _verdict(piece: str, limit: int) -> tuple[int, str] | None:
    """None if the record `piece` is read, else (its line the error names, `line` or `field`).

    The documented rule: a physical line may hold `limit` characters plus its line ending; a
    record spanning lines may hold `limit` characters in all.
    """
    total = 0
    for k, line in enumerate(re.findall("[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", piece)):
        if len(line) > limit + 1 and not (len(line) == limit + 2 and line.endswith("\r\n")):
            return k, "line"
        total += min(len(line), limit + 1)
        if k > 0 and total > limit:
            return 0, "field"
    return None


@fuzz_settings(300)
@given(rows=_ROWS, limit=st.sampled_from([8, 20, 24, 40, 80, 10_000]))
def _csv_round_trip(rows: list[tuple[str, str, str]], limit: int) -> None:
    """Every record that fits is read exactly; every one that does not is one error naming its
    line; and the records after it are read as if it had not been there."""
    header = "id,title,description\r\n"
    pieces = [_csv_bytes([row]).decode()[len(header) :] for row in rows]
    text = header + "".join(pieces)
    records, errors = _read(text.encode(), ReadOptions(format=InputFormat.CSV, max_record_bytes=limit),
                            collect=True)  # fmt: skip
    if _verdict(header, limit) is not None:  # no usable header: nothing can be read
        assert records == []
        assert [str(e) for e in errors] == [f"<stdin>:1: line is longer than {limit} bytes"]
        return
    expected: list[tuple[int, str, int]] = []
    problems: list[tuple[int, str]] = []
    offset = len(header)
    for number, (row, piece) in enumerate(zip(rows, pieces, strict=True), 1):
        line = 1 + _lines_before(text, offset)
        offset += len(piece)
        verdict = _verdict(piece, limit)
        if verdict is None:
            expected.append((number, row[0].strip() or str(number), line))
        else:
            problems.append((line + verdict[0], f"{verdict[1]} is longer than {limit} bytes"))
    assert [(r.row, r.id, r.line) for r in records] == expected
    by_row = dict(enumerate(rows, 1))
    for record in records:
        _, title, description = by_row[record.row]
        assert dict(record.fields) == {k: v for k, v in (("title", title), ("description", description)) if v}
    assert [(e.location.line if e.location else None, e.message) for e in errors] == problems


def test_valid_csv_reads_back_exactly_and_skips_only_over_long_records(fuzz: Runner) -> None:
    fuzz(_csv_round_trip)


def _object_round_trip(make: Callable[[list[tuple[str, str, str]]], bytes], fmt: InputFormat) -> Callable[[], None]:
    @fuzz_settings(150)
    @given(rows=_ROWS.filter(bool))  # no rows at all is an empty file, reported as such
    def test(rows: list[tuple[str, str, str]]) -> None:
        records, errors = _read(make(rows), ReadOptions(format=fmt, fields=("title", "description")),
                                collect=True)  # fmt: skip
        assert errors == []
        assert [(r.row, r.id) for r in records] == [(i, a.strip() or str(i)) for i, (a, _, _) in enumerate(rows, 1)]
        assert [dict(r.fields) for r in records] == [
            {k: v for k, v in (("title", b), ("description", c)) if v} for _, b, c in rows]

    return test


_JSONL_ROUND_TRIP = _object_round_trip(_jsonl_bytes, InputFormat.JSONL)
_JSON_ROUND_TRIP = _object_round_trip(_json_bytes, InputFormat.JSON)


def test_valid_json_lines_read_back_exactly(fuzz: Runner) -> None:
    fuzz(_JSONL_ROUND_TRIP)


def test_valid_json_reads_back_exactly(fuzz: Runner) -> None:
    fuzz(_JSON_ROUND_TRIP)


# --- query files and query logs read back exactly ---

_QUERY = st.text(alphabet=st.sampled_from(list(' \t\x0b\x0c\u3000\u200bab,;"{}é象')), max_size=12)
_ENDING = st.sampled_from(["\n", "\r\n", "\r"])


@fuzz_settings(300)
@given(lines=st.lists(st.tuples(_QUERY, _ENDING), min_size=1, max_size=12), limit=st.sampled_from([4, 8, 10_000]))
def _text_round_trip(lines: list[tuple[str, str]], limit: int) -> None:
    """Each line as the documented rule reads it: stripped, blank ones skipped, over-long ones
    one error each; record numbers count every line that is not blank."""
    text = "".join(query + ending for query, ending in lines)
    records, errors = _read(text.encode(), ReadOptions(format=InputFormat.TEXT, max_record_bytes=limit), collect=True)
    expected: list[tuple[int, str, str]] = []
    problems: list[int] = []
    row = 0
    for number, line in enumerate(re.findall("[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text), 1):
        if _verdict(line, limit) is not None:
            row += 1
            problems.append(number)
        elif line.strip():
            row += 1
            expected.append((row, str(number), line.strip()))
    if not text.strip():
        assert [str(e) for e in errors] == ["<stdin>: empty file"]
        return
    assert [(r.row, r.id, r.fields["query"]) for r in records] == expected
    assert all(r.count == 1 and r.counted for r in records)
    assert [e.location.line if e.location else None for e in errors] == problems


def test_valid_query_files_read_back_exactly(fuzz: Runner) -> None:
    fuzz(_text_round_trip)


_COUNT = st.one_of(
    st.integers(0, 10**12).map(str), st.integers(1000, 10**9).map(lambda n: f"{n:,}"),
    st.sampled_from(["", "x", "-1", "1.5", "1 000", "1,00"]),
)


@fuzz_settings(200)
@given(rows=st.lists(st.tuples(_CELL, _COUNT), min_size=1, max_size=10))
def _log_round_trip(rows: list[tuple[str, str]]) -> None:
    """Every row of a query log with a good count is a record with that count; every other row
    one error naming its line and the count column."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([("query", "count"), *rows])
    text = out.getvalue()
    records, errors = _read(text.encode(), ReadOptions(format=InputFormat.CSV), collect=True)
    expected, problems = [], []
    offset = len("query,count\r\n")
    for number, (query, count) in enumerate(rows, 1):
        line = 1 + _lines_before(text, offset)
        offset += len(_csv_line(query, count))
        if re.fullmatch(r"\d+|\d{1,3}(,\d{3})+", count):
            expected.append((number, str(number), line, {"query": query} if query else {}, int(count.replace(",", ""))))
        else:
            problems.append((line, "count"))
    assert [(r.row, r.id, r.line, dict(r.fields), r.count) for r in records] == expected
    assert [(e.location.line, e.location.field) if e.location else None for e in errors] == problems


def _csv_line(*cells: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def test_valid_query_logs_read_back_exactly(fuzz: Runner) -> None:
    fuzz(_log_round_trip)
