"""Lazy, streaming readers for listing dumps: CSV/TSV, JSON, JSON Lines, and query files (one
search query a line), each optionally gzipped; Parquet and Arrow IPC files (with pyarrow).

The whole contract is in `read_records`; one module per format, plus opening, decoding and fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from wildcli.errors import InputError, InputUnavailable
from wildcli.readers.arrow_reader import read_arrow, read_parquet
from wildcli.readers.base import (
    MAX_RECORD_BYTES,
    CountedRecord,
    ErrorCallback,
    FileProblem,
    InputFormat,
    KeptRowProblem,
    ProgressCallback,
    ReadOptions,
    Record,
    RecordStream,
)
from wildcli.readers.counts import count_field_problem
from wildcli.readers.csv_reader import read_csv
from wildcli.readers.json_reader import read_json
from wildcli.readers.jsonl_reader import read_jsonl
from wildcli.readers.opening import STDIN_NAME, BrokenInput, OpenedInput, detect_format, open_source
from wildcli.readers.text_reader import read_text

__all__ = [
    "MAX_RECORD_BYTES",
    "STDIN_NAME",
    "CountedRecord",
    "ErrorCallback",
    "FileProblem",
    "InputFormat",
    "KeptRowProblem",
    "ProgressCallback",
    "ReadOptions",
    "Record",
    "RecordStream",
    "detect_format",
    "read_records",
]

_Reader = Callable[[OpenedInput, ReadOptions, ErrorCallback], Iterator[Record]]
_READERS: dict[InputFormat, _Reader] = {
    InputFormat.CSV: read_csv,
    InputFormat.JSON: read_json,
    InputFormat.JSONL: read_jsonl,
    InputFormat.TEXT: read_text,
    InputFormat.PARQUET: read_parquet,
    InputFormat.ARROW: read_arrow,
}


def _raise(error: InputError) -> None:
    raise error


def read_records(
    path: str,
    options: ReadOptions = ReadOptions(),  # frozen, so sharing the default is safe
    *,
    on_error: ErrorCallback | None = None,
    on_progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Record]:
    """The records of the dump at `path` ("-" for stdin: `stdin` or sys.stdin.buffer), lazily.

    Nothing is opened until the first record is asked for, so every error surfaces from
    iteration. Memory does not grow with the input: one record (one line, at most
    `options.max_record_bytes`) is held at a time. `on_progress` gets the bytes read from the
    file (compressed bytes for gzip) since its previous call. Records from stdin name their
    source `<stdin>`.

    Errors: a bad row or record goes to `on_error` and reading goes on with the next one; an
    input that cannot be read at all raises InputUnavailable; if the input breaks after records
    were yielded (damaged gzip, a JSON syntax error, trailing garbage) the problem goes to
    `on_error` and reading stops, keeping what was read (for gzip, every row decompressed before
    the damage). A row read in spite of a problem (a CSV row wider than its header, a JSON key
    written twice: every value is kept) is yielded, and the problem goes to `on_error` as a
    KeptRowProblem. Without `on_error` the first problem is
    raised. An empty input is reported as `empty file`. Lines in errors are the physical line
    where a record starts, except for undecodable and NUL bytes, which name their own line and
    the 1-based byte within it. JSON, Parquet and Arrow records carry no line; a Parquet or
    Arrow record's number is its row in the file, and a damaged Parquet row group is reported
    with the rows it held and skipped.

    Field choices: see wildcli.readers.fields (duplicate CSV columns become `name_2`...).

    Counts: records of a query file, and of a CSV/TSV with a count column (`options.count_field`,
    else a column named as in wildcli.readers.counts.COUNT_NAMES), are CountedRecords. A row
    whose count is not a whole number of 0 or more is reported and skipped. A count field asked
    of another format is reported once, and the file is read without counts.
    """
    report = on_error if on_error is not None else _raise
    with open_source(path, options, stdin=stdin, on_progress=on_progress) as source:
        if source.blank:
            report(FileProblem("empty file", source.where()))
            return
        problem = count_field_problem(source.format, options, source.display)
        if problem is not None:
            report(problem)
        yielded = False
        try:
            for record in _READERS[source.format](source, options, report):
                yielded = True
                yield record
            damage = source.damage()
            if damage is not None:
                raise damage
        except BrokenInput as error:
            if not yielded:
                raise InputUnavailable(error.message, error.location) from None
            report(FileProblem(error.message, error.location))
