"""Parquet and Arrow IPC dumps: nested --fields, row numbers across row groups and batches, and
the reliability guarantees of the other readers (damage reported in one line, rows before it kept)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from wildcli.errors import InputUnavailable
from wildcli.readers import FileProblem, InputFormat, read_records
from wildcli.readers.arrow_reader import BATCH_ROWS

from ..reliability.support import scan
from .support import read_all

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
ipc = pytest.importorskip("pyarrow.ipc")

NESTED = ["item.title", "seller.name", "tags"]


def _table() -> object:
    """Five listings: nested titles, a null struct, a list of strings with a null in it, and a row
    that is null in every column."""
    return pa.table({
        "listing_id": ["a1", "a2", "a3", None, "a5"],
        "item": [{"title": "Carved ivory bangle", "price": 3}, None, {"title": "Teak chair", "price": 1},
                 None, {"title": None, "price": 2}],
        "seller": [{"name": "Bob"}, {"name": "ngà voi shop"}, None, None, {"name": ""}],
        "tags": [["old", "elephant ivory"], None, [None, "wood"], None, []],
        "views": [10, 20, 30, None, 50],
    })  # fmt: skip


EXPECTED = [
    (1, "a1", {"item.title": "Carved ivory bangle", "seller.name": "Bob", "tags": "old\nelephant ivory"}),
    (2, "a2", {"seller.name": "ngà voi shop"}),
    (3, "a3", {"item.title": "Teak chair", "tags": "wood"}),
    (4, "4", {}),
    (5, "a5", {}),
]


def _write(path: Path, table: object, kind: str, group: int = 2) -> Path:
    """`table` as Parquet (row groups of `group` rows), an Arrow IPC file or an Arrow IPC stream
    (record batches of `group` rows)."""
    if kind == "parquet":
        pq.write_table(table, path, row_group_size=group)
    else:
        new = ipc.new_file if kind == "file" else ipc.new_stream
        with new(str(path), table.schema) as writer:  # type: ignore[attr-defined]
            writer.write_table(table, max_chunksize=group)
    return path


KINDS = [("parquet", "d.parquet"), ("file", "d.arrow"), ("stream", "d.ipc")]


@pytest.mark.parametrize(("kind", "name"), KINDS)
def test_nested_fields_lists_and_a_null_row_across_groups(tmp_path: Path, kind: str, name: str) -> None:
    path = _write(tmp_path / name, _table(), kind)
    result = read_all(path, fields=tuple(NESTED))
    assert result.messages == []
    assert [(r.row, r.id, dict(r.fields)) for r in result.records] == EXPECTED
    assert all(r.line is None for r in result.records)
    assert sum(result.progress) == path.stat().st_size


@pytest.mark.parametrize(("kind", "name"), [("parquet", "dump.bin"), ("file", "dump.csv"), ("stream", "dump")])
def test_told_by_magic_bytes_whatever_the_name(tmp_path: Path, kind: str, name: str) -> None:
    path = _write(tmp_path / name, _table(), kind)
    assert [r.id for r in read_all(path, fields=("item.title",)).records] == ["a1", "a2", "a3", "4", "a5"]


def test_text_columns_and_id_are_detected_without_fields(tmp_path: Path) -> None:
    table = pa.table({"post_id": [7, 8], "title": ["ivory", "teak"], "body": ["x", None], "views": [1, 2],
                      "seller": [{"name": "a"}, {"name": "b"}]})  # fmt: skip
    result = read_all(_write(tmp_path / "d.parquet", table, "parquet"))
    assert [(r.id, dict(r.fields)) for r in result.records] == [
        ("7", {"title": "ivory", "body": "x"}), ("8", {"title": "teak"})
    ]


@pytest.mark.parametrize(("kind", "name"), KINDS)
def test_fields_that_are_not_text_are_reported_once_each(tmp_path: Path, kind: str, name: str) -> None:
    path = _write(tmp_path / name, _table(), kind)
    result = read_all(path, fields=("item.title", "views", "seller", "item.price", "nope", "item.nope"))
    assert result.messages == [
        f"{path}: views: column holds int64, not text: not scanned",
        f"{path}: seller: column is a struct, not text: name its fields (seller.name)",
        f"{path}: item.price: column holds int64, not text: not scanned",
        f"{path}: field 'nope' not found in any record",
        f"{path}: field 'item.nope' not found in any record",
    ]
    assert all(isinstance(error, FileProblem) for error in result.errors)
    assert result.column("item.title") == ["Carved ivory bangle", None, "Teak chair", None, None]


def test_a_column_named_with_a_dot_wins_over_a_path(tmp_path: Path) -> None:
    table = pa.table({"item.title": ["flat"], "item": [{"title": "nested"}]})
    result = read_all(_write(tmp_path / "d.parquet", table, "parquet"), fields=("item.title",))
    assert result.column("item.title") == ["flat"]


def test_rows_are_numbered_across_row_groups_and_batches(tmp_path: Path) -> None:
    rows = 3 * BATCH_ROWS + 5
    table = pa.table({"title": [f"listing {i}" for i in range(rows)]})
    path = _write(tmp_path / "d.parquet", table, "parquet", group=BATCH_ROWS + 7)
    records = read_all(path).records
    assert [r.row for r in records] == list(range(1, rows + 1))
    assert records[-1].fields == {"title": f"listing {rows - 1}"}


def _damage_group(path: Path, group: int) -> None:
    """Overwrite the start of one column chunk of row group `group`; the footer stays whole."""
    chunk = pq.ParquetFile(path).metadata.row_group(group).column(0)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(path.read_bytes())
    data[start + 4:start + 40] = bytes(0x5A ^ b for b in data[start + 4:start + 40])
    path.write_bytes(bytes(data))


def _titles(rows: int) -> object:
    return pa.table({"title": [f"listing {i} of a dump" for i in range(rows)]})


def test_a_damaged_row_group_is_reported_and_the_others_are_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.parquet", _titles(30), "parquet", group=10)
    _damage_group(path, 1)
    result = read_all(path)
    assert [r.row for r in result.records] == [*range(1, 11), *range(21, 31)]
    [message] = result.messages
    assert message.startswith(f"{path}: row group 2 of 3 is damaged: rows 11-20 not read: ")
    assert "\n" not in message


def test_a_truncated_parquet_file_is_one_line_and_unavailable(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.parquet", _titles(30), "parquet", group=10)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path)))
    assert str(caught.value) == (
        f"{path}: not a readable Parquet file: no Parquet footer (the file is cut off, or not Parquet)"
    )


@pytest.mark.parametrize(("kind", "name"), [("file", "d.arrow"), ("stream", "d.arrows")])
def test_a_truncated_arrow_file_keeps_the_batches_before_the_cut(tmp_path: Path, kind: str, name: str) -> None:
    path = _write(tmp_path / name, _titles(300), kind, group=100)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 5 // 10])
    result = read_all(path)
    kept = len(result.records)
    assert 100 <= kept < 300
    assert [r.row for r in result.records] == list(range(1, kept + 1))
    [message] = result.messages
    assert message.startswith(f"{path}: Arrow data is damaged or cut off after row {kept}: ")
    assert isinstance(result.errors[0], FileProblem)


def test_an_arrow_stream_from_gzip_and_stdin(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.arrows", _table(), "stream")
    zipped = tmp_path / "d.arrows.gz"
    zipped.write_bytes(gzip.compress(path.read_bytes()))
    for result in (read_all(zipped, fields=tuple(NESTED)), read_all("-", path.read_bytes(), fields=tuple(NESTED))):
        assert result.messages == []
        assert [(r.row, r.id, dict(r.fields)) for r in result.records] == EXPECTED


def test_parquet_must_be_a_file_on_disk(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.parquet", _table(), "parquet")
    with pytest.raises(InputUnavailable, match=r"^<stdin>: Parquet keeps its index at the end of the file"):
        list(read_records("-", stdin=io.BytesIO(path.read_bytes())))


def test_not_parquet_after_all(tmp_path: Path) -> None:
    path = tmp_path / "d.parquet"
    path.write_text("title\nivory\n")
    with pytest.raises(InputUnavailable, match="not a readable Parquet file"):
        list(read_records(str(path)))
    assert read_all(path, format=InputFormat.CSV).column("title") == ["ivory"]


@pytest.mark.parametrize(("kind", "name"), KINDS)
def test_scan_reports_row_numbers_and_damage_with_exit_codes(tmp_path: Path, kind: str, name: str) -> None:
    path = _write(tmp_path / name, _table(), kind)
    result = scan(str(path), "--fields", ",".join(NESTED), "--ignore-lint-errors")
    assert result.code == 0
    assert [(f["row"], f["record"], f["field"]) for f in result.findings] == [
        (1, "a1", "item.title"), (1, "a1", "tags"), (2, "a2", "seller.name")
    ]
    cut = tmp_path / f"cut-{name}"
    cut.write_bytes(path.read_bytes()[:60])
    broken = scan(str(cut), "--fields", "item.title", "--ignore-lint-errors")
    assert broken.code == 66
    assert len([line for line in broken.stderr if line.startswith("error: ")]) == 1


def test_a_null_struct_hides_the_values_under_it(tmp_path: Path) -> None:
    # Arrow keeps the child values of a struct that is null (Parquet does not): they are not text.
    names = pa.array(["Bob", "left over"])
    seller = pa.StructArray.from_arrays([names], names=["name"], mask=pa.array([False, True]))
    path = _write(tmp_path / "d.arrow", pa.table({"seller": seller}), "file")
    assert read_all(path, fields=("seller.name",)).column("seller.name") == ["Bob", None]


def test_a_row_longer_than_the_limit_is_reported_and_skipped(tmp_path: Path) -> None:
    table = pa.table({"title": ["short", "x" * 50, "fine"]})
    result = read_all(_write(tmp_path / "d.parquet", table, "parquet"), max_record_bytes=20)
    assert [r.row for r in result.records] == [1, 3]
    assert result.messages == [f"{tmp_path / 'd.parquet'}: row 2 is longer than 20 bytes"]


def test_without_pyarrow_the_file_is_one_line_naming_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    path = _write(tmp_path / "d.parquet", _table(), "parquet")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # import fails as if not installed
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path)))
    assert str(caught.value) == "reading Parquet and Arrow files needs pyarrow: pip install 'wildcli[parquet]'"


@pytest.mark.slow
def test_a_large_row_group_is_scanned_in_bounded_memory(tmp_path: Path) -> None:
    from ..reliability.support import fixture_args, measure

    rows = 300_000  # about 100 MB of text in one row group
    filler = "hand carved teak box with brass hinges, shipped from the coast, no returns accepted " * 4
    table = pa.table({"id": pa.array(range(rows)), "title": [f"{i} {filler}" for i in range(rows)]})
    path = tmp_path / "large.parquet"
    pq.write_table(table, path, row_group_size=rows)
    del table
    result = measure(["scan", str(path), "--jobs", "1", *fixture_args(), "-o", str(tmp_path / "out.jsonl")],
                     timeout=110)
    assert result.code == 0, result.stderr
    assert result.peak_rss <= 300 * 1024 * 1024, result.peak_rss
