"""A block of a CSV/TSV dump without quotes parsed whole by Arrow's CSV reader, or refused.

Without a quote character in it, a CSV block is lines of cells split at the delimiter, which
Arrow and the csv module cut alike. Everything else is refused and left to the streaming reader
(wildcli.readers.csv_reader) on the same byte range: quotes (the csv module's lenient quoting has
no equal in Arrow), blank or whitespace lines, a lone carriage return, NUL bytes, text that is not
UTF-8, lines over the length limit, and rows narrower or wider than the header (Arrow's error).
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pv

from wildcli.scanning.jsonl_blocks import Block, plain_lines, text_lines


def parse_csv_block(
    data: bytes,
    names: list[str],
    text: list[tuple[str, int]],
    id_index: int | None,
    delimiter: str,
    *,
    header: bool,
    max_record_bytes: int,
) -> Block | None:
    """`data` (whole lines of UTF-8 CSV, no byte order mark; its first line the header when
    `header`) read into the text columns `text` ((name, index) pairs) and the id column, or None
    when anything in it could read differently from the streaming reader."""
    if not data or b'"' in data or b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    lines = text_lines(data)
    if lines is None or not plain_lines(lines, max_record_bytes):
        return None
    rows = len(lines) - header
    if rows < 1:
        return None
    try:
        table = pv.read_csv(
            io.BytesIO(data),
            read_options=pv.ReadOptions(
                use_threads=False, block_size=len(data) + 1, skip_rows=int(header), column_names=names
            ),
            parse_options=pv.ParseOptions(
                delimiter=delimiter,
                quote_char=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pv.ConvertOptions(
                column_types={name: pa.large_string() for name in names},
                strings_can_be_null=False,
                null_values=[],
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowCapacityError):
        return None
    if table.num_rows != rows:
        return None
    columns = [table.column(index).combine_chunks() for _, index in text]
    ids = None if id_index is None else table.column(id_index).combine_chunks()
    return Block(rows, tuple(name for name, _ in text), tuple(columns), ids, frozenset(names))
