"""The reader interface: a lazy stream of records with their text fields, errors via callback."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from wildcli.errors import InputError


@dataclass(frozen=True)
class Record:
    """One listing of a dump.

    `row` is the 1-based record number within its source (stable, printed in findings);
    `line` is the physical line where the record starts, for error messages and humans;
    `id` is the value of the id field, or the record number as a string when there is none;
    `fields` maps each selected text field (dotted path for nested JSON) to its text.
    """

    source: str
    row: int
    id: str
    fields: Mapping[str, str]
    line: int | None = None


class InputFormat(str, enum.Enum):
    """Formats a dump can be in; `auto` guesses from the file name and the first bytes."""

    AUTO = "auto"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


MAX_RECORD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How to read a dump. `fields`/`id_field` of None mean: detect from the header/first record.

    `max_record_bytes` caps one physical line (CSV, JSONL), one CSV field, and the part of a JSON
    object before its array of records. It is counted in decoded characters, each at least one
    byte of input; a longer line is reported and skipped, so memory stays bounded.
    """

    format: InputFormat = InputFormat.AUTO
    fields: tuple[str, ...] | None = None
    id_field: str | None = None
    encoding: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    max_record_bytes: int = MAX_RECORD_BYTES


ErrorCallback = Callable[[InputError], None]
ProgressCallback = Callable[[int], None]
"""Called with the number of bytes consumed from the underlying file since the last call."""

RecordStream = Iterator[Record]
