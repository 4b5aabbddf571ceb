"""Opening inputs: files, stdin, gzip, BOMs and encodings, format detection, progress, laziness, fuzzing."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wildcli.errors import InputError, InputUnavailable, UsageError
from wildcli.readers import InputFormat, ReadOptions, detect_format, read_records

from .support import Read

CSV_TEXT = "id,title\n" + "".join(f"{i},listing {i} of a long enough dump\n" for i in range(1, 5001))


def _unavailable(path: str | Path, **options: object) -> str:
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path), ReadOptions(**options), on_error=lambda error: None))  # type: ignore[arg-type]
    return str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    assert _unavailable(path) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert _unavailable(tmp_path) == f"{tmp_path}: is a directory"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.csv"
    path.write_text("id\n1\n")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("wildcli.readers.opening.open", deny, raising=False)
    assert _unavailable(path) == f"{path}: permission denied"


def test_errors_surface_lazily_from_iteration(tmp_path: Path) -> None:
    records = read_records(str(tmp_path / "later.csv"))  # nothing is opened yet
    with pytest.raises(InputUnavailable, match="no such file"):
        next(records)


@pytest.mark.parametrize("name", ["d.csv.gz", "d.gz", "d.csv"])
def test_gzip_detected_by_magic_bytes(write, read: Read, name: str) -> None:
    path = write(name, gzip.compress(CSV_TEXT.encode()))
    result = read(path, format=InputFormat.CSV) if name == "d.gz" else read(path)
    assert result.errors == []
    assert len(result.records) == 5000
    assert sum(result.progress) == path.stat().st_size  # compressed bytes


@pytest.mark.parametrize(("name", "content"), [
    ("d.jsonl.gz", '{"id": 1, "title": "a"}\n{"id": 2, "title": "b"}\n'),
    ("d.json.gz", '[{"id": 1, "title": "a"}, {"id": 2, "title": "b"}]'),
    ("d.txt.gz", 'a query\n{"id": 9}\n'),
])  # fmt: skip
def test_gzip_json_formats_by_inner_extension(write, read: Read, name: str, content: str) -> None:
    assert read(write(name, gzip.compress(content.encode()))).ids == ["1", "2"]


def test_not_gzip_despite_the_name(write) -> None:
    path = write("d.csv.gz", CSV_TEXT)
    assert _unavailable(path) == f"{path}: not a gzip file"


def test_truncated_gzip_keeps_records_read_before(write, read: Read) -> None:
    packed = gzip.compress(CSV_TEXT.encode() * 20)
    path = write("d.csv.gz", packed[: len(packed) * 2 // 3])
    result = read(path)
    assert len(result.records) > 1000
    assert result.errors[-1].location is not None
    assert result.messages == [f"{path}: gzip stream is truncated"]
    assert [r.row for r in result.records] == list(range(1, len(result.records) + 1))


def test_truncated_gzip_before_any_record_is_unavailable(write) -> None:
    path = write("d.jsonl.gz", gzip.compress(b'{"id": 1}\n')[:12])
    assert _unavailable(path) == f"{path}: gzip stream is truncated"


def test_corrupt_gzip_is_reported(write, read: Read) -> None:
    packed = bytearray(gzip.compress(CSV_TEXT.encode() * 5))
    packed[-6] ^= 0xFF  # inside the CRC/size trailer: the data reads, the check fails at the end
    path = write("d.csv.gz", bytes(packed))
    result = read(path)
    assert len(result.records) == 5 * 5000 + 4  # every row (the header repeats: 4 more rows)
    assert result.messages == [f"{path}: gzip stream is corrupt: CRC check failed"]


_SMALL_ROWS = 40


def _small_dump(name: str) -> bytes:
    records = [{"id": f"R{i}", "title": f"listing {i}"} for i in range(_SMALL_ROWS)]
    if name.endswith(".csv.gz"):
        return ("id,title\n" + "".join(f"{r['id']},{r['title']}\n" for r in records)).encode()
    if name.endswith(".json.gz"):
        return json.dumps(records).encode()
    return "".join(json.dumps(r) + "\n" for r in records).encode()


@pytest.mark.parametrize("name", ["d.csv.gz", "d.jsonl.gz", "d.json.gz"])
@pytest.mark.parametrize(("damage", "message", "complete"), [
    (lambda packed: packed + b"garbage!", "trailing garbage after the gzip stream", True),
    (lambda packed: packed[:-8] + bytes([packed[-8] ^ 0x55]) + packed[-7:], "gzip stream is corrupt: CRC check failed", True),
    (lambda packed: packed[:-4] + b"\x00\x00\x00\x01", "gzip stream is corrupt: incorrect length of data produced", True),
    (lambda packed: packed[:-6], "gzip stream is truncated", True),
    (lambda packed: packed[: len(packed) * 3 // 4], "gzip stream is truncated", False),
])  # fmt: skip
def test_damaged_small_gzip_keeps_every_row_decompressed_before_the_damage(
    write, read: Read, name: str, damage: Callable[[bytes], bytes], message: str, complete: bool
) -> None:
    # Small enough that all of it is decompressed at once: the damage used to take every row.
    path = write(name, damage(gzip.compress(_small_dump(name), mtime=0)))
    result = read(path)
    assert result.messages == [f"{path}: {message}"]
    ids = result.ids
    assert ids == [f"R{i}" for i in range(len(ids))]  # in order, none missing, none cut short
    assert result.column("title") == [f"listing {i}" for i in range(len(ids))]
    assert len(ids) == _SMALL_ROWS if complete else 5 < len(ids) < _SMALL_ROWS


def test_stdin_with_format_detection(read: Read) -> None:
    csv_result = read("-", stdin=b"id,title\n1,a\n")
    assert [(r.source, r.id) for r in csv_result.records] == [("<stdin>", "1")]
    assert read("-", stdin=b'{"id": 1}\n{"id": 2}\n').ids == ["1", "2"]
    assert read("-", stdin=b'  [{"id": 1}, {"id": 2}]').ids == ["1", "2"]
    assert read("-", stdin=gzip.compress(b'{"id": 7}\n')).ids == ["7"]


def test_stdin_errors_name_stdin(read: Read) -> None:
    result = read("-", stdin=b"id,title,price\n1,a\n")
    assert result.messages == ["<stdin>:2: row has 2 fields, header has 3"]


def test_sys_stdin_is_used_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(b"id,title\n1,a\n")

    monkeypatch.setattr("sys.stdin", FakeStdin)
    assert [r.id for r in read_records("-")] == ["1"]
    assert not FakeStdin.buffer.closed  # stdin belongs to the caller


@pytest.mark.parametrize(("bom", "codec"), [
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
])  # fmt: skip
@pytest.mark.parametrize("name", ["d.csv", "d.jsonl", "d.json", "d.dat", "d.txt"])
def test_boms_for_every_format(write, read: Read, bom: bytes, codec: str, name: str) -> None:
    rows = [{"id": "1", "title": "tête de tigre"}, {"id": "2", "title": "象牙"}]
    if name == "d.csv":
        text = "id,title\n" + "".join(f"{r['id']},{r['title']}\n" for r in rows)
    elif name == "d.json":
        text = json.dumps(rows, ensure_ascii=False)
    elif name == "d.txt":
        text = "".join(f"{r['title']}\n" for r in rows)
    else:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    result = read(write(name, bom + text.encode(codec)))
    assert result.errors == []
    assert result.column("query" if name == "d.txt" else "title") == ["tête de tigre", "象牙"]
    assert result.ids == ["1", "2"]


def test_encoding_override_keeps_a_matching_bom_out(write, read: Read) -> None:
    assert read(write("a.csv", b"\xef\xbb\xbfid,title\n1,a\n"), encoding="utf-8").ids == ["1"]
    path = write("b.csv", b"\xff\xfe" + "id,title\n1,a\n".encode("utf-16-le"))
    assert read(path, encoding="utf-16").ids == ["1"]


def test_utf32_bad_byte_is_named_as_utf32(write, read: Read) -> None:
    # A UTF-32 BOM begins with the UTF-16 LE one: read as UTF-16 every character would be split.
    body = "id,title\n1,a\n".encode("utf-32-le") + b"\x00\x00\x11\x00"  # U+110000 does not exist
    result = read(write("d.csv", b"\xff\xfe\x00\x00" + body + "2,b\n".encode("utf-32-le")))
    assert result.ids == ["1"]
    assert result.messages[0].endswith(": invalid UTF-32 at byte 1")


def test_utf16_override_without_bom_is_little_endian(write, read: Read) -> None:
    path = write("d.csv", "id,title\n1,a\n".encode("utf-16-le"))
    assert read(path, encoding="utf-16").ids == ["1"]


def test_encoding_override_cp1252(write, read: Read) -> None:
    path = write("d.jsonl", '{"id": 1, "title": "“ivoire” – écaille"}\n'.encode("cp1252"))
    assert read(path, encoding="cp1252").column("title") == ["“ivoire” – écaille"]


def test_unknown_encoding_is_a_usage_error(write) -> None:
    path = write("d.csv", "id\n1\n")
    for name in ("klingon", "base64"):
        with pytest.raises(UsageError, match=f"unknown encoding '{name}'"):
            list(read_records(str(path), ReadOptions(encoding=name)))


@pytest.mark.parametrize(("name", "head", "expected"), [
    ("d.csv", '{"a": 1}\n{"a": 2}\n', InputFormat.CSV),
    ("d.TSV", "", InputFormat.CSV),
    ("d.ndjson.gz", "[", InputFormat.JSONL),
    ("d.jsonl", "[1]", InputFormat.JSONL),
    ("d.json", '{"a": 1}\n{"a": 2}\n', InputFormat.JSONL),
    ("d.json", '{\n  "listings": []\n}\n', InputFormat.JSON),
    ("d.json", "", InputFormat.JSON),
    ("", '  \n [{"a": 1}]', InputFormat.JSON),
    ("", '{"a": 1}\n\n{"a": 2}', InputFormat.JSONL),
    ("", '{"a": 1}\n', InputFormat.JSONL),
    ("", '{"listings": [{"a": 1}]}\n', InputFormat.JSON),
    ("", '{"listings": [{"a": 1}]}', InputFormat.JSON),
    ("", "id,title\n", InputFormat.CSV),
    ("d.dat", "title|body\n", InputFormat.CSV),
    ("d.txt", "title|body\n", InputFormat.TEXT),
    ("d.TXT.gz", '{"a": 1}\n{"a": 2}\n', InputFormat.TEXT),
    ("", "ivory bangle\n", InputFormat.CSV),  # never guessed from the content
])  # fmt: skip
def test_detect_format(name: str, head: str, expected: InputFormat) -> None:
    assert detect_format(name, head, InputFormat.AUTO) is expected


def test_explicit_format_wins(write, read: Read) -> None:
    path = write("d.csv", '{"id": 1}\n{"id": 2}\n')
    assert read(path, format=InputFormat.JSONL).ids == ["1", "2"]


@pytest.mark.parametrize("name", ["d.csv", "d.json", "d.jsonl", "d.csv.gz", "d.txt", "d.txt.gz"])
def test_empty_file_in_every_format(write, read: Read, name: str) -> None:
    path = write(name, gzip.compress(b"") if name.endswith(".gz") else b"")
    result = read(path)
    assert result.records == []
    assert result.messages == [f"{path}: empty file"]


def test_whitespace_only_is_empty(write, read: Read) -> None:
    path = write("d.json", " \n\t\n")
    assert read(path).messages == [f"{path}: empty file"]


def test_progress_adds_up_to_the_file_size(write, read: Read) -> None:
    path = write("d.csv", CSV_TEXT * 10)
    result = read(path)
    assert sum(result.progress) == os.path.getsize(path)
    assert len(result.progress) > 1  # reported as it goes, not once at the end


class _Endless(io.RawIOBase):
    """A dump that never ends: a head, then the same piece forever."""

    def __init__(self, head: bytes, piece: bytes) -> None:
        self._pending = head
        self._piece = piece
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while len(self._pending) < len(buffer):
            self._pending += self._piece * 64
        size = len(buffer)
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self.served += size
        return size


@pytest.mark.parametrize(("fmt", "head", "piece"), [
    (InputFormat.CSV, b"id,title\n", b"1,endless listing\n"),
    (InputFormat.JSONL, b"", b'{"id": 1, "title": "endless"}\n'),
    (InputFormat.JSON, b'{"listings": [', b'{"id": 1, "title": "endless"},'),
    (InputFormat.TEXT, b"", b"endless query\n"),
])  # fmt: skip
def test_reading_is_lazy_and_streaming(fmt: InputFormat, head: bytes, piece: bytes) -> None:
    source = _Endless(head, piece)
    records = read_records("-", ReadOptions(format=fmt), stdin=source)  # type: ignore[arg-type]
    first = list(itertools.islice(records, 1000))
    records.close()  # type: ignore[attr-defined]
    assert len(first) == 1000
    assert source.served < 4 * 1024 * 1024


def _read_bytes(data: bytes, options: ReadOptions, on_error: bool) -> None:
    errors: list[InputError] = []
    records = read_records("-", options, on_error=errors.append if on_error else None, stdin=io.BytesIO(data))
    try:
        for record in records:
            assert record.id
            for text in record.fields.values():
                assert text
                text.encode("utf-8")  # no marker surrogate leaks into a record
    except InputError:
        pass
    for error in errors:
        assert "\n" not in str(error)


_JSONISH = st.text(alphabet='{}[]",:\\ \n\r\x00abid1.-eEtrufalsn\u00e9\udc80\ufeff', max_size=300).map(
    lambda text: text.encode("utf-8", "surrogatepass")
)
_CSVISH = st.text(alphabet='id,;\t|"\n\r\x00 ab\u00e9', max_size=300).map(lambda text: text.encode("utf-8"))
_BYTES = st.one_of(
    st.binary(max_size=400), _JSONISH, _CSVISH, _JSONISH.map(lambda data: b"\xff\xfe" + data),
    _CSVISH.map(lambda data: data.decode("utf-8").encode("utf-16")),
)  # fmt: skip
_OPTIONS = st.builds(
    ReadOptions,
    format=st.sampled_from(list(InputFormat)),
    encoding=st.sampled_from([None, "utf-8", "utf-16", "latin-1", "cp1252"]),
    max_record_bytes=st.sampled_from([8, 100, 64 * 1024 * 1024]),
    fields=st.sampled_from([None, ("title",), ("a.b", "id")]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_BYTES, options=_OPTIONS, gz=st.booleans(), cut=st.integers(0, 40), on_error=st.booleans())
def test_random_bytes_only_ever_give_records_or_input_errors(
    data: bytes, options: ReadOptions, gz: bool, cut: int, on_error: bool
) -> None:
    if gz:
        packed = gzip.compress(data)
        data = packed[: max(2, len(packed) - cut)] if cut % 2 else packed
    _read_bytes(data, options, on_error)
