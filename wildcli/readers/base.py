"""The reader interface: a lazy stream of records with their text fields, errors via callback."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from wildcli.errors import InputError


@dataclass(frozen=True, init=False)
class Record:
    """One listing of a dump.

    `row` is the 1-based record number within its source (stable, printed in findings);
    `line` is the physical line where the record starts, for error messages and humans;
    `id` is the value of the id field, or the record number as a string when there is none;
    `fields` maps each selected text field (dotted path for nested JSON) to its text;
    `count` is how many times it was seen (searched, for a query log), 1 unless the input says.
    """

    source: str
    row: int
    id: str
    fields: Mapping[str, str]
    line: int | None = None
    count: int = 1
    counted: ClassVar[bool] = False
    """Whether `count` comes from the input: see CountedRecord."""

    def __init__(
        self, source: str, row: int, id: str, fields: Mapping[str, str], line: int | None = None,
        count: int = 1,
    ) -> None:
        # The generated __init__ of a frozen dataclass sets each field through object.__setattr__:
        # with one Record built per row, that was a sixth of reading a JSON Lines dump. Writing
        # the instance's dict does the same at half the cost. Keep this in step with the fields
        # above (tests/readers/test_reader_speed_equivalence.py checks).
        values = self.__dict__
        values["source"] = source
        values["row"] = row
        values["id"] = id
        values["fields"] = fields
        values["line"] = line
        values["count"] = count


class CountedRecord(Record):
    """A record of an input that says how often each record was seen: a query file (one query a
    line) or a query log (a CSV with a count column). Reports weigh such records by `count`;
    an ordinary dump gives plain Records, and its reports stay as they were."""

    counted = True


class InputFormat(str, enum.Enum):
    """Formats a dump can be in; `auto` guesses from the file name and the first bytes.

    `text` is a query file: one search query a line (see wildcli.readers.text_reader).
    `parquet` and `arrow` (Arrow IPC, file or stream: .arrow, .feather, .ipc) are columnar
    files from warehouses (see wildcli.readers.arrow_reader; they need pyarrow).
    """

    AUTO = "auto"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    TEXT = "text"
    PARQUET = "parquet"
    ARROW = "arrow"


MAX_RECORD_BYTES = 16 * 1024 * 1024
"""16 MiB: far above any real listing, low enough that a hostile line cannot exhaust memory."""


class FileProblem(InputError):
    """A problem with a whole input rather than with one of its rows: an empty file, a requested
    field that no record has, a stream that broke off after some records. Still exit 65, but
    not counted as an unreadable row by the CLI."""


class KeptRowProblem(FileProblem):
    """A problem with one row that was still read, so no text of it is lost: a CSV row with more
    fields than its header, a JSON object with a key written twice. Exit 65 like any problem,
    but the row is not unreadable, so the CLI does not count it as one."""


@dataclass(frozen=True)
class ReadOptions:
    """How to read a dump. `fields`/`id_field` of None mean: detect from the header/first record.

    `max_record_bytes` caps one physical line (CSV, JSONL), one CSV record spanning lines, one
    JSON record, and the part of a JSON object before its array of records. It is counted in
    decoded characters, each at least one byte of input; a longer line or CSV record is reported
    and skipped, a longer JSON record ends the file (JSON cannot be resumed inside a value), so
    memory stays bounded.

    `count_field` names the column of a CSV/TSV query log that says how many times each row's
    query was searched; None: a column named as in wildcli.readers.counts.COUNT_NAMES, if any;
    "": none (a listing dump whose `hits` column counts something else).
    """

    format: InputFormat = InputFormat.AUTO
    fields: tuple[str, ...] | None = None
    id_field: str | None = None
    encoding: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    max_record_bytes: int = MAX_RECORD_BYTES
    count_field: str | None = None


Plan = tuple[tuple[str, ...], str | None]
"""The text fields and id field chosen for JSON objects (from the first object of a dump)."""


@dataclass
class Span:
    """Reading one byte range of a dump on its own, as parallel scans do (wildcli.readers.ranges).

    Given: `header`, the CSV header cells for a range that starts after the header, and `plan`,
    the JSON Lines field choice made on the dump's first object. In a range, records and lines
    are numbered from 1 and a record without an id gets an empty one, because only the caller
    knows where the range starts. Filled in by the reader once the range is read: the `rows`
    and `lines` it consumed, whether a CSV range ended inside a quoted field (`unclosed`: the
    range did not end at a record boundary), and the requested fields no record of it had.
    """

    header: tuple[str, ...] | None = None
    plan: Plan | None = None
    rows: int = 0
    lines: int = 0
    unclosed: bool = False
    unseen: frozenset[str] | None = None


ErrorCallback = Callable[[InputError], None]
ProgressCallback = Callable[[int], None]
"""Called with the number of bytes consumed from the underlying file since the last call."""

RecordStream = Iterator[Record]
