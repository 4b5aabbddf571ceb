"""CSV reader: dialects, quoting, line numbers, bad rows reported with good rows kept, corpora."""

from __future__ import annotations

import csv
import itertools
import pathlib

import pytest

from wildcli.errors import InputError, InputUnavailable
from wildcli.readers import KeptRowProblem, ReadOptions, read_records
from wildcli.readers.csv_reader import sniff_delimiter

from .support import CORPORA, Read, read_all


def test_basic_rows_fields_ids_and_lines(write, read: Read) -> None:
    path = write(
        "d.csv", "listing_id,title,description,price\nA1,Ivory bangle,old piece,10\nA2,Teak box,,5\n"
    )
    result = read(path)
    assert result.errors == []
    assert [(r.row, r.id, r.line) for r in result.records] == [(1, "A1", 2), (2, "A2", 3)]
    assert result.records[0].fields == {"title": "Ivory bangle", "description": "old piece"}
    assert result.records[1].fields == {"title": "Teak box"}  # empty cells are left out
    assert result.records[0].source == str(path)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_sniffs_delimiter(write, read: Read, delimiter: str) -> None:
    rows = [["id", "title", "note"], ["1", "a, b; c", "x|y"], ["2", "tiger bone", "z"]]
    text = "".join(
        delimiter.join(f'"{c}"' if any(d in c for d in ",;|\t") else c for c in row) + "\n" for row in rows
    )
    result = read(write("d.dat", text))
    assert result.errors == []
    assert result.column("title") == ["a, b; c", "tiger bone"]


def test_sniff_prefers_header_width_over_commas_in_text() -> None:
    sample = "id;title\n1;hello, world, again\n2;one, two\n"
    assert sniff_delimiter(sample) == ";"
    assert sniff_delimiter("just one column\nvalue\n") == ","


def test_tsv_extension_forces_tab(write, read: Read) -> None:
    result = read(write("d.tsv", "id\ttitle\n1\ta,b,c\n"))
    assert result.records[0].fields == {"title": "a,b,c"}


def test_utf8_bom_is_not_part_of_the_header(write, read: Read) -> None:
    result = read(write("d.csv", b"\xef\xbb\xbfid,title\n7,rhino horn\n"))
    assert result.errors == []
    assert result.ids == ["7"]
    assert result.records[0].fields == {"title": "rhino horn"}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(write, read: Read, codec: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    path = write("d.csv", bom + "id,title\n1,象牙 bangle\n2,pangolin scales\n".encode(codec))
    result = read(path)
    assert result.errors == []
    assert result.column("title") == ["象牙 bangle", "pangolin scales"]


def test_encoding_override_latin1(write, read: Read) -> None:
    path = write("d.csv", "id,title\n1,tortue écaille\n".encode("latin-1"))
    assert read(path, encoding="latin-1").column("title") == ["tortue écaille"]
    result = read(path)  # as UTF-8 the é byte is invalid: the row is reported, not mangled
    assert result.records == []
    assert result.messages == [f"{path}:2: invalid UTF-8 at byte 10"]


def test_multiline_quoted_fields_report_starting_line(write, read: Read) -> None:
    text = 'id,title\n1,"line one\nline two\nline three"\n2,single\n3,"a\r\nb"\n4,x\n'
    result = read(write("d.csv", text))
    assert result.errors == []
    assert [(r.id, r.line) for r in result.records] == [("1", 2), ("2", 5), ("3", 6), ("4", 8)]
    assert result.records[0].fields["title"] == "line one\nline two\nline three"
    assert result.records[2].fields["title"] == "a\r\nb"


def test_crlf_line_endings(write, read: Read) -> None:
    result = read(write("d.csv", "id,title\r\n1,a\r\n2,b\r\n"))
    assert [(r.id, r.line, r.fields["title"]) for r in result.records] == [("1", 2, "a"), ("2", 3, "b")]


def test_ten_megabyte_field(write, read: Read) -> None:
    big = "ivory " * (10 * 1024 * 1024 // 6)
    result = read(write("d.csv", f'id,title\n1,"{big}"\n2,after\n'))
    assert result.errors == []
    assert result.records[0].fields["title"] == big
    assert result.records[1].line == 3


def test_short_rows_are_reported_and_skipped_wide_rows_reported_and_kept(write, read: Read) -> None:
    path = write("d.csv", "id,title,description,price\n1,a,b,1\n2,carved, ivory tusk,b,1,x\n3,a\n4,a,b,1\n5,a,b,1,\n")
    result = read(path)
    assert result.ids == ["1", "2", "4", "5"]
    assert [r.row for r in result.records] == [1, 2, 4, 5]  # record numbers stay those of the file
    assert result.records[1].fields == {"title": "carved", "description": " ivory tusk", "column_5": "1", "column_6": "x"}
    assert result.records[3].fields == {"title": "a", "description": "b"}
    assert result.messages == [
        f"{path}:3: row has 6 fields, header has 4; the extra fields are scanned as column_5 to column_6",
        f"{path}:4: row has 2 fields, header has 4",
        f"{path}:6: row has 5 fields, header has 4; the extra field is scanned as column_5",
    ]
    assert [type(error) for error in result.errors] == [KeptRowProblem, InputError, KeptRowProblem]


def test_extra_fields_take_names_the_header_does_not_have(write, read: Read) -> None:
    path = write("d.csv", "id,title,column_3\n1,a,b,carved ivory\n")
    assert read(path).records[0].fields == {"title": "a", "column_4": "carved ivory"}
    path = write("e.csv", "id,title,column_4\n1,a,b,carved ivory\n")
    assert read(path).records[0].fields["column_4_2"] == "carved ivory"


def test_single_cell_row_message_is_singular(write, read: Read) -> None:
    path = write("d.csv", "id,title\nlonely\n2,b\n")
    assert read(path).messages == [f"{path}:2: row has 1 field, header has 2"]


def test_unterminated_quote_keeps_rows_before(write, read: Read) -> None:
    path = write("d.csv", 'id,title\n1,good\n2,"never closed\n3,swallowed\n')
    result = read(path)
    assert result.ids == ["1"]
    assert result.messages == [f"{path}:3: quoted field is never closed"]


def test_nul_byte_row_is_reported_and_skipped(write, read: Read) -> None:
    path = write("d.csv", b"id,title\n1,good\n2,ba\x00d\n3,fine\n")
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}:3: NUL byte at byte 5"]


def test_invalid_utf8_mid_file_between_good_rows(write, read: Read) -> None:
    path = write("d.csv", b"id,title\n1,good\n2,caf\xe9 \xff\n3,fine\n")
    result = read(path)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}:3: invalid UTF-8 at byte 6"]


def test_invalid_utf8_in_multiline_record_names_its_own_line(write, read: Read) -> None:
    path = write("d.csv", b'id,title\n1,"first\nsec\xffond"\n2,fine\n')
    result = read(path)
    assert result.ids == ["2"]
    assert result.messages == [f"{path}:3: invalid UTF-8 at byte 4"]


def test_invalid_utf8_far_into_a_large_file(write, read: Read) -> None:
    good = "".join(f"{i},listing number {i}\n" for i in range(20000))
    path = write("d.csv", ("id,title\n" + good).encode() + b"bad,\xc3\x28\n" + good.encode())
    result = read(path)
    assert len(result.records) == 40000
    assert result.messages == [f"{path}:20002: invalid UTF-8 at byte 5"]


def test_duplicate_columns_are_disambiguated(write, read: Read) -> None:
    result = read(write("d.csv", "id,name,name,name_2,\n1,a,b,c,d\n"))
    assert result.errors == []
    assert result.records[0].fields == {"name": "a", "name_3": "b", "name_2": "c"}
    chosen = read(write("e.csv", "id,name,name\n1,a,b\n"), fields=("name_2", "column_9"))
    assert chosen.records[0].fields == {"name_2": "b"}


def test_hundred_thousand_columns(write, read: Read) -> None:
    count = 100_000
    header = ",".join(["id", "title"] + [f"c{i}" for i in range(count - 2)])
    row = ",".join(["1", "elephant ivory"] + ["0"] * (count - 2))
    result = read(write("wide.csv", f"{header}\n{row}\n{row}\n"))
    assert result.errors == []
    assert result.column("title") == ["elephant ivory", "elephant ivory"]


def test_header_only_gives_no_records_and_no_errors(write, read: Read) -> None:
    result = read(write("d.csv", "id,title\n"))
    assert result.records == []
    assert result.errors == []


def test_empty_file_is_reported(write, read: Read) -> None:
    path = write("d.csv", b"")
    result = read(path)
    assert result.records == []
    assert result.messages == [f"{path}: empty file"]
    with pytest.raises(InputError, match="empty file"):
        list(read_records(str(path)))


def test_blank_lines_are_skipped_and_not_counted(write, read: Read) -> None:
    result = read(write("d.csv", "\nid,title\n\n1,a\n\n\n2,b\n"))
    assert [(r.row, r.line) for r in result.records] == [(1, 4), (2, 7)]


def test_requested_fields_and_missing_field(write, read: Read) -> None:
    path = write("d.csv", "id,title,body\n1,a,b\n2,c,d\n")
    result = read(path, fields=("body", "titel"))
    assert result.column("body") == ["b", "d"]
    assert result.messages == [f"{path}:1: field 'titel' not found in the header"]
    missing_id = read(path, id_field="sku")
    assert missing_id.ids == ["1", "2"]
    assert missing_id.messages == [f"{path}:1: id field 'sku' not found in the header"]


def test_missing_id_on_some_rows_falls_back_to_row_number(write, read: Read) -> None:
    result = read(write("d.csv", "post_id,title\np1,a\n,b\n  ,c\np4,d\n"))
    assert result.errors == []
    assert result.ids == ["p1", "2", "3", "p4"]


def test_no_id_column_uses_row_numbers(write, read: Read) -> None:
    result = read(write("d.csv", "title,body\na,b\nc,d\n"))
    assert result.ids == ["1", "2"]


def test_explicit_id_field(write, read: Read) -> None:
    result = read(write("d.csv", "id,sku,title\n1,S-9,a\n"), id_field="sku")
    assert result.ids == ["S-9"]


def test_overlong_field_is_reported(write, read: Read) -> None:
    path = write("d.csv", 'id,title\n1,"' + "x\n" * 40 + '"\n2,ok\n')
    result = read(path, max_record_bytes=32)
    assert result.messages[0] == f"{path}:2: field is longer than 32 bytes"


def test_blank_lines_inside_a_quoted_field_count_towards_its_size(write, read: Read) -> None:
    # Blank lines in a row reach the reader as one run: they still make the record over-long
    # where they push it past the limit, not the longer line after them.
    path = write("d.csv", 'id,title,body\r\n7,"' + ":" * 14 + '","' + "\r" * 6 + ":" * 30 + '"\r\n8,ok,fine\r\n')
    result = read(path, max_record_bytes=24)
    assert result.messages == [f"{path}:2: field is longer than 24 bytes"]
    assert result.ids == ["8"]


def test_overlong_line_is_skipped_without_reading_it_whole(write, read: Read) -> None:
    path = write("d.csv", "id,title\n1,a\n2," + "y" * 5000 + "\n3,b\n")
    result = read(path, max_record_bytes=1024)
    assert result.ids == ["1", "3"]
    assert result.messages == [f"{path}:3: line is longer than 1 KiB"]


@pytest.mark.parametrize("breaks", ["\r\r\r", "\n\n\n", "\r\n\r\n\r\n"])
def test_blank_lines_inside_a_skipped_field_keep_the_line_count(write, read: Read, breaks: str) -> None:
    # The over-long first line is skipped while its quoted field is still open; the blank lines
    # that follow inside that field must all be counted, or every later line number is off.
    path = write("d.csv", 'id,title,note\r\n1,"' + "z" * 40 + '","' + breaks + '"\r\n2,ok,\r\n')
    result = read(path, max_record_bytes=20)
    assert result.messages == [f"{path}:2: line is longer than 20 bytes"]
    assert [(r.id, r.line) for r in result.records] == [("2", 6)]


def test_header_problem_makes_input_unavailable(write) -> None:
    path = write("d.csv", b"id,ti\xfftle\n1,a\n")
    with pytest.raises(InputUnavailable) as caught:
        list(read_records(str(path), on_error=lambda error: None))
    assert str(caught.value) == f"{path}:1: invalid UTF-8 at byte 6"


CORPUS_EXPECTATIONS = [
    ("wlt_osn_ivory_tweets.csv", 8676, "tweet_id", ["tweet_text_cleaned", "user_description_cleaned"]),
    ("au_bird_classifieds_labeled_stemmed.csv", 16509, "classifieds_unique_listing_id", ["text_stop_stem"]),
    ("shopee_tw_product_titles_zh.csv", 11000, "id", ["title_zh", "title_en_reference"]),
]


@pytest.mark.corpora
@pytest.mark.parametrize(("name", "count", "id_column", "text_columns"), CORPUS_EXPECTATIONS)
def test_real_corpora_read_cleanly(name: str, count: int, id_column: str, text_columns: list[str]) -> None:
    path = CORPORA / name
    if not path.exists():
        pytest.skip("corpora not present")
    result = read_all(path)
    assert result.errors == []
    assert len(result.records) == count
    assert sum(result.progress) == path.stat().st_size
    with path.open(encoding="utf-8", newline="") as handle:
        expected = list(csv.DictReader(handle))
    assert result.ids == [row[id_column] for row in expected]
    assert [dict(r.fields) for r in result.records] == [
        {c: row[c] for c in text_columns if row[c]} for row in expected
    ]


@pytest.mark.corpora
def test_wlt_multiline_records_keep_physical_lines() -> None:
    path = CORPORA / "wlt_osn_ivory_tweets.csv"
    if not path.exists():
        pytest.skip("corpora not present")
    records = read_all(path).records
    assert records[-1].line is not None
    assert records[-1].line <= 9005
    spans = [b.line - a.line for a, b in itertools.pairwise(records) if a.line and b.line]  # type: ignore[operator]
    assert max(spans) > 1  # some records span several physical lines


def test_reading_never_lowers_the_process_wide_field_limit(tmp_path: pathlib.Path) -> None:
    """The csv module's field limit is one for the whole process: a scan with a small
    --max-record-bytes must not break the CSV reading of other code in it."""
    path = tmp_path / "small.csv"
    path.write_text("title\nivory\n", encoding="utf-8")
    before = csv.field_size_limit()
    records = list(read_records(str(path), ReadOptions(max_record_bytes=64)))
    assert [r.fields["title"] for r in records] == ["ivory"]
    assert csv.field_size_limit() == before
    long_field = "x" * (before // 2 + 1000)
    assert next(csv.reader([long_field])) == [long_field]
