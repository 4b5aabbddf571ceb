"""A block of a JSON Lines dump parsed whole by Arrow's JSON reader, or refused.

Arrow's reader is strict where orjson is (a key written twice, a value changing type, a lone
surrogate, a trailing comma all fail), but not everywhere: it skips blank lines, reads NaN,
Infinity and several objects on one line, widens huge integers to floats, and crashes on a line
nested tens of thousands deep. Each of those is looked for first, at C speed, and the block is
refused; the caller then reads it with the streaming reader (wildcli.readers), whose reports,
line numbers included, a refused block keeps. A block accepted here reads exactly as the
streaming reader would read it: every line one object, every selected text a string or null.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from wildcli.readers.base import Plan

MAX_DEPTH = 1024
"""The JSON Lines reader's nesting limit (orjson's): a deeper line is an error there."""

_LONG_LINE = MAX_DEPTH
"""A line holding fewer bytes than this cannot open more containers than the limit."""

_NUMBER_WORDS = (b"NaN", b"Infinity")
_NUMBER_WORD = re.compile(rb"(?:^|[:\[,\n])\s*[-+]?(?:NaN|Infinity)")
"""Arrow reads NaN and Infinity as numbers where orjson refuses them. As a value, such a word
follows a colon, a bracket, a comma or a line break; inside a text ("BaNaNa") it is no number."""

_DIGITS = r"[0-9]{19}"
"""An integer this long may be beyond 64 bits: orjson refuses it, Arrow widens it to a float."""


@dataclass(frozen=True)
class Block:
    """The parsed objects of a block (one row per line, in order) and its text columns.

    `names` are the plan's text fields; `texts` holds, for each in order, its column (strings, nulls where a
    line has none or null), or None when no line of the block has the field. `ids` is the id
    column as strings, or None. `seen` are the top-level keys some line of the block has.
    """

    rows: int
    names: tuple[str, ...]
    texts: tuple[pa.Array | None, ...]
    ids: pa.Array | None
    seen: frozenset[str]


def parse_block(data: bytes, plan: Plan, max_record_bytes: int, typed: tuple[str, ...] = ()) -> Block | None:
    """`data` (whole lines of UTF-8 JSON Lines, no byte order mark) read with `plan`, or None
    when anything in it could read differently from the streaming reader.

    The fields `typed` are read as text whatever they look like (Arrow would otherwise take a
    column of dates for timestamps, and the block would be refused); a field no line has is then
    a column of nulls, so a field whose absence must be told (one asked for) is not given."""
    if not data or b"\x00" in data:
        return None  # a bad line for the streaming reader
    if any(word in data for word in _NUMBER_WORDS) and _NUMBER_WORD.search(data):
        return None
    if data.count(b"\r") != data.count(b"\r\n"):
        return None  # a lone carriage return ends a line for the streaming reader only
    lines = text_lines(data)
    if lines is None or not plain_lines(lines, max_record_bytes):
        return None
    table = _table(data, len(lines), typed)
    if table is None:
        return None
    return _columns(table, plan, lines)


def text_lines(data: bytes) -> pa.Array | None:
    """The lines of `data` without their line feeds, as UTF-8 text; None when not UTF-8."""
    try:
        whole = pa.array([data], pa.large_binary()).cast(pa.large_string())
    except pa.ArrowInvalid:
        return None
    lines = pc.split_pattern(whole, "\n").flatten()
    return lines.slice(0, len(lines) - 1) if data.endswith(b"\n") else lines


def plain_lines(lines: pa.Array, max_record_bytes: int) -> bool:
    """No blank line (the streaming reader skips it without numbering it), none over the
    length limit, none that could nest deeper than the limit."""
    if len(lines) == 0 or pc.any(pc.match_substring_regex(lines, r"^\s*$")).as_py():
        return False
    sizes = pc.binary_length(lines)
    longest = pc.max(sizes).as_py()
    if longest > max_record_bytes:
        return False  # counted in bytes, never fewer than characters: a conservative refusal
    if longest < _LONG_LINE:
        return True
    long = lines.filter(pc.greater_equal(sizes, _LONG_LINE))
    opens = pc.add(pc.count_substring(long, "["), pc.count_substring(long, "{"))
    return bool(pc.max(opens).as_py() < MAX_DEPTH)


def _table(data: bytes, lines: int, typed: tuple[str, ...]) -> pa.Table | None:
    schema = pa.schema([(name, pa.string()) for name in typed])
    try:
        table = pj.read_json(
            io.BytesIO(data),
            read_options=pj.ReadOptions(use_threads=False, block_size=len(data) + 1),
            parse_options=pj.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="infer", newlines_in_values=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowCapacityError):
        return None
    if table.num_rows != lines:
        return None  # several objects on one line
    if (
        _has_float(table.schema)
        and pc.any(pc.match_substring_regex(pa.array([data], pa.large_binary()), _DIGITS)).as_py()
    ):
        return None
    return table


def _has_float(schema: pa.Schema) -> bool:
    return any(_floating(field.type) for field in schema)


def _floating(kind: pa.DataType) -> bool:
    if pa.types.is_floating(kind):
        return True
    if pa.types.is_struct(kind):
        return any(_floating(kind.field(i).type) for i in range(kind.num_fields))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _floating(kind.value_type)
    return False


def _columns(table: pa.Table, plan: Plan, lines: pa.Array) -> Block | None:
    names = set(table.column_names)
    fields, id_field = plan
    texts: list[pa.Array | None] = []
    for name in fields:
        if name not in names:
            texts.append(None)
            continue
        column = table.column(name).combine_chunks()
        if pa.types.is_null(column.type):
            texts.append(None)
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            texts.append(column)
        else:
            return None  # numbers, lists, objects: the streaming reader turns them into text
    ids = None
    if id_field is not None and id_field in names:
        column = table.column(id_field).combine_chunks()
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            ids = column
        elif pa.types.is_integer(column.type):
            ids = column.cast(pa.large_string())
        elif not pa.types.is_null(column.type):
            return None
    return Block(table.num_rows, tuple(fields), tuple(texts), ids, frozenset(names))
