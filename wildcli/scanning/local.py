"""Scanning records and dumps: the library behind `wildcli scan`."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from wildcli.errors import InputError, InputUnavailable, WildcliError
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions, Record, read_records
from wildcli.reports.summary import ScanSummary
from wildcli.scanning.streaming import LINGER, is_stream, read_ahead


def scan_record(record: Record, matcher: Matcher) -> list[Finding]:
    """Findings in every selected field of one record, in field order then text order."""
    found: list[Finding] = []
    for name, text in record.fields.items():
        found.extend(placed(record, name, matcher.find(text)))
    return found


def placed(record: Record, name: str, found: Iterable[Finding]) -> list[Finding]:
    """The findings of the field `name` of `record`, told where they are (and how often the
    record was searched, when its input says)."""
    count = record.count if record.counted else None
    return [replace(f, source=record.source, record=record.id, row=record.row, field=name, count=count)
            for f in found]  # fmt: skip


BATCH_RECORDS = 1024
BATCH_CHARS = 1 << 20
"""Records are matched in batches of up to this many records or characters of text (the
batch is one unit of `Matcher.find_many`; findings are yielded batch by batch). The columnar
stage gives the batch candidate test as many characters at a time."""


class HeldErrors:
    """An `on_error` for a reader whose records are scanned in batches: each error is held
    until the records read before it are scanned and yielded, so that findings and errors
    still come out in file order (and an error that stops the scan stops it at its row)."""

    def __init__(self, sink: Callable[[InputError], None]) -> None:
        self.sink = sink
        self.pending: list[InputError] = []

    def __call__(self, error: InputError) -> None:
        self.pending.append(error)

    def release(self) -> None:
        errors, self.pending = self.pending, []
        for error in errors:
            self.sink(error)


def scan_batches(
    records: Iterable[Record | None], matcher: Matcher, errors: HeldErrors | None = None
) -> Iterator[tuple[Record, list[Finding]]]:
    """Each record with its findings (as `scan_record` gives them), in order, matched in
    batches; `errors`, the reader's `on_error`, are released in place between the records.
    A None among the records (a stream that paused: wildcli.scanning.streaming) has the records held so
    far matched at once."""
    batch: list[Record] = []
    size = 0
    try:
        for record in records:
            if record is None:
                yield from _scan_batch(batch, matcher)
                batch, size = [], 0
                if errors is not None:
                    errors.release()
                continue
            if errors is not None and errors.pending:
                yield from _scan_batch(batch, matcher)
                batch, size = [], 0
                errors.release()
            batch.append(record)
            size += sum(map(len, record.fields.values()))
            if len(batch) >= BATCH_RECORDS or size >= BATCH_CHARS:
                yield from _scan_batch(batch, matcher)
                batch, size = [], 0
    except WildcliError:
        yield from _scan_batch(batch, matcher)  # what was read before the reader gave up
        if errors is not None:
            errors.release()  # and the problems it met before: they came first
        raise
    yield from _scan_batch(batch, matcher)
    if errors is not None:
        errors.release()


def _scan_batch(batch: list[Record], matcher: Matcher) -> Iterator[tuple[Record, list[Finding]]]:
    if not batch:
        return
    found = iter(matcher.find_many([text for record in batch for text in record.fields.values()]))
    for record in batch:
        hits: list[Finding] = []
        for name in record.fields:
            in_field = next(found)
            if in_field:  # most fields have none: nothing to place
                hits += placed(record, name, in_field)
        yield record, hits


RecordFilter = Callable[[Record, list[Finding]], list[Finding]]
"""Sees each record with its findings and returns those to report (e.g. `wildcli.scanning.baseline`)."""


def scan_records(
    records: Iterable[Record | None], matcher: Matcher, summary: ScanSummary | None = None,
    *, keep: RecordFilter | None = None, errors: HeldErrors | None = None,
) -> Iterator[Finding]:
    """Findings of a stream of records, yielded batch by batch as the records are scanned.

    `keep` filters each record's findings before they are counted and yielded. `errors`: the
    reader's `on_error`, if it should be called in file order with the findings.
    """
    yield from _tally(scan_batches(records, matcher, errors), summary, keep)


def _tally(
    scanned: Iterable[tuple[Record, list[Finding]]], summary: ScanSummary | None, keep: RecordFilter | None
) -> Iterator[Finding]:
    for record, found in scanned:
        if keep is not None:
            found = keep(record, found)
        if summary is not None:
            summary.add_record(len(record.fields), record.count, record.counted, found)
        yield from found


def scan_in_process(
    paths: Sequence[str],
    matcher: Matcher,
    options: ReadOptions | None = None,
    *,
    summary: ScanSummary | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    keep: RecordFilter | None = None,
    linger: float | None = LINGER,
) -> Iterator[Finding]:
    """Scan each dump in turn, in this process. Bad rows and unusable files go to `on_error`;
    scanning goes on. Without `on_error`, the first problem is raised. `keep`: as in
    `scan_records`. A stream (stdin from a pipe, a FIFO) is scanned as it arrives: when it pauses
    for `linger` seconds, the records it delivered are matched and their findings yielded (None:
    wait for full batches).

    `wildcli.scan_paths` (wildcli.scanning.choice) chooses between this and the other engines.
    """
    summary = summary if summary is not None else ScanSummary()
    scanned = scanned_records(paths, matcher, options or ReadOptions(), summary=summary, on_error=on_error,
                              on_progress=on_progress, linger=linger)  # fmt: skip
    yield from _tally(scanned, summary, keep)


def scanned_records(
    paths: Sequence[str], matcher: Matcher, options: ReadOptions, *, summary: ScanSummary,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None, linger: float | None = LINGER,
) -> Iterator[tuple[Record, list[Finding]]]:
    """Every record of each dump in turn, with its findings, in one process, as `scan_in_process`
    reads them (streams as they arrive). The dumps and their problems are counted in `summary`
    (files, bad rows, missing inputs), the records are left to the caller."""

    def count_error(error: InputError) -> None:
        if isinstance(error, InputUnavailable):
            summary.missing_inputs += 1
        else:
            summary.bad_rows += 1
        if on_error is None:
            raise error
        on_error(error)

    for path in paths:
        summary.files += 1
        try:
            held = HeldErrors(count_error)
            records: Iterable[Record | None]
            if linger is not None and is_stream(path):
                records = read_ahead(
                    functools.partial(_read, path, options, on_progress=on_progress), held, linger
                )
            else:
                records = read_records(path, options, on_error=held, on_progress=on_progress)
            yield from scan_batches(records, matcher, held)
        except InputUnavailable as error:
            summary.missing_inputs += 1
            if on_error is None:
                raise
            on_error(error)


def _read(
    path: str, options: ReadOptions, report: Callable[[InputError], None], *,
    on_progress: Callable[[int], None] | None,
) -> Iterator[Record]:
    """The records of a stream, for the reading thread. Stdin is read through a file of its own
    on the same descriptor: a thread still blocked in `sys.stdin` when the scan is interrupted
    would hold its lock while Python shuts down, and Python aborts on that."""
    if path != "-":
        yield from read_records(path, options, on_error=report, on_progress=on_progress)
        return
    with open(os.dup(sys.stdin.fileno()), "rb", buffering=0) as stdin:
        yield from read_records(path, options, on_error=report, on_progress=on_progress, stdin=stdin)
