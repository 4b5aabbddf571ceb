"""The vectorised batch stage: plain JSON Lines and CSV/TSV dumps read a block at a time by
Arrow, each text column through the matcher's batch candidate test, and replayed as one scan by
wildcli.scanning.parallel's emitter.

A block is a byte range that starts and ends at line breaks (wildcli.scanning.partition). Arrow parses it
whole; what Arrow might read differently from the streaming reader makes the block fall back to
`parallel.scan_partition`, the streaming reader on that same range, so its errors, line numbers
and every other reader guarantee stay as they are. Findings, counts and errors come out as
`scan.scan_in_process` gives them; `keep` sees only the records with findings, as in a
parallel scan.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from itertools import accumulate

import pyarrow as pa
import pyarrow.compute as pc

from wildcli.errors import InputError
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions, Record
from wildcli.readers.base import InputFormat
from wildcli.readers.csv_reader import Columns, columns_of, delimiter_of, header_problems
from wildcli.readers.fields import unique_names
from wildcli.readers.ranges import Layout, inspect
from wildcli.reports.summary import ScanSummary
from wildcli.scanning.csv_blocks import parse_csv_block
from wildcli.scanning.jsonl_blocks import Block, parse_block
from wildcli.scanning.local import BATCH_CHARS, RecordFilter, placed
from wildcli.scanning.parallel import PartResult, Plain, RecordFindings, run_scan, scan_partition
from wildcli.scanning.partition import Partition, partition_bytes
from wildcli.scanning.streaming import is_stream

BLOCK_BYTES = 2 << 20
"""Bytes parsed at a time: large enough that Arrow's per-call cost vanishes, small enough that a
block's columns, texts and batches stay within the 300 MB a scan may use beside a large matcher
(4 MB blocks peaked at 305-314 MB on the bench corpus with the 10,000-term overlay, 2 MB at 283,
in the same time)."""



_FORMATS = (InputFormat.AUTO, InputFormat.JSONL, InputFormat.CSV)


def accepts(path: str, options: ReadOptions) -> bool:
    """Whether the dump at `path` is read by this stage: a regular, plain (not gzip) UTF-8 JSON
    Lines file whose text and id fields are top-level keys, or such a CSV/TSV file with a header
    that names every field asked for and no count column. Anything else (a stream, nested
    `--fields`, a query log, another format) is for the streaming readers."""
    if path == "-" or not _options_allow(options):
        return False
    try:
        if is_stream(path) or not os.path.isfile(path):
            return False
    except OSError:
        return False
    return _layout(path, options) is not None


def _options_allow(options: ReadOptions) -> bool:
    if options.format not in _FORMATS or options.count_field:
        return False  # a count column asked of JSON Lines is reported before its first record
    return not any("." in name for name in (*(options.fields or ()), options.id_field or ""))


def _layout(path: str, options: ReadOptions) -> Layout | None:
    """The dump's layout when this stage can read it, else None."""
    try:
        layout = inspect(path, options)
    except (OSError, InputError):
        return None
    return layout if layout is not None and _usable(layout, options) else None


def _usable(layout: Layout, options: ReadOptions) -> bool:
    """Whether the stage reads ranges of a dump of this layout with these options."""
    if not _options_allow(options):
        return False
    if layout.format is InputFormat.CSV:
        return _csv_plan(layout, options) is not None
    if layout.format is not InputFormat.JSONL or layout.plan is None:
        return False
    fields, id_field = layout.plan
    return not any("." in name for name in (*fields, id_field or ""))  # maybe a path into objects


def _csv_plan(layout: Layout, options: ReadOptions) -> tuple[list[str], Columns] | None:
    """The header's names and the columns read, for a CSV dump whose header the streaming
    reader takes without a word and that has no count column; else None."""
    if layout.header is None:
        return None
    names = unique_names(layout.header)
    columns = columns_of(names, options)
    if header_problems(names, options) or columns.count is not None:
        return None
    return names, columns


def scan_paths_columnar(
    paths: Sequence[str],
    matcher: Matcher,
    options: ReadOptions,
    *,
    summary: ScanSummary,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    keep: RecordFilter | None = None,
) -> Iterator[Finding]:
    """Scan `paths` (each one `accepts`) in this process, block by block."""
    keep_fields = keep is not None

    def run(parts: Iterator[Partition]) -> Generator[tuple[Partition, PartResult | None], None, None]:
        for part in parts:
            if part.layout is None and not part.stdin:
                # A file smaller than a block: one block, if it still qualifies.
                layout = _layout(part.path, options)
                if layout is not None:
                    part = replace(part, start=0, end=layout.size, layout=layout)
            yield part, scan_block(part, matcher, options, keep_fields=keep_fields)

    yield from run_scan(run, paths, matcher, options, BLOCK_BYTES, summary=summary, on_error=on_error,
                        on_progress=on_progress, keep=keep)  # fmt: skip


def worker_partition_bytes(paths: Sequence[str], jobs: int) -> int:
    """The partition size for `jobs` workers that each scan with `scan_block`: the parallel
    scan's own (`partition_bytes`), but never more than a block, which the stage would leave
    to the streaming reader."""
    return min(partition_bytes(paths, jobs), BLOCK_BYTES)


def scan_block(part: Partition, matcher: Matcher, options: ReadOptions, *, keep_fields: bool) -> PartResult:
    """`parallel.scan_partition(part, ...)`, with the partition parsed by Arrow when it can be."""
    layout = part.layout
    block = None if layout is None or not _usable(layout, options) else _parse(part, layout, options)
    if block is None:
        return scan_partition(part, matcher, options, keep_fields=keep_fields)
    header = int(layout is not None and layout.format is InputFormat.CSV and part.start == 0)
    result = _match(block, part.path, matcher, keep_fields, header)
    if layout is not None and layout.format is InputFormat.JSONL:
        requested = [*(options.fields or ()), options.id_field or ""]
        result.unseen = frozenset(name for name in requested if name and name not in block.seen)
    result.rows, result.lines = block.rows, block.rows + header
    result.bytes = part.end - part.start
    return result


def _parse(part: Partition, layout: Layout, options: ReadOptions) -> Block | None:
    """The partition's block, or None when the streaming reader must read it."""
    start = layout.bom_length if part.start == 0 else part.start
    if part.end - start > 2 * BLOCK_BYTES:
        return None  # a range that long holds a huge line: the streaming reader holds it in bounded memory
    try:
        with open(part.path, "rb") as handle:
            handle.seek(start)
            data = handle.read(part.end - start)
    except OSError:
        return None
    if len(data) != part.end - start:
        return None  # the file shrank while being read
    if layout.format is InputFormat.JSONL:
        assert layout.plan is not None
        requested = {*(options.fields or ()), options.id_field}
        typed = tuple(name for name in layout.plan[0] if name not in requested)
        return parse_block(data, layout.plan, options.max_record_bytes, typed)
    plan = _csv_plan(layout, options)
    assert plan is not None
    names, columns = plan
    return parse_csv_block(data, names, columns.text, columns.id, delimiter_of(layout.path, layout.head),
                           header=part.start == 0, max_record_bytes=options.max_record_bytes)  # fmt: skip


def _match(block: Block, source: str, matcher: Matcher, keep_fields: bool, header: int) -> PartResult:
    """The block's records matched, as events: runs of records without findings, and each
    record with findings (numbered from 1 within the block, ids left empty when absent; lines
    counted after `header` lines).

    Each text column goes through the matcher's batch candidate test on its own (the test
    judges each text alone), and only the candidates' records are built and judged by `find`."""
    columns: list[tuple[str, list[str]]] = []
    filled: list[pa.Array] = []
    hits: dict[int, set[str]] = {}
    for name, column in zip(block.names, block.texts, strict=True):
        if column is None:
            continue
        column = pc.fill_null(column, "")
        filled.append(column)
        values = column.to_pylist()
        columns.append((name, values))
        for row in _candidates(matcher, values):
            hits.setdefault(row, set()).add(name)
    per_row = _fields_per_row(filled, block.rows)
    result = PartResult()
    events = result.events
    done = 0  # rows before this one are in the events
    for row in sorted(hits):
        fields = {name: values[row] for name, values in columns if values[row]}
        record_id = "" if block.ids is None else (block.ids[row].as_py() or "").strip()
        record = Record(source, row + 1, record_id, fields, row + 1 + header)
        found = [(name, matcher.find(text)) for name, text in fields.items() if name in hits[row]]
        findings = [f for name, in_field in found for f in placed(record, name, in_field)]
        if not findings:
            continue
        if row > done:
            events.append(Plain(row - done, per_row[row] - per_row[done], row - done))
        events.append(RecordFindings(row + 1, row + 1 + header, record_id, fields if keep_fields else None,
                                     len(fields), findings))  # fmt: skip
        done = row + 1
    if block.rows > done:
        events.append(Plain(block.rows - done, per_row[block.rows] - per_row[done], block.rows - done))
    return result


def _candidates(matcher: Matcher, values: list[str]) -> Iterator[int]:
    """`matcher.candidates(values)`, taken BATCH_CHARS of text at a time, as the streaming scan
    batches it: the test holds several whole copies of its texts (four bytes a character once an
    emoji is among them), so a whole block at once would be most of the process's memory. It
    judges each text alone: the candidates are the same."""
    start = size = 0
    for row, value in enumerate(values):
        size += len(value)
        if size >= BATCH_CHARS:
            yield from (start + k for k in matcher.candidates(values[start:row + 1]))
            start, size = row + 1, 0
    if start < len(values):
        yield from (start + k for k in matcher.candidates(values[start:]))


def _fields_per_row(columns: list[pa.Array], rows: int) -> list[int]:
    """How many non-empty text fields the rows before each row hold (rows + 1 running totals)."""
    total: pa.Array = pa.array([0] * rows, pa.int64())
    for column in columns:
        total = pc.add(total, pc.cast(pc.greater(pc.binary_length(column), 0), pa.int64()))
    return [0, *accumulate(total.to_pylist())]
