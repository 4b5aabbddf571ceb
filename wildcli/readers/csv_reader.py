"""CSV/TSV dumps: sniffed delimiter, header row, one record per row, bad rows reported and skipped."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from wildcli.errors import InputError, InputUnavailable
from wildcli.readers.base import ErrorCallback, ReadOptions, Record
from wildcli.readers.decoding import errors_seen, first_problem, has_problem
from wildcli.readers.fields import detect_id_field, detect_text_fields, unique_names
from wildcli.readers.opening import Source
from wildcli.readers.textlines import TOO_LONG, capped_lines, open_text, size_text

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_ROWS = 100
_C_LONG_MAX = 2**31 - 1  # csv.field_size_limit takes a C long, 32-bit on Windows


def sniff_delimiter(sample: str) -> str:
    """The candidate delimiter that splits the header widest and most rows to the header's width."""
    if len(sample) > 1 and "\n" in sample[:-1]:
        sample = sample[: sample.rindex("\n", 0, len(sample) - 1) + 1]  # drop a cut-off last line
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
        try:
            rows = [row for row in itertools.islice(reader, _SNIFF_ROWS) if row]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(row) == width for row in rows) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass
class _Feed:
    """Hands physical lines to the csv module and remembers what it saw in them.

    The csv module pulls exactly the lines of one record, so the line count after a row is
    the record's last line, and problems collected since the previous row belong to it.
    """

    source: Source
    limit: int
    line: int = 0
    eof: bool = False
    too_long_at: int | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lines = capped_lines(open_text(self.source), self.limit)
        self._errors_before = errors_seen()

    @property
    def ended(self) -> bool:
        return self.eof or self.too_long_at is not None

    def segment(self) -> Iterator[str]:
        """Lines up to the end or the next over-long line; the caller starts a new csv reader."""
        self.too_long_at = None
        for line in self._lines:
            self.line += 1
            if line is TOO_LONG:
                self.too_long_at = self.line
                return
            if "\x00" in line or (errors_seen() != self._errors_before and has_problem(line)):
                self._flag(line)
                line = line.replace("\x00", "")  # Python 3.10's csv module rejects NUL itself
            yield line
        self.eof = True

    def _flag(self, line: str) -> None:
        offset = self.source.bom_length if self.line == 1 else 0
        message = first_problem(line, self.source.encoding, offset)
        if message is not None:
            self.problems.append((self.line, message))


class _Row(NamedTuple):  # a NamedTuple: built once per row, and cheaper than a frozen dataclass
    start: int
    cells: list[str] | None
    problem: str | None = None
    problem_line: int | None = None


def _rows(feed: _Feed, options: ReadOptions, delimiter: str) -> Iterator[_Row]:
    """Every non-blank physical record, with cells or with the reason it cannot be used."""
    limit = size_text(options.max_record_bytes)
    while not feed.eof:
        reader = csv.reader(feed.segment(), delimiter=delimiter, quotechar='"', strict=False)
        start = feed.line + 1
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as error:
                too_big = "field limit" in str(error)
                yield _Row(start, None, f"field is longer than {limit}" if too_big else f"bad CSV: {error}")
            else:
                if feed.too_long_at is not None:
                    yield _Row(start, None, f"line is longer than {limit}", feed.too_long_at)
                    feed.problems.clear()
                    break
                if cells is None:
                    break
                if feed.eof:
                    yield _Row(start, None, "quoted field is never closed")
                elif feed.problems:
                    yield _Row(start, None, feed.problems[0][1], feed.problems[0][0])
                elif cells:
                    yield _Row(start, cells)
            feed.problems.clear()
            start = feed.line + 1


def _plan(names: list[str], options: ReadOptions, source: Source, line: int,
          report: ErrorCallback) -> tuple[list[tuple[str, int]], int | None]:  # fmt: skip
    """The (name, index) of each text column and the id column's index."""
    index = {name: i for i, name in enumerate(names)}
    wanted = detect_text_fields(names) if options.fields is None else list(dict.fromkeys(options.fields))
    requested = list(options.fields or ()) + ([options.id_field] if options.id_field else [])
    for name in dict.fromkeys(requested):
        if name not in index:
            role = "id field" if name == options.id_field else "field"
            report(InputError(f"{role} '{name}' not found in the header", source.where(line)))
    id_name = options.id_field or detect_id_field(names)
    columns = [(name, index[name]) for name in wanted if name in index]
    return columns, index.get(id_name) if id_name is not None else None


def read_csv(source: Source, options: ReadOptions, report: ErrorCallback) -> Iterator[Record]:
    """Records of a CSV/TSV dump; see the package docstring for the error contract."""
    csv.field_size_limit(min(options.max_record_bytes, _C_LONG_MAX))
    tab = source.name.lower().removesuffix(".gz").endswith(".tsv")
    delimiter = "\t" if tab else sniff_delimiter(source.head)
    rows = _rows(_Feed(source, options.max_record_bytes), options, delimiter)
    header = next(rows, None)
    if header is None:
        report(InputError("empty file", source.where()))
        return
    if header.cells is None:
        # Without a header no row can be read: the whole input is unusable.
        where = source.where(header.problem_line or header.start)
        raise InputUnavailable(header.problem or "bad header", where)
    names = unique_names(header.cells)
    columns, id_index = _plan(names, options, source, header.start, report)
    width = len(names)
    for number, row in enumerate(rows, 1):
        if row.cells is None:
            report(InputError(row.problem or "bad row", source.where(row.problem_line or row.start)))
        elif len(row.cells) != width:
            message = f"row has {_fields(len(row.cells))}, header has {width}"
            report(InputError(message, source.where(row.start)))
        else:
            cells = row.cells
            texts = {name: cells[i] for name, i in columns if cells[i]}
            record_id = cells[id_index].strip() if id_index is not None else ""
            yield Record(source.display, number, record_id or str(number), texts, row.start)


def _fields(count: int) -> str:
    return "1 field" if count == 1 else f"{count} fields"
