"""Query files: plain text with one search query a line, as platforms export their search logs.

Each non-blank line is one record with one field, `query`: the line without its line ending and
the white space around it. Its id is its line number. Every record counts one search, so a query
searched three times is three lines of the file (a query log with counts is a CSV/TSV file).
"""

from __future__ import annotations

from collections.abc import Iterator

from wildcli.readers.base import CountedRecord, ErrorCallback, FileProblem, ReadOptions, Record, Span
from wildcli.readers.counts import QUERY_FIELD
from wildcli.readers.fields import missing_message
from wildcli.readers.opening import OpenedInput
from wildcli.readers.textlines import record_lines


def read_text(
    source: OpenedInput, options: ReadOptions, report: ErrorCallback, span: Span | None = None
) -> Iterator[Record]:
    """Records of a query file; blank lines are skipped and not counted as records.

    With `span`, `source` is one byte range of a file (wildcli.readers.base.Span): ids are then
    left empty, for the caller who knows the line numbers before the range.
    """
    requested = [*(options.fields or ()), options.id_field or ""]
    missing = [name for name in dict.fromkeys(requested) if name and name != QUERY_FIELD]
    scanned = options.fields is None or QUERY_FIELD in options.fields
    number_ids = span is None
    count = [0, 0]
    display = source.display
    for line, row, number in record_lines(source, options.max_record_bytes, report, count):
        fields = {QUERY_FIELD: line.strip()} if scanned else {}
        yield CountedRecord(display, row, str(number) if number_ids else "", fields, number)
    if span is not None:
        span.rows, span.lines, span.unseen = count[0], count[1], frozenset(missing)
        return
    for name in missing:
        report(FileProblem(missing_message(name, options), source.where()))
