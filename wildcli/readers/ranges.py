"""Reading one byte range of a large dump on its own, so that several processes can share a file.

`inspect` says whether a dump can be split and what each range needs; `read_range` reads one.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace

from wildcli.errors import Location
from wildcli.readers.base import ErrorCallback, FileProblem, InputFormat, Plan, ReadOptions, Record, Span
from wildcli.readers.counts import count_field_problem
from wildcli.readers.csv_reader import read_csv, read_header
from wildcli.readers.fields import missing_message
from wildcli.readers.jsonl_reader import first_plan, read_jsonl
from wildcli.readers.opening import _GZIP_MAGIC, BrokenInput, OpenedInput, open_source
from wildcli.readers.text_reader import read_text

_BUFFER = 256 * 1024


@dataclass(frozen=True)
class Layout:
    """What every byte range of one splittable dump needs to be read like the whole dump is.

    `header` is the CSV header row's cells; `plan` the JSON Lines field choice made on the first
    object (None when no line holds one, and then no range can hold one either).
    """

    path: str
    format: InputFormat
    encoding: str
    bom_length: int
    head: str
    size: int
    header: tuple[str, ...] | None = None
    plan: Plan | None = None


def inspect(path: str, options: ReadOptions) -> Layout | None:
    """The layout of `path` if it can be read in ranges that start at line breaks, else None.

    Only plain (not gzip) UTF-8 CSV, JSON Lines and query files qualify: there every 0x0A byte is
    a line break. Raises InputError subclasses when the file cannot be opened.
    """
    if path == "-":
        return None
    with open(path, "rb") as handle:
        if handle.read(2) == _GZIP_MAGIC:
            return None
    with open_source(path, options) as source:
        if source.blank or codecs.lookup(source.encoding).name != "utf-8":
            return None
        layout = Layout(path, source.format, source.encoding, source.bom_length, source.head,
                        os.path.getsize(path))  # fmt: skip
        if source.format is InputFormat.JSONL:
            return replace(layout, plan=first_plan(source, options))
        if source.format is InputFormat.CSV:
            header = read_header(source, options)
            return None if header is None else replace(layout, header=header)
        if source.format is InputFormat.TEXT:
            return layout
    return None


class _RangeRaw(io.RawIOBase):
    """The bytes [start, end) of a file, and then end of file."""

    def __init__(self, path: str, start: int, end: int) -> None:
        self._path = path
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed with the stream
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        try:
            size = self._file.readinto(view) or 0
        except OSError as error:
            reason = os.strerror(error.errno) if error.errno else str(error)
            raise BrokenInput(f"read error: {reason}", Location(self._path)) from None
        self._left -= size
        return size

    def close(self) -> None:
        self._file.close()
        super().close()


def read_range(
    layout: Layout, start: int, end: int, options: ReadOptions, report: ErrorCallback, span: Span
) -> Iterator[Record]:
    """Records of the bytes [start, end) of the dump; both are 0, the file's size or just after
    a line break outside any record. Numbering, ids and what `span` is told: see Span."""
    first = start == 0
    span.plan = layout.plan
    span.header = None if first else layout.header
    stream = io.BufferedReader(_RangeRaw(layout.path, layout.bom_length if first else start, end), _BUFFER)
    with stream:
        source = OpenedInput(
            display=layout.path, name=layout.path, stream=stream, encoding=layout.encoding,
            bom_length=layout.bom_length if first else 0, format=layout.format,
            head=layout.head, blank=False,
        )
        problem = count_field_problem(layout.format, options, layout.path) if first else None
        if problem is not None:
            report(problem)  # where reading the whole file reports it: before its first record
        try:
            yield from _RANGE_READERS[layout.format](source, options, report, span)
        except BrokenInput as error:
            report(FileProblem(error.message, error.location))


_RANGE_READERS = {InputFormat.CSV: read_csv, InputFormat.JSONL: read_jsonl, InputFormat.TEXT: read_text}


def missing_field_errors(layout: Layout, options: ReadOptions, unseen: frozenset[str]) -> list[FileProblem]:
    """What a JSON Lines dump or a query file reports at its end for requested fields that no
    range had."""
    requested = [*(options.fields or ()), options.id_field or ""]
    names = [name for name in dict.fromkeys(requested) if name and name in unseen]
    return [FileProblem(missing_message(name, options), Location(layout.path)) for name in names]
