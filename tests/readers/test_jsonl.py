"""JSON Lines reader: one object per line, bad lines reported by line (and column), others kept."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest

from wildcli.readers import KeptRowProblem, ReadOptions, read_records

from .support import CORPORA, Read, read_all


def _jsonl(*objects: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


def test_basic_records(write, read: Read) -> None:
    path = write(
        "d.jsonl", _jsonl({"post_id": "p1", "title": "Ivory", "price": 3}, {"post_id": "p2", "title": "Teak"})
    )
    result = read(path)
    assert result.errors == []
    assert [(r.row, r.id, r.line, dict(r.fields)) for r in result.records] == [
        (1, "p1", 1, {"title": "Ivory"}),
        (2, "p2", 2, {"title": "Teak"}),
    ]


def test_ndjson_extension_and_crlf(write, read: Read) -> None:
    path = write("d.ndjson", '{"id": 1, "text": "a"}\r\n{"id": 2, "text": "b"}\r\n')
    assert read(path).ids == ["1", "2"]


def test_blank_lines_are_skipped_but_counted_as_lines(write, read: Read) -> None:
    path = write("d.jsonl", '\n{"id": "a", "title": "x"}\n   \n{"id": "b", "title": "y"}\n')
    assert [(r.row, r.line) for r in read(path).records] == [(1, 2), (2, 4)]


def test_bad_lines_are_reported_with_line_and_column(write, read: Read) -> None:
    path = write(
        "d.jsonl",
        '{"id": 1, "title": "a"}\n{"id": 2, "title": tru}\n[1, 2]\n"text"\n{"id": 5, "title": "e"}\n',
    )
    result = read(path)
    assert result.ids == ["1", "5"]
    assert [r.row for r in result.records] == [1, 5]
    assert result.messages == [
        f"{path}:2:20: not valid JSON: invalid literal, expected 'true'",
        f"{path}:3: expected a JSON object, found an array",
        f"{path}:4: expected a JSON object, found a string",
    ]


def test_trailing_content_on_a_line(write, read: Read) -> None:
    path = write("d.jsonl", '{"id": 1} {"id": 2}\n{"id": 3}\n')
    result = read(path)
    assert result.ids == ["3"]
    assert result.messages == [f"{path}:1:11: not valid JSON: unexpected content after document"]


def test_invalid_utf8_line_between_good_lines(write, read: Read) -> None:
    path = write(
        "d.jsonl", b'{"id": 1, "title": "a"}\n{"id": 2, "title": "b\xe9"}\n{"id": 3, "title": "c"}\n'
    )
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}:2: invalid UTF-8 at byte 22"]


def test_nul_byte_line(write, read: Read) -> None:
    path = write("d.jsonl", b'{"id": 1}\n{"id": \x002}\n{"id": 3}\n')
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}:2: NUL byte at byte 8"]


def test_utf16_le_with_bom(write, read: Read) -> None:
    path = write(
        "d.jsonl",
        b"\xff\xfe" + _jsonl({"id": 1, "title": "犀牛角"}, {"id": 2, "title": "b"}).encode("utf-16-le"),
    )
    result = read(path)
    assert result.errors == []
    assert result.column("title") == ["犀牛角", "b"]


def test_ten_thousand_levels_of_nesting_is_one_bad_record(write, read: Read) -> None:
    deep = '{"a": ' * 10_000 + "1" + "}" * 10_000
    path = write("d.jsonl", '{"id": 1}\n' + deep + '\n{"id": 3}\n')
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}:2: JSON is nested too deeply"]


@pytest.mark.parametrize("line", [
    '{"id": "B", "title": "carved ivory", "title": "plain"}',
    '{"id": "B", "title" : "carved ivory", "title": "plain"}',  # a spaced colon counts as well
    '{"id": "B", "title":\t"carved ivory","title":"plain"}',
    '{"id": "B", "\\u0074itle": "carved ivory", "title": "plain"}',  # the same key, escaped
    '{"id": "B", "title": "carved ivory", "title": "plain\\u003a"}',  # an escaped colon elsewhere
    '{"id": "B", "title": "carved ivory", "title": "pl\\":ain", "x": "\\":"}',
])  # fmt: skip
def test_every_value_of_a_key_written_twice_is_read_and_reported(write, read: Read, line: str) -> None:
    path = write("d.jsonl", '{"id": "A", "title": "a: b"}\n' + line + '\n{"id": "C", "title": "c"}\n')
    result = read(path)
    assert result.ids == ["A", "B", "C"]
    assert result.records[1].fields["title"].startswith("carved ivory\npl")
    assert result.messages == [f"{path}:2: title: key written 2 times; every value is scanned"]
    assert all(isinstance(error, KeptRowProblem) for error in result.errors)


def test_nested_repeated_keys_are_found_too(write, read: Read) -> None:
    path = write("d.jsonl", '{"id": "A", "s": {"name": "carved ivory", "name": "x"}}\n')
    result = read(path, fields=("s.name",))
    assert result.records[0].fields == {"s.name": "carved ivory\nx"}
    assert result.messages == [f"{path}:1: name: key written 2 times; every value is scanned"]


@pytest.mark.parametrize("line", [
    '{"id": "A", "title": "a: b", "s": {"t": "c:d"}, "l": [{"u": ":"}, "::"]}',
    '{"id": "A", "title": "say \\": hi \\u0022: x"}', '{"id": "A", "a:b" : 1}', '{"id":"A","t":"\\u003a"}',
])  # fmt: skip
def test_lines_without_repeated_keys_are_not_reported(write, read: Read, line: str) -> None:
    result = read(write("d.jsonl", line + "\n"))
    assert result.errors == []
    assert result.ids == ["A"]


def test_nested_paths_and_non_string_values(write, read: Read) -> None:
    obj = {
        "id": 9,
        "seller": {"name": "Ann", "rating": 4.5, "tags": ["rare", 3, None, {"x": 1}], "meta": {"a": 1}},
        "item.description": "dotted key wins",
        "item": {"description": "nested"},
        "sold": True,
        "gone": None,
        "empty": "",
    }
    fields = (
        "seller.name",
        "seller.rating",
        "seller.tags",
        "seller.meta",
        "item.description",
        "sold",
        "gone",
        "empty",
    )
    result = read(write("d.jsonl", _jsonl(obj)), fields=fields)
    assert result.errors == []
    assert result.records[0].fields == {
        "seller.name": "Ann",
        "seller.rating": "4.5",
        "seller.tags": "rare\n3",
        "item.description": "dotted key wins",
        "sold": "True",
    }


def test_missing_field_reported_once_at_end(write, read: Read) -> None:
    path = write("d.jsonl", _jsonl(*({"id": i, "title": "t"} for i in range(50))))
    result = read(path, fields=("title", "titel", "seller.name"))
    assert len(result.records) == 50
    assert result.messages == [
        f"{path}: field 'titel' not found in any record",
        f"{path}: field 'seller.name' not found in any record",
    ]


def test_field_present_in_some_records_is_not_reported(write, read: Read) -> None:
    path = write("d.jsonl", _jsonl({"id": 1}, {"id": 2, "extra": {"note": None}}))
    assert read(path, fields=("extra.note",)).errors == []


def test_missing_id_on_some_records_uses_record_number(write, read: Read) -> None:
    path = write(
        "d.jsonl",
        _jsonl({"listing_id": "L1", "title": "a"}, {"title": "b"}, {"listing_id": "", "title": "c"}),
    )
    result = read(path)
    assert result.errors == []
    assert result.ids == ["L1", "2", "3"]


def test_explicit_id_field_missing_everywhere(write, read: Read) -> None:
    path = write("d.jsonl", _jsonl({"title": "a"}))
    result = read(path, id_field="sku")
    assert result.ids == ["1"]
    assert result.messages == [f"{path}: id field 'sku' not found in any record"]


def test_default_fields_come_from_the_first_record(write, read: Read) -> None:
    path = write(
        "d.jsonl", _jsonl({"id": 1, "title": "a", "image_url": "u", "created_at": "d", "price": 3, "n": {}})
    )
    assert read(path).records[0].fields == {"title": "a"}


def test_default_fields_fall_back_to_all_strings(write, read: Read) -> None:
    path = write("d.jsonl", _jsonl({"sku": "S1", "a": "tiger", "b": "bone", "c": 3}))
    assert read(path).records[0].fields == {"sku": "S1", "a": "tiger", "b": "bone"}


def test_overlong_line_is_reported_and_skipped(write, read: Read) -> None:
    path = write("d.jsonl", '{"id": 1}\n{"id": 2, "t": "' + "x" * 5000 + '"}\n{"id": 3}\n')
    result = read(path, max_record_bytes=1024)
    assert result.ids == ["1", "3"]
    assert [r.row for r in result.records] == [1, 3]
    assert result.messages == [f"{path}:2: line is longer than 1 KiB"]


class _EndlessLine(io.RawIOBase):
    """A good line, then `size` bytes without a newline, then another good line."""

    def __init__(self, size: int) -> None:
        self._parts = [b'{"id": "first"}\n', b'{"x": "', size, b'"}\n{"id": "last"}\n']

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while self._parts:
            part = self._parts[0]
            if isinstance(part, int):
                size = min(part, len(buffer))
                buffer[:size] = b"y" * size
                self._parts[0] = part - size
                if part - size == 0:
                    self._parts.pop(0)
                return size
            size = min(len(part), len(buffer))
            buffer[:size] = part[:size]
            rest = part[size:]
            if rest:
                self._parts[0] = rest
            else:
                self._parts.pop(0)
            return size
        return 0


def test_huge_line_without_newline_keeps_memory_bounded() -> None:
    errors: list[str] = []
    stream = io.BufferedReader(_EndlessLine(200 * 1024 * 1024))
    tracemalloc.start()
    try:
        records = read_records(
            "-",
            ReadOptions(max_record_bytes=1024 * 1024),
            on_error=lambda e: errors.append(str(e)),
            stdin=stream,
        )
        ids = [r.id for r in records]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ids == ["first", "last"]
    assert errors == ["<stdin>:2: line is longer than 1 MiB"]
    assert peak < 16 * 1024 * 1024


CORPUS_EXPECTATIONS = [
    ("craigslist_forsale_2017.jsonl", 5997, "post_id", ["title", "description"]),
    ("vn_ecommerce_sample_titles.jsonl", 300, "product_id", ["product_name"]),
]


@pytest.mark.corpora
@pytest.mark.parametrize(("name", "count", "id_key", "text_keys"), CORPUS_EXPECTATIONS)
def test_real_corpora_read_cleanly(name: str, count: int, id_key: str, text_keys: list[str]) -> None:
    path = CORPORA / name
    if not path.exists():
        pytest.skip("corpora not present")
    result = read_all(path)
    assert result.errors == []
    assert len(result.records) == count
    assert sum(result.progress) == path.stat().st_size
    expected = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]
    assert result.ids == [str(obj[id_key]) for obj in expected]
    assert [dict(r.fields) for r in result.records] == [
        {k: obj[k] for k in text_keys if obj[k]} for obj in expected
    ]
