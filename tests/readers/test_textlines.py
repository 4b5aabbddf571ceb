"""Physical lines: runs of blank lines pass in bulk, and every line keeps its number and text."""

from __future__ import annotations

import io
import json
import os
import threading

import pytest

from wildcli.readers import ReadOptions, read_records
from wildcli.readers.textlines import TOO_LONG, BlankRun, capped_lines

from .support import Read


def _lines(text: str, limit: int = 1000) -> list[str]:
    wrapper = io.TextIOWrapper(io.BytesIO(text.encode()), "utf-8", newline="")
    wrapper._CHUNK_SIZE = 64  # type: ignore[attr-defined]  # many chunk boundaries
    return list(capped_lines(wrapper, limit))


def test_a_run_of_blank_lines_is_one_item_not_one_per_line() -> None:
    # A dump made mostly of blank lines took a trip through every reader loop per blank line:
    # 6 times the cost per byte of real listings.
    items = _lines("a\n" + "\n" * 100_000 + "b\r\n" + "\r\n" * 50_000 + "c\n")
    assert len(items) < 100
    assert "".join(items) == "a\n" + "\n" * 100_000 + "b\r\n" + "\r\n" * 50_000 + "c\n"
    assert sum(item.lines if type(item) is BlankRun else 1 for item in items) == 150_003


@pytest.mark.parametrize("text", [
    "a\nb\n", "a\r\nb\r\n", "a\rb\r", "a\r\n\r\nb", "\r\r\n\n\rx", "a\x0cb\u2028c\x85d\n\x1c\ne",
    "x" * 70 + "\r" + "\n" + "y" * 70, "\n" * 63 + "\r" + "\n" * 65 + "z",
])  # fmt: skip
def test_lines_are_cut_as_the_csv_module_cuts_them(text: str) -> None:
    items = _lines(text)
    assert "".join(items) == text
    expected = io.StringIO(text, newline="").readlines()
    assert [line for item in items for line in (item.splitlines(True) if type(item) is BlankRun else [item])] == expected


def test_over_long_lines_are_skipped_whole_among_blank_runs() -> None:
    text = "ok\n" + "x" * 300 + "\r\n" + "\n" * 10 + "y" * 500 + "\n" + "z" * 100 + "\r\n" + "w" * 101
    items = _lines(text, limit=100)
    assert [i for i in items if type(i) is not BlankRun] == ["ok\n", TOO_LONG, TOO_LONG, "z" * 100 + "\r\n", TOO_LONG]


@pytest.mark.parametrize(("name", "blank"), [("d.jsonl", "\n"), ("d.jsonl", "\r\n"), ("d.txt", "\r"),
                                             ("d.jsonl", " \t\n"), ("d.csv", "\n"), ("d.csv", "\r\n")])
def test_line_numbers_count_every_blank_line(write, read: Read, name: str, blank: str) -> None:
    gap, first = 5000, 1
    records = ['{"id": "1", "title": "a"}', '{"id": "2", oops', '{"id": "3", "title": "c"}']
    if name == "d.csv":
        records, first = ["id,title\n1,a", "2", '3,"c\n\nstill c"'], 2
    elif name == "d.txt":
        records = ["a", "b\x00", "c"]
    result = read(write(name, (blank * gap).join(records) + blank))
    assert [r.line for r in result.records] == [first, first + 2 * gap]
    assert [error.location.line for error in result.errors if error.location] == [first + gap]
    if name == "d.csv":
        assert result.records[-1].fields["title"] == "c\n\nstill c"  # blank lines inside a quoted field stay


def test_a_pipe_that_starts_with_blank_lines_is_not_empty() -> None:
    # Waiting for the first whole line of a stream took a first blank line for the whole input.
    read_end, write_end = os.pipe()
    data = b"\n" * 10_000 + json.dumps({"id": "A", "title": "t"}).encode() + b"\n"

    def feed() -> None:
        with os.fdopen(write_end, "wb") as out:
            out.write(data)

    thread = threading.Thread(target=feed)
    thread.start()
    errors: list[object] = []
    with os.fdopen(read_end, "rb") as stdin:
        records = list(read_records("-", ReadOptions(), on_error=errors.append, stdin=stdin))
    thread.join()
    assert errors == []
    assert [(r.id, r.line) for r in records] == [("A", 10_001)]
