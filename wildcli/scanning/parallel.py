"""Scanning partitions anywhere and emitting them as one scan, identical to a one-process scan.

Workers scan partitions (`scan_partition`) and number records from 1 within each; the main
process takes the results strictly in partition order and adds the offsets (`run_scan`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import warnings
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from typing import Any, NamedTuple

from wildcli.errors import InputError, InputUnavailable, Location, UsageError, WildcliError
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import CountedRecord, ReadOptions, Record, read_records
from wildcli.readers.base import InputFormat, Span
from wildcli.readers.ranges import missing_field_errors, read_range
from wildcli.reports.summary import ScanSummary
from wildcli.scanning.local import HeldErrors, RecordFilter, scan_batches
from wildcli.scanning.partition import Partition, estimate, partition_bytes, plan, total_bytes


class Plain(NamedTuple):
    """Records without findings, counted but not sent: most records have none."""

    records: int
    fields: int
    searches: int


class RecordFindings(NamedTuple):
    """A record with findings, numbered within its partition; `fields` only when a filter needs them.
    `searched`: the record's count when its input has counts (a CountedRecord), else None."""

    row: int
    line: int | None
    id: str
    fields: Mapping[str, str] | None
    field_count: int
    findings: list[Finding]
    searched: int | None = None


class ErrorEvent(NamedTuple):
    """An InputError as data: exceptions lose their location when pickled. `kind` is its class
    (InputError or a subclass taking the same arguments), pickled by name."""

    kind: type[InputError]
    message: str
    location: Location | None


Event = Plain | RecordFindings | ErrorEvent


@dataclass
class PartResult:
    """A scanned partition: what happened in order, and what it consumed (see Span)."""

    events: list[Event] = field(default_factory=list)
    rows: int = 0
    lines: int = 0
    unclosed: bool = False
    unseen: frozenset[str] | None = None
    bytes: int = 0
    counted: bool = False  # its records had counts (CountedRecords)


Runner = Callable[[Iterator[Partition]], Generator[tuple[Partition, "PartResult | None"], None, None]]
"""Scans partitions, yielding each with its result in the order given; None for a partition the
main process must scan itself (standard input)."""


class _Collector:
    def __init__(self, keep_fields: bool) -> None:
        self.result = PartResult()
        self._keep_fields = keep_fields
        self._records = self._fields = self._searches = 0

    def record(self, record: Record, found: list[Finding]) -> None:
        if record.counted:
            self.result.counted = True
        if not found:
            self._records += 1
            self._fields += len(record.fields)
            self._searches += record.count
            return
        self._flush()
        fields = record.fields if self._keep_fields else None
        searched = record.count if record.counted else None
        hit = RecordFindings(record.row, record.line, record.id, fields, len(record.fields), found, searched)
        self.result.events.append(hit)

    def error(self, error: InputError) -> None:
        self._flush()
        self.result.events.append(ErrorEvent(type(error), error.message, error.location))

    def _flush(self) -> None:
        if self._records:
            self.result.events.append(Plain(self._records, self._fields, self._searches))
            self._records = self._fields = self._searches = 0

    def done(self) -> PartResult:
        self._flush()
        return self.result


def scan_partition(
    part: Partition, matcher: Matcher, options: ReadOptions, *, keep_fields: bool
) -> PartResult:
    """Scan one partition: the whole dump as `scan_in_process` would, or one byte range of it."""
    collect = _Collector(keep_fields)
    if part.layout is None:
        read = [0]
        try:
            held = HeldErrors(collect.error)
            records = read_records(part.path, options, on_error=held, on_progress=read.append)
            for record, found in scan_batches(records, matcher, held):
                collect.record(record, found)
        except InputUnavailable as error:
            collect.error(error)
        result = collect.done()
        result.bytes = sum(read)
        return result
    span = Span()
    held = HeldErrors(collect.error)
    records = read_range(part.layout, part.start, part.end, options, held, span)
    for record, found in scan_batches(records, matcher, held):
        collect.record(record, found)
    result = collect.done()
    result.rows, result.lines, result.unclosed = span.rows, span.lines, span.unclosed
    result.unseen, result.bytes = span.unseen, part.end - part.start
    return result


_FIELDS_AT_END = (InputFormat.JSONL, InputFormat.TEXT)
"""Formats that report requested fields no record had at the end of the file (see Span.unseen)."""


@dataclass
class _FindingEmitter:
    """Replays partition results in order as one scan: offsets, summary, filter, errors, progress."""

    options: ReadOptions
    summary: ScanSummary
    on_error: Callable[[InputError], None] | None
    on_progress: Callable[[int], None] | None
    keep: RecordFilter | None
    rows: int = 0
    lines: int = 0
    unseen: frozenset[str] | None = None

    def emit(self, part: Partition, result: PartResult) -> Iterator[Finding]:
        if part.index == 0:
            self.summary.files += 1
            self.rows = self.lines = 0
            self.unseen = None
        if result.counted:
            self.summary.counted = True
        for event in result.events:
            if isinstance(event, Plain):
                self.summary.records += event.records
                self.summary.fields += event.fields
                self.summary.searches += event.searches
            elif isinstance(event, ErrorEvent):
                self._error(event)
            else:
                yield from self._hit(part, event)
        self.rows += result.rows
        self.lines += result.lines
        if result.unseen is not None:
            self.unseen = result.unseen if self.unseen is None else self.unseen & result.unseen
        if self.on_progress is not None and result.bytes:
            self.on_progress(result.bytes)
        layout = part.layout
        if part.last and layout is not None and layout.format in _FIELDS_AT_END and self.unseen:
            for error in missing_field_errors(layout, self.options, self.unseen):
                self._count(error)

    def _hit(self, part: Partition, hit: RecordFindings) -> Iterator[Finding]:
        row = self.rows + hit.row
        line = None if hit.line is None else self.lines + hit.line
        by_line = part.layout is not None and part.layout.format is InputFormat.TEXT
        record_id = hit.id or str(line if by_line and line is not None else row)  # a query's id: its line
        found = hit.findings
        if row != hit.row or record_id != hit.id:
            found = [replace(f, row=row, record=record_id) for f in found]
        count = 1 if hit.searched is None else hit.searched
        if self.keep is not None:
            kind = Record if hit.searched is None else CountedRecord
            found = self.keep(kind(part.path, row, record_id, hit.fields or {}, line, count), found)
        self.summary.add_record(hit.field_count, count, hit.searched is not None, found)
        yield from found

    def _error(self, problem: ErrorEvent) -> None:
        location = problem.location
        if location is not None and location.line is not None and self.lines:
            location = replace(location, line=location.line + self.lines)
        self._count(problem.kind(problem.message, location))

    def _count(self, error: InputError) -> None:
        if isinstance(error, InputUnavailable):
            self.summary.missing_inputs += 1
        else:
            self.summary.bad_rows += 1
        if self.on_error is None:
            raise error
        self.on_error(error)


def run_scan(
    runner: Runner, paths: Sequence[str], matcher: Matcher, options: ReadOptions, size: int, *,
    summary: ScanSummary, on_error: Callable[[InputError], None] | None,
    on_progress: Callable[[int], None] | None, keep: RecordFilter | None,
) -> Iterator[Finding]:
    """Plan `paths` into partitions of about `size` bytes, scan them with `runner`, emit in order."""
    emitter = _FindingEmitter(options, summary, on_error, on_progress, keep)
    redone: set[int] = set()  # files whose remaining partitions are void: see below
    parts = (p for p in plan(paths, options, size) if p.file not in redone)
    results = runner(parts)
    try:
        for part, result in results:
            if part.file in redone:
                continue
            if result is None:
                result = scan_partition(part, matcher, options, keep_fields=keep is not None)
            if result.unclosed and not part.last and part.layout is not None:
                # A quote miscounted while planning (malformed CSV): this partition did not end
                # at a record boundary, so the rest of the file is read here, in one piece.
                redone.add(part.file)
                part = replace(part, end=part.layout.size, last=True)
                result = scan_partition(part, matcher, options, keep_fields=keep is not None)
            yield from emitter.emit(part, result)
    finally:
        results.close()  # stops the workers at once when the caller stops early


PartScanner = Callable[..., PartResult]
"""Scans one partition as `scan_partition(part, matcher, options, keep_fields=...)` does, with
the same result (wildcli.scanning.columnar reads plain JSON Lines ranges a block at a time)."""

# The forked workers' matcher, options and partition scanner: set before the fork, so each
# worker inherits the matcher already built instead of building its own (and the pages stay
# shared until written).
_WORKER: tuple[Matcher, ReadOptions, bool, PartScanner] | None = None


_STOPPING = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
"""Signals blocked while a worker is forked: one arriving between the fork and the worker's own
handlers would run the main process's handler in the child, in the middle of the interpreter's
after-fork hooks (a traceback from logging's lock on stderr)."""


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process to handle
    for signum in (signal.SIGTERM, signal.SIGHUP):  # the CLI's handlers are for the main process
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)  # blocked by the fork (_Workers)
    # Fork copied this process's unflushed stdout/stderr buffers: never let a worker write them.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _work(part: Partition) -> PartResult:
    assert _WORKER is not None, "forked without a matcher"
    matcher, options, keep_fields, scanner = _WORKER
    return scanner(part, matcher, options, keep_fields=keep_fields)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class WorkerLost(WildcliError):
    """A scan worker process died (killed, out of memory): its partition will never be done."""


_ORPHAN_CHECK = 1.0
"""Seconds between a waiting worker's checks that the scan that started it is still there."""


def _serve(conn: Connection) -> None:
    """A worker: scan each partition received on `conn`, send back its result (or the exception
    it raised), until told to stop, or until the main process is gone."""
    _init_worker()
    parent = os.getppid()
    while True:
        if not conn.poll(_ORPHAN_CHECK):
            if os.getppid() != parent:  # the main process died without stopping us
                return
            continue
        try:
            part = conn.recv()
        except (EOFError, OSError):
            return
        if part is None:
            return
        try:
            outcome: PartResult | BaseException = _work(part)
        except Exception as error:  # a bug: re-raised in the main process, as a Pool would
            outcome = error
        try:
            conn.send(outcome)
        except Exception as error:  # an exception that cannot be pickled
            conn.send(RuntimeError(f"{type(error).__name__}: {error}"))


@dataclass
class _Worker:
    process: Any  # multiprocessing's process class of the fork context
    conn: Connection
    ticket: int | None = None  # the partition it is scanning


class _Workers:
    """`jobs` forked processes, each given one partition at a time over a pipe of its own.

    Not a multiprocessing.Pool: its workers take tasks from one queue behind a shared lock, so a
    worker that dies at the wrong moment (SIGKILL, the OOM killer) can leave `Pool.terminate()`
    waiting on that lock for minutes; and a Pool replaces a dead worker without a word, the
    partition it held never done. Here a dead worker is seen at once (its sentinel) and ends the
    scan with WorkerLost, and stopping is a signal to each process and a join.
    """

    def __init__(self, jobs: int) -> None:
        context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        self._waiting: deque[tuple[int, Partition]] = deque()
        self._done: dict[int, PartResult | BaseException] = {}
        self._tickets = 0
        try:
            for _ in range(jobs):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs,), daemon=True)
                blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
                try:
                    process.start()  # the child starts with them blocked, and unblocks them itself
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                theirs.close()
                self.workers.append(_Worker(process, mine))
        except BaseException:
            self.stop()
            raise

    def submit(self, part: Partition) -> _Ticket:
        ticket = self._tickets
        self._tickets += 1
        self._waiting.append((ticket, part))
        self._dispatch()
        return _Ticket(self, ticket)

    def _dispatch(self) -> None:
        for worker in self.workers:
            if worker.ticket is None and self._waiting:
                worker.ticket, part = self._waiting.popleft()
                try:
                    worker.conn.send(part)
                except OSError:  # the worker died since its last result: a broken pipe
                    raise self._lost(worker) from None

    def result(self, ticket: int) -> PartResult:
        while ticket not in self._done:
            busy = {w.conn: w for w in self.workers if w.ticket is not None}
            sentinels = {w.process.sentinel: w for w in self.workers}
            for ready in wait([*busy, *sentinels]):
                worker = busy.get(ready)  # type: ignore[call-overload]
                if worker is not None:
                    try:
                        self._done[worker.ticket or 0] = worker.conn.recv()
                    except (EOFError, OSError):
                        raise self._lost(worker) from None
                    worker.ticket = None
                else:
                    raise self._lost(sentinels[ready])
            self._dispatch()
        outcome = self._done.pop(ticket)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _lost(self, worker: _Worker) -> WorkerLost:
        worker.process.join(0.5)
        code = worker.process.exitcode
        how = (f"killed by {signal.Signals(-code).name}" if code is not None and code < 0
               else f"exit code {code}" if code is not None else "its pipe closed")
        return WorkerLost(f"a scan worker process died ({how}; out of memory?): the scan cannot be completed")

    def stop(self) -> None:
        """End every worker now, busy or not (SIGTERM, then SIGKILL for one that lingers)."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(2.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


class _Ticket:
    """The future of one submitted partition, for `in_order`."""

    def __init__(self, workers: _Workers, ticket: int) -> None:
        self._workers, self._ticket = workers, ticket

    def result(self) -> PartResult:
        return self._workers.result(self._ticket)

    def cancel(self) -> None:
        """Nothing to do: the workers are stopped with whatever they still hold."""


def pool_runner(
    jobs: int, matcher: Matcher, options: ReadOptions, keep_fields: bool, scanner: PartScanner | None = None
) -> Runner:
    """A Runner on `jobs` forked processes, each partition scanned by `scanner` (default:
    `scan_partition`); Ctrl-C, SIGTERM or an error stops them at once."""

    def run(parts: Iterator[Partition]) -> Generator[tuple[Partition, PartResult | None], None, None]:
        global _WORKER
        _WORKER = (matcher, options, keep_fields, scanner or scan_partition)
        # The first match after a build writes to most of the matcher's memory (one-time set-up
        # inside it); done here once, the forked workers share those pages instead of each
        # copying them (measured: 0.35 s and 260 MB per worker with a 10k-term lexicon).
        matcher.warm_up()
        gc.freeze()  # keeps the collector from writing to (and so copying) the inherited pages
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns when forking a process that has threads (a progress bar's):
                # the workers only read files and match, never taking locks those threads may hold.
                warnings.filterwarnings("ignore", ".*fork.*", DeprecationWarning)
                workers = _Workers(jobs)
            try:
                yield from in_order(parts, workers.submit, 2 * jobs)
            finally:
                workers.stop()
        finally:
            _WORKER = None
            gc.unfreeze()

    return run


def in_order(
    parts: Iterator[Partition], submit: Callable[[Partition], Any], window: int
) -> Generator[tuple[Partition, PartResult | None], None, None]:
    """Submit partitions keeping at most `window` in flight, and yield their results in order.

    `submit` returns a future (anything with `result()`); standard input is left to the caller.
    """
    pending: deque[tuple[Partition, Any]] = deque()

    def fill() -> None:
        while len(pending) < window and (part := next(parts, None)) is not None:
            pending.append((part, None if part.stdin else submit(part)))

    fill()
    try:
        while pending:
            part, future = pending.popleft()
            result = None if future is None else future.result()
            fill()  # before the caller takes its time writing this result out
            yield part, result
    finally:
        for _, future in pending:
            if future is not None:
                future.cancel()


def workers_for(paths: Sequence[str], jobs: int, size: int | None = None) -> int:
    """How many processes a scan of `paths` on `jobs` would use: no more than the partitions of
    `size` bytes (default: `partition_bytes`) the input makes; 1 when the input is smaller than
    two partitions, or where processes cannot be forked (then it is not worth splitting)."""
    size = size or partition_bytes(paths, jobs)
    parts = estimate(paths, size)
    if jobs < 2 or not can_fork() or total_bytes(paths) < size or parts < 2:
        return 1
    return min(jobs, parts)  # a process more than there are partitions would only wait


def scan_paths_parallel(
    paths: Sequence[str], matcher: Matcher, options: ReadOptions, *, jobs: int,
    summary: ScanSummary, on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None, keep: RecordFilter | None = None,
    size: int | None = None, scanner: PartScanner | None = None,
) -> Iterator[Finding]:
    """`scan_in_process` on `jobs` forked processes (at most one per partition of `size` bytes,
    default `partition_bytes`), with the same findings, counts and errors in the same order;
    `scanner` scans each partition (default: `scan_partition`).

    Whether that is worth it is for the caller to judge (`workers_for`; wildcli.scanning.choice).
    """
    if not can_fork():
        raise UsageError("scanning on several processes needs fork(), which this platform lacks")
    size = size or partition_bytes(paths, jobs)
    jobs = min(jobs, estimate(paths, size))
    runner = pool_runner(jobs, matcher, options, keep is not None, scanner)
    yield from run_scan(runner, paths, matcher, options, size, summary=summary, on_error=on_error,
                        on_progress=on_progress, keep=keep)
