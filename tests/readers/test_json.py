"""JSON reader: top-level array or object holding one, streamed; errors keep what was read before."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from wildcli.errors import InputUnavailable
from wildcli.readers import KeptRowProblem, ReadOptions, read_records

from .support import Read


def _listings(count: int) -> list[dict[str, object]]:
    return [{"id": f"L{i}", "title": f"item {i}", "price": i} for i in range(1, count + 1)]


def test_top_level_array(write, read: Read) -> None:
    path = write("d.json", json.dumps(_listings(3), indent=2))
    result = read(path)
    assert result.errors == []
    assert [(r.row, r.id, r.line, dict(r.fields)) for r in result.records] == [
        (1, "L1", None, {"title": "item 1"}),
        (2, "L2", None, {"title": "item 2"}),
        (3, "L3", None, {"title": "item 3"}),
    ]


def test_object_holding_the_array_after_other_keys(write, read: Read) -> None:
    doc = {
        "meta": {"pages": [1, 2], "source": "x"},
        "tags": ["a", "b"],
        "empty": [],
        "listings": _listings(2),
        "n": 2,
    }
    result = read(write("d.json", json.dumps(doc)))
    assert result.errors == []
    assert result.ids == ["L1", "L2"]


def test_object_with_only_an_empty_array_is_an_empty_dump(write, read: Read) -> None:
    result = read(write("d.json", '{"count": 0, "listings": []}'))
    assert result.records == []
    assert result.errors == []
    assert read(write("e.json", "[]")).errors == []


def test_object_without_array_of_objects_is_unavailable(write) -> None:
    path = write("d.json", '{\n  "title": "one listing",\n  "tags": ["a"]\n}\n')
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path), on_error=lambda error: None))
    assert (
        str(caught.value)
        == f"{path}: JSON object holds no array of objects (one object per line is format jsonl)"
    )


@pytest.mark.parametrize(
    ("text", "kind"), [("42", "a number"), ('"text"', "a string"), ("null", "null"), ("true", "a boolean")]
)
def test_scalar_json_is_unavailable(write, text: str, kind: str) -> None:
    path = write("d.json", text)
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path), on_error=lambda error: None))
    assert str(caught.value) == f"{path}: JSON is {kind}, not an array of objects"


def test_invalid_json_from_the_start_is_unavailable(write) -> None:
    path = write("d.json", "[{nope}]")
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path), on_error=lambda error: None))
    assert str(caught.value) == f"{path}: not valid JSON: invalid literal"


def test_trailing_garbage_after_the_array(write, read: Read) -> None:
    path = write("d.json", json.dumps(_listings(3)) + "\n]junk")
    result = read(path)
    assert result.ids == ["L1", "L2", "L3"]
    assert result.messages == [f"{path}: trailing garbage after the JSON document"]


def test_syntax_error_mid_array_keeps_records_before(write, read: Read) -> None:
    path = write("d.json", '[{"id": 1}, {"id": 2}, {"id": tru}, {"id": 4}]')
    result = read(path)
    assert result.ids == ["1", "2"]
    assert result.messages == [f"{path}: not valid JSON: invalid literal after record 2"]


def test_truncated_array(write, read: Read) -> None:
    path = write("d.json", json.dumps(_listings(5))[:-40])
    result = read(path)
    assert result.ids == ["L1", "L2", "L3", "L4"]
    assert result.messages == [f"{path}: not valid JSON: unexpected end of file after record 4"]


def test_non_object_items_are_reported_and_skipped(write, read: Read) -> None:
    path = write("d.json", '[1, {"id": "a"}, "s", [], null, {"id": "b"}]')
    result = read(path)
    assert result.ids == ["a", "b"]
    assert [r.row for r in result.records] == [2, 6]
    assert result.messages == [
        f"{path}: record 1 is a number, not an object",
        f"{path}: record 3 is a string, not an object",
        f"{path}: record 4 is an array, not an object",
        f"{path}: record 5 is null, not an object",
    ]


def test_invalid_utf8_in_one_record(write, read: Read) -> None:
    path = write(
        "d.json",
        b'[{"id": 1, "title": "a"}, {"id": 2, "seller": {"name": "b\xff"}}, {"id": 3, "title": "c"}]',
    )
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}: seller.name: invalid UTF-8 in record 2"]


def test_ten_thousand_levels_of_nesting_is_one_bad_record(write, read: Read) -> None:
    deep = '{"a": ' * 10_000 + "1" + "}" * 10_000
    path = write("d.json", f'[{{"id": 1}}, {deep}, {{"id": 3}}]')
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}: record 2: JSON is nested too deeply"]


@pytest.mark.parametrize("opening", ['{"a": ', "[", '{"a": [{"b": '])
def test_thirty_thousand_levels_in_a_small_file_take_little_memory(write, read: Read, opening: str) -> None:
    # Building the record level by level used to hold the path of every open level: memory in
    # the square of the depth, over 2 GB here.
    depth = 30_000 // opening.count("{" if "{" in opening else "[")
    closing = "".join({"{": "}", "[": "]"}[c] for c in reversed(opening) if c in "{[")
    deep = opening * depth + "1" + closing * depth
    path = write("d.json", f'[{{"id": 1}}, {{"id": 2, "x": {deep}}}, {{"id": 3}}]')
    tracemalloc.start()
    try:
        result = read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}: record 2: JSON is nested too deeply"]
    assert peak < 40 * 2**20


def test_deep_nesting_before_the_records_is_passed_over(write, read: Read) -> None:
    deep = "[" * 40_000 + "]" * 40_000
    path = write("d.json", f'{{"meta": {deep}, "listings": [{{"id": 1}}, {{"id": 2}}]}}')
    assert read(path).ids == ["1", "2"]


@pytest.mark.parametrize(("number", "field"), [
    ("9" * 4301, "n"), ("-" + "1" * 50_000, "n"), ("1e" + "9" * 40, "n"), ("-2.5E-" + "7" * 19, "n"),
    ("[1, " + "3" * 6000 + "]", "n"), ('{"deep": ' + "8" * 5000 + "}", "n.deep"),
])  # fmt: skip
def test_a_number_too_long_for_the_parser_is_one_bad_record(write, read: Read, number: str, field: str) -> None:
    # 4,301 digits crashed the process in ijson's C backend (SIGSEGV); a 20-digit exponent
    # raised from inside the parser.
    doc = f'[{{"id": 1}}, {{"id": 2, "n": {number}, "title": "x"}}, {{"id": 3, "title": "y"}}]'
    path = write("d.json", doc)
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}: {field}: number too long in record 2"]


def test_long_numbers_that_the_parser_reads_are_kept(write, read: Read) -> None:
    digits = "7" * 4300
    doc = (f'[{{"id": 1, "a": {digits}, "b": 0.{"5" * 9000}, "c": {"9" * 5000}.5, "d": 1e{"0" * 17}1, '
           f'"title": "{"1" * 6000}"}}]')  # fmt: skip
    result = read(write("d.json", doc))
    assert result.errors == []
    assert result.ids == ["1"]
    assert result.records[0].fields["title"] == "1" * 6000


def test_every_value_of_a_key_written_twice_is_read_and_reported(write, read: Read) -> None:
    doc = ('[{"id": 1, "title": "plain"}, {"id": 2, "title": "plain", "title": "carved ivory", '
           '"seller": {"name": "a"}, "seller": {"name": "b", "city": "c"}, "title": ["x", 3]}, '
           '{"id": 3, "tags": [{"t": "u", "t": "v"}]}]')  # fmt: skip
    path = write("d.json", doc)
    result = read(path, fields=("title", "seller.name", "seller.city", "tags"))
    assert result.ids == ["1", "2", "3"]
    assert result.records[1].fields == {
        "title": "plain\ncarved ivory\nx\n3", "seller.name": "a\nb", "seller.city": "c",
    }
    assert result.messages == [
        f"{path}: title: key written 3 times in record 2; every value is scanned",
        f"{path}: tags.t: key written 2 times in record 3; every value is scanned",
    ]
    assert all(isinstance(error, KeptRowProblem) for error in result.errors)


def test_nesting_up_to_the_limit_is_fine(write, read: Read) -> None:
    deep = '{"a": ' * 1023 + "1" + "}" * 1023
    result = read(write("d.json", f'[{{"id": 1, "x": {deep}}}]'))
    assert result.errors == []
    assert result.ids == ["1"]


def test_nested_paths_and_non_string_values(write, read: Read) -> None:
    doc = [
        {
            "id": 5,
            "seller": {"name": "Bo", "score": 1.5},
            "tags": ["ivory", "carved"],
            "flag": False,
            "obj": {},
        }
    ]
    fields = ("seller.name", "seller.score", "tags", "flag", "obj", "seller.none.deeper")
    result = read(write("d.json", json.dumps(doc)), fields=fields)
    assert result.records[0].fields == {
        "seller.name": "Bo",
        "seller.score": "1.5",
        "tags": "ivory\ncarved",
        "flag": "False",
    }
    assert result.messages == [
        f"{result.records[0].source}: field 'seller.none.deeper' not found in any record"
    ]


def test_missing_id_on_some_records(write, read: Read) -> None:
    doc = [
        {"product_id": 10, "title": "a"},
        {"title": "b"},
        {"product_id": None, "title": "c"},
        {"product_id": {"x": 1}},
    ]
    result = read(write("d.json", json.dumps(doc)))
    assert result.errors == []
    assert result.ids == ["10", "2", "3", "4"]


def test_utf16_json_with_bom(write, read: Read) -> None:
    path = write("d.json", b"\xfe\xff" + json.dumps(_listings(2), ensure_ascii=False).encode("utf-16-be"))
    assert read(path).ids == ["L1", "L2"]


def test_too_much_before_the_array_is_unavailable(write) -> None:
    path = write("d.json", json.dumps({"meta": ["x" * 100] * 1000, "listings": _listings(1)}))
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path), ReadOptions(max_record_bytes=1024), on_error=lambda error: None))
    assert str(caught.value) == f"{path}: no array of objects in the first 1 KiB"


def test_big_array_streams_in_order(write, read: Read) -> None:
    listings = _listings(20_000)
    result = read(write("d.json", json.dumps({"listings": listings})))
    assert result.errors == []
    assert len(result.records) == 20_000
    assert result.records[-1].id == "L20000"
    assert result.records[-1].row == 20_000
