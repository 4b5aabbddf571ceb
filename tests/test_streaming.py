"""A stream (a pipe, a FIFO) is scanned as it arrives: its findings come out while it is still
open, not once a batch of 1,024 records has filled."""

from __future__ import annotations

import contextlib
import io
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wildcli.errors import InputError, InputUnavailable, Location
from wildcli.lexicon import load_lexicon
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import Record
from wildcli.reports.base import ReportFormat, write_findings
from wildcli.scanning.choice import scan_paths
from wildcli.scanning.local import ScanSummary
from wildcli.scanning.queries import check_paths
from wildcli.scanning.streaming import AHEAD, is_stream, read_ahead

IVORY = '{"id": "%d", "title": "carved ivory netsuke"}\n'


def _record(n: int) -> Record:
    return Record("<stdin>", n, str(n), {"title": f"listing {n}"}, n)


def test_a_pause_in_the_stream_is_told_once() -> None:
    def read(report: Callable[[InputError], None]) -> Iterator[Record]:
        yield _record(1)
        time.sleep(0.3)
        yield _record(2)
        yield _record(3)

    got = list(read_ahead(read, lambda error: None, linger=0.05))
    assert [None if r is None else r.row for r in got] == [1, None, 2, 3]


def test_problems_come_in_file_order_among_the_records_and_raises_come_through() -> None:
    events: list[object] = []
    problem = InputError("not valid JSON", Location("<stdin>", 2))

    def read(report: Callable[[InputError], None]) -> Iterator[Record]:
        yield _record(1)
        report(problem)
        yield _record(3)
        raise InputUnavailable("read error", Location("<stdin>"))

    def scan() -> None:
        events.extend(read_ahead(read, events.append, linger=5))

    with pytest.raises(InputUnavailable, match="read error"):
        scan()
    assert [getattr(e, "row", e) for e in events] == [1, problem, 3]


def test_the_reading_thread_stays_a_bounded_distance_ahead() -> None:
    produced = [0]

    def read(report: Callable[[InputError], None]) -> Iterator[Record]:
        while True:
            produced[0] += 1
            yield _record(produced[0])

    records = read_ahead(read, lambda error: None)
    taken = [next(records) for _ in range(10)]
    time.sleep(0.3)
    assert len(taken) == 10
    assert produced[0] <= AHEAD + 10 + 1
    records.close()
    time.sleep(0.05)
    stopped = produced[0]
    time.sleep(0.1)
    assert produced[0] == stopped  # closing the scan stopped the thread


def test_pipes_and_fifos_are_streams_files_are_not(tmp_path: Path) -> None:
    plain = tmp_path / "dump.jsonl"
    plain.write_text("{}\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(os.dup(read_end), "rb") as pipe:
            assert is_stream("-", pipe)
        assert is_stream(str(fifo))
        assert not is_stream(str(plain))
        assert not is_stream(str(tmp_path / "missing.jsonl"))
        assert not is_stream("-", io.BytesIO(b"{}"))  # in memory: it cannot pause
    finally:
        os.close(read_end)
        os.close(write_end)


@pytest.mark.parametrize(("jobs", "files_first"), [(1, 0), (2, 0), (2, 300)])
def test_findings_of_a_fifo_come_out_before_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, files_first: int
) -> None:
    # With a file before it on two jobs, the file is split among processes (small partitions)
    # and the FIFO, after it in the output, is still read as it arrives.
    monkeypatch.setattr("wildcli.scanning.partition.MIN_PARTITION_BYTES", 1500)
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(IVORY % n for n in range(100, 100 + files_first)), "utf-8")
    fifo = tmp_path / "listings.jsonl"
    os.mkfifo(fifo)
    first_finding = threading.Event()
    released_early = [False]

    def writer() -> None:
        with open(fifo, "w", encoding="utf-8") as out:
            out.write(IVORY % 1)
            out.flush()
            released_early[0] = first_finding.wait(timeout=20)
            out.write('{"id": "2", "title": "oak table"}\n' + IVORY % 3)

    thread = threading.Thread(target=writer)
    thread.start()
    matcher = Matcher(load_lexicon())
    summary = ScanSummary()
    found: list[Finding] = []
    paths = [str(dump), str(fifo)] if files_first else [str(fifo)]
    for finding in scan_paths(paths, matcher, summary=summary, jobs=jobs):
        found.append(finding)
        if finding.source == str(fifo):
            first_finding.set()
    thread.join()
    assert released_early[0], "the first finding waited for the end of the stream"
    assert next(f.record for f in found if f.source == str(fifo)) == "1"
    assert {f.record for f in found if f.source == str(fifo)} == {"1", "3"}
    assert [f.source for f in found] == sorted(f.source for f in found)  # the file's come first
    assert summary.records == 3 + files_first


def _fifo_writer(fifo: Path, first: str, rest: str, seen: threading.Event) -> tuple[threading.Thread, list[bool]]:
    """A thread that sends `first`, waits until the scan has answered it, then sends `rest`."""
    released_early = [False]

    def write() -> None:
        with open(fifo, "w", encoding="utf-8") as out:
            out.write(first)
            out.flush()
            released_early[0] = seen.wait(timeout=20)
            out.write(rest)

    thread = threading.Thread(target=write)
    thread.start()
    return thread, released_early


def test_queries_of_a_fifo_are_checked_as_they_arrive(tmp_path: Path) -> None:
    fifo = tmp_path / "queries.txt"  # named .txt: one query a line
    os.mkfifo(fifo)
    seen = threading.Event()
    thread, released_early = _fifo_writer(fifo, "carved ivory netsuke\n\n", "oak table\r\nrhino horn cup\n", seen)
    results = []
    for result in check_paths([str(fifo)], Matcher(load_lexicon())):
        results.append(result)
        seen.set()
    thread.join()
    assert released_early[0], "the first answer waited for the end of the stream"
    assert [(r.record.id, r.query, r.count, r.action.value) for r in results] == [
        ("1", "carved ivory netsuke", 1, "block"), ("3", "oak table", 1, "allow"), ("4", "rhino horn cup", 1, "block")]


def test_a_query_log_on_a_fifo_keeps_its_counts(tmp_path: Path) -> None:
    fifo = tmp_path / "log.tsv"
    os.mkfifo(fifo)
    seen = threading.Event()
    thread, released_early = _fifo_writer(fifo, "query\tsearches\ncarved ivory netsuke\t1,500\n",
                                          "oak table\t4\nrhino horn cup\t12\n", seen)  # fmt: skip
    summary = ScanSummary()
    found = []
    for finding in scan_paths([str(fifo)], Matcher(load_lexicon()), summary=summary, jobs=2):
        found.append(finding)
        seen.set()
    thread.join()
    assert released_early[0]
    assert {(f.record, f.count) for f in found} == {("1", 1500), ("3", 12)}
    assert (summary.records, summary.searches, summary.searches_with_findings, summary.counted) == (3, 1516, 1512, True)


class _Out(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushed_at: list[int] = []

    def flush(self) -> None:
        self.flushed_at.append(len(self.getvalue().splitlines()))


def test_flushing_writes_push_out_each_finding() -> None:
    matcher = Matcher(load_lexicon())
    findings = matcher.find("carved ivory netsuke, rhino horn cup")
    assert len(findings) >= 2
    out = _Out()
    write_findings(findings, ReportFormat.JSONL, out, flush=True)
    assert out.flushed_at[: len(findings)] == list(range(1, len(findings) + 1))


@contextlib.contextmanager
def _scanning_a_pipe() -> Iterator[subprocess.Popen[bytes]]:
    """`wildcli scan -` with one listing sent and its first finding printed; stdin still open.
    Stdout is buffered as usual (this environment may say otherwise)."""
    with subprocess.Popen(
        [sys.executable, "-m", "wildcli", "scan", "-", "--format", "jsonl", "--no-progress"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    ) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        try:
            proc.stdin.write((IVORY % 1).encode())
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, "no finding while the pipe stayed open"
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)


def test_the_cli_prints_a_finding_of_a_pipe_while_the_pipe_is_open() -> None:
    # The default --jobs (all cores) reads a stream in the main process, as it arrives.
    with _scanning_a_pipe() as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        assert b'"record": "1"' in proc.stdout.readline()
        proc.stdin.write((IVORY % 2).encode())
        proc.stdin.close()
        rest = proc.stdout.read()
    assert b'"record": "2"' in rest
    assert proc.returncode == 0


def test_ctrl_c_while_waiting_on_a_pipe_exits_130_cleanly() -> None:
    # The reading thread is blocked in a read of stdin when the scan is interrupted: Python must
    # still shut down without aborting on stdin's lock.
    with _scanning_a_pipe() as proc:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)  # stdin stays open: the thread is still blocked reading it
        assert proc.stderr is not None
        text = proc.stderr.read().decode()
    assert proc.returncode == 130, text
    assert "interrupted after 1 records" in text
    assert "Fatal Python error" not in text
    assert "Traceback" not in text
