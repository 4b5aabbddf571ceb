"""Columnar dumps from warehouses: Parquet, and Arrow IPC (file or stream), read with pyarrow.

Parquet is read a row group at a time, a thousand rows at once, and only the columns asked for:
its index is at the end of the file, so it must be a file on disk. Arrow IPC is read a record
batch at a time from the opened stream (a file's body is a stream after its 8 magic bytes), so
it can also come gzipped or through a pipe. Records are numbered by row, from 1; `--fields`
names columns, and fields of struct columns by dotted paths (`seller.name`) as JSON does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from wildcli.errors import InputError, InputUnavailable
from wildcli.readers.base import ErrorCallback, FileProblem, ReadOptions, Record
from wildcli.readers.fields import detect_id_field, detect_text_fields, is_text_name, missing_message
from wildcli.readers.opening import BrokenInput, OpenedInput
from wildcli.readers.textlines import size_text

INSTALL_HINT = "reading Parquet and Arrow files needs pyarrow: pip install 'wildcli[parquet]'"
BATCH_ROWS = 1024
"""Rows converted to Python at once: memory holds one batch of the columns read, not a row group."""
_ARROW_FILE_MAGIC = b"ARROW1\x00\x00"
_PAGE_BUFFER = 1 << 20


def _pyarrow() -> Any:
    # mimalloc, pyarrow's usual allocator, keeps the pages of the batches read for reuse: 40 MB
    # more at peak on a large row group than the C allocator, at the same speed. Only when
    # nobody chose (the variable is read when pyarrow first allocates).
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    try:
        import pyarrow
        import pyarrow.compute
        import pyarrow.ipc
        import pyarrow.parquet
    except ImportError:
        raise InputUnavailable(INSTALL_HINT) from None
    return pyarrow


@dataclass(frozen=True)
class _Column:
    """A field read from a column: `name` as asked, the top-level column and the struct fields below it."""

    name: str
    column: str
    path: tuple[str, ...]


def _kind(pa: Any, type_: Any) -> str:
    """`text`, `texts` (a list of text), `struct`, `null`, or `other`."""
    types = pa.types
    if types.is_dictionary(type_):
        type_ = type_.value_type
    is_view = getattr(types, "is_string_view", bool)  # pyarrow 16 and later
    if types.is_string(type_) or types.is_large_string(type_) or is_view(type_):
        return "text"
    if types.is_null(type_):
        return "null"
    if types.is_struct(type_):
        return "struct"
    if types.is_list(type_) or types.is_large_list(type_) or types.is_fixed_size_list(type_):
        return "texts" if _kind(pa, type_.value_type) in ("text", "null") else "other"
    return "other"


def _resolve(schema: Any, name: str) -> tuple[_Column, Any] | None:
    """The column a field name means, and its type: a column of that very name, else a path into
    struct columns (`seller.name`); None when there is none."""
    if name in schema.names:
        return _Column(name, name, ()), schema.field(name).type
    parts = name.split(".")
    if len(parts) < 2 or parts[0] not in schema.names:
        return None
    type_ = schema.field(parts[0]).type
    for part in parts[1:]:
        index = type_.get_field_index(part) if hasattr(type_, "get_field_index") else -1
        if index < 0:
            return None
        type_ = type_.field(index).type
    return _Column(name, parts[0], tuple(parts[1:])), type_


def _leaves(pa: Any, name: str, type_: Any) -> list[str]:
    """The dotted names of the text fields inside a struct column, for a message."""
    if _kind(pa, type_) != "struct":
        return [name] if _kind(pa, type_) in ("text", "texts") else []
    return [leaf for child in type_ for leaf in _leaves(pa, f"{name}.{child.name}", child.type)]


@dataclass
class _Plan:
    text: list[_Column]
    id: _Column | None


def _plan(pa: Any, schema: Any, options: ReadOptions, source: OpenedInput, report: ErrorCallback) -> _Plan:
    """The text columns and id column of a file, reporting what cannot be read as asked."""
    if options.fields is None:
        # As for JSON: top-level columns that hold text, those with text-like names if any.
        textual = [f.name for f in schema if _kind(pa, f.type) in ("text", "texts")]
        names = [n for n in textual if is_text_name(n)] or detect_text_fields(textual)
    else:
        names = list(dict.fromkeys(options.fields))
    text: list[_Column] = []
    for name in names:
        found = _resolve(schema, name)
        if found is None:
            report(FileProblem(missing_message(name, options), source.where()))
            continue
        column, type_ = found
        kind = _kind(pa, type_)
        if kind == "struct":
            inside = ", ".join(_leaves(pa, name, type_)[:5]) or "none holds text"
            report(FileProblem(f"column is a struct, not text: name its fields ({inside})",
                               source.where(field=name)))  # fmt: skip
        elif kind == "other":
            report(FileProblem(f"column holds {type_}, not text: not scanned", source.where(field=name)))
        else:
            text.append(column)
    id_name = options.id_field
    if id_name is None:
        id_name = detect_id_field(f.name for f in schema if not pa.types.is_nested(f.type))
    id_column = None
    if id_name is not None:
        found = _resolve(schema, id_name)
        if found is None:
            report(FileProblem(missing_message(id_name, options), source.where()))
        elif pa.types.is_nested(found[1]):
            report(FileProblem(f"id column holds {found[1]}, not one value", source.where(field=id_name)))
        else:
            id_column = found[0]
    return _Plan(text, id_column)


def _values(pa: Any, batch: Any, column: _Column) -> list[Any]:
    array = batch.column(column.column)
    for part in column.path:
        # struct_field, unlike StructArray.field, gives null under a null struct.
        array = pa.compute.struct_field(array, [part])
    values: list[Any] = array.to_pylist()
    return values


def _text(value: Any) -> str | None:
    """A column value as the JSON reader takes it: text as is, a list's texts one a line."""
    if type(value) is str:
        return value or None
    if isinstance(value, list):
        return "\n".join(item for item in value if item) or None
    return None


@dataclass
class _Rows:
    """Turns record batches into records, numbering rows from 1 across the whole file."""

    pa: Any
    plan: _Plan
    source: OpenedInput
    options: ReadOptions
    report: ErrorCallback
    row: int = 0

    def records(self, batch: Any) -> Iterator[Record]:
        pa, plan = self.pa, self.plan
        try:
            columns = [(c.name, _values(pa, batch, c)) for c in plan.text]
            ids = None if plan.id is None else _values(pa, batch, plan.id)
        except (pa.ArrowException, UnicodeDecodeError) as error:
            first, self.row = self.row + 1, self.row + batch.num_rows
            message = f"rows {first}-{self.row} not read: {_detail(error)}"
            self.report(InputError(message, self.source.where()))
            return
        display, limit = self.source.display, self.options.max_record_bytes
        for index in range(batch.num_rows):
            self.row += 1
            texts: dict[str, str] = {}
            size = 0
            for name, values in columns:
                text = _text(values[index])
                if text is not None:
                    texts[name] = text
                    size += len(text)
            if size > limit:
                message = f"row {self.row} is longer than {size_text(limit)}"
                self.report(InputError(message, self.source.where()))
                continue
            value = None if ids is None else ids[index]
            record_id = "" if value is None else str(value).strip()
            yield Record(display, self.row, record_id or str(self.row), texts)


def _detail(error: BaseException) -> str:
    """The first sentence of pyarrow's message, without its `Invalid:`-style prefix."""
    text = str(error).strip().split("\n", 1)[0].split(". ", 1)[0]
    text = "".join(char for char in text if char.isprintable())  # it may quote the damaged bytes
    text = text.split(": ", 1)[1] if text.split(": ", 1)[0] in ("Invalid", "IOError") else text
    if "magic bytes not found" in text:
        return "no Parquet footer (the file is cut off, or not Parquet)"
    return (text[:1].lower() + text[1:]).rstrip(".: ") or type(error).__name__


def _columns(plan: _Plan) -> list[str]:
    return list(dict.fromkeys(c.column for c in [*plan.text, *([plan.id] if plan.id else [])]))


def read_parquet(source: OpenedInput, options: ReadOptions, report: ErrorCallback) -> Iterator[Record]:
    """Records of a Parquet file, a row group at a time. A damaged row group is reported with the
    rows it held and skipped: the next one is read, as the footer says where each one starts."""
    pa = _pyarrow()
    if source.live or source.gzipped or not source.name:
        where = source.where()
        raise InputUnavailable("Parquet keeps its index at the end of the file: give a file on disk, "
                               "not gzipped, not a pipe", where)  # fmt: skip
    try:
        # Pages streamed through a small buffer, not each column chunk read whole first: a row
        # group of a million listings would otherwise hold hundreds of MB.
        parquet = pa.parquet.ParquetFile(source.name, buffer_size=_PAGE_BUFFER, pre_buffer=False)
        groups = parquet.metadata.num_row_groups
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as error:
        raise InputUnavailable(f"not a readable Parquet file: {_detail(error)}", source.where()) from None
    plan = _plan(pa, schema, options, source, report)
    rows = _Rows(pa, plan, source, options, report)
    wanted = _columns(plan)
    total = max(1, parquet.metadata.num_rows)
    size = _file_size(source)
    done = source.reported()
    for group in range(groups):
        start = rows.row
        held = parquet.metadata.row_group(group).num_rows
        try:
            batches = parquet.iter_batches(BATCH_ROWS, row_groups=[group], columns=wanted, use_threads=False)
            for batch in batches:
                yield from rows.records(batch)
        except (pa.ArrowException, OSError, ValueError) as error:
            first, rows.row = rows.row + 1, start + held
            message = f"row group {group + 1} of {groups} is damaged: rows {first}-{rows.row} not read"
            report(InputError(f"{message}: {_detail(error)}", source.where()))
        # Progress by rows: a Parquet file is read in the order its row groups were written.
        if source.progress is not None:
            reached = size * rows.row // total if group + 1 < groups else size
            if reached > done:
                source.progress(reached - done)
                done = reached


def _file_size(source: OpenedInput) -> int:
    try:
        return os.path.getsize(source.name)
    except OSError:
        return 0


def read_arrow(source: OpenedInput, options: ReadOptions, report: ErrorCallback) -> Iterator[Record]:
    """Records of an Arrow IPC file or stream, a record batch at a time. A stream cut off or
    damaged ends the file; the rows before it are kept (see `read_records`)."""
    pa = _pyarrow()
    stream: Any = source.stream
    start = stream.peek(len(_ARROW_FILE_MAGIC))[: len(_ARROW_FILE_MAGIC)]
    if start == _ARROW_FILE_MAGIC:
        stream.read(len(_ARROW_FILE_MAGIC))  # the file format: a stream follows, then a footer
    try:
        reader = pa.ipc.open_stream(stream)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise InputUnavailable(f"not a readable Arrow IPC file: {_detail(error)}", source.where()) from None
    plan = _plan(pa, reader.schema, options, source, report)
    rows = _Rows(pa, plan, source, options, report)
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowException, OSError, ValueError) as error:
            raise BrokenInput(f"Arrow data is damaged or cut off after row {rows.row}: {_detail(error)}",
                              source.where()) from None  # fmt: skip
        yield from rows.records(batch)
