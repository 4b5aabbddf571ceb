"""One scan as the CLI runs it: wires readers, matcher, writers, progress and error lines."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from wildcli.cli.console import ExitCode, fail, stderr, warn
from wildcli.errors import InputError, OutputError, UsageError
from wildcli.lexicon.model import Lexicon
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers.base import FileProblem, ReadOptions, Record
from wildcli.reports import ReportFormat, write_findings
from wildcli.reports.summary import ScanSummary
from wildcli.safety import strip_controls
from wildcli.scanning import Engine
from wildcli.scanning.baseline import Baseline, BaselineRecorder, Keep, chain
from wildcli.scanning.choice import scan_paths
from wildcli.scanning.parallel import WorkerLost
from wildcli.scanning.quiet import HideBelow


class _TooManyErrors(Exception):
    pass


def load_baseline(path: Path, lexicon: Lexicon) -> Baseline:
    """The baseline at `path`, or exit 66 naming the problem; warns when the lexicon changed."""
    try:
        baseline = Baseline.load(path)
    except InputError as error:
        fail(error, ExitCode.NO_INPUT)
    if baseline.lexicon_digest and baseline.lexicon_digest != lexicon.digest:
        warn(
            f"note: {path} was written with another lexicon; listings it holds are reported "
            "again only for concepts they had no finding of"
        )
    return baseline


@dataclass
class ScanRun:
    matcher: Matcher
    read: ReadOptions
    max_errors: int
    max_error_lines: int
    warn: Callable[[str], None]
    summary: ScanSummary = field(default_factory=ScanSummary)
    stopped_early: bool = False
    file_problems: int = 0  # of summary.bad_rows: problems with a whole input, not with a row
    baseline: Baseline | None = None  # report only the findings it does not hold
    write_baseline: str | None = None  # record this scan's findings there
    recorder: BaselineRecorder | None = None
    jobs: int = 1  # processes (local engine) or local Dask workers
    engine: Engine = Engine.LOCAL
    scheduler: str | None = None  # a Dask scheduler's address
    suppressed: int = 0  # findings left out because the baseline holds them
    hide: HideBelow | None = None  # the weak signals a report for people leaves out, counted

    def on_error(self, error: InputError) -> None:
        if isinstance(error, FileProblem):
            self.file_problems += 1
        shown = self.summary.bad_rows + self.summary.missing_inputs
        if shown <= self.max_error_lines:
            self.warn(f"error: {error}")
        if self.max_errors and self.bad_rows >= self.max_errors:
            raise _TooManyErrors

    @property
    def bad_rows(self) -> int:
        """Rows that could not be read (`--max-errors` counts these, not file problems)."""
        return self.summary.bad_rows - self.file_problems

    def findings(self, paths: list[str], on_progress: Callable[[int], None] | None) -> Iterator[Finding]:
        filters: list[Keep] = []
        if self.write_baseline:  # first, so the new baseline holds every finding, old or new
            self.recorder = BaselineRecorder()
            filters.append(self.recorder.record)
        if self.baseline is not None:
            filters.append(self._counting(self.baseline.new_findings))
        if self.hide is not None:
            filters.append(self.hide)
        try:
            yield from scan_paths(
                paths, self.matcher, self.read, summary=self.summary, on_error=self.on_error,
                on_progress=on_progress, keep=chain(filters), jobs=self.jobs, engine=self.engine,
                scheduler=self.scheduler,
            )
        except _TooManyErrors:
            self.stopped_early = True

    def _counting(self, keep: Keep) -> Keep:
        """`keep`, counting the findings it leaves out in `suppressed`."""
        def counted(record: Record, findings: list[Finding]) -> list[Finding]:
            kept = keep(record, findings)
            self.suppressed += len(findings) - len(kept)
            return kept
        return counted

    def execute(self, paths: list[str], fmt: ReportFormat, output: str | None, *, top: int, progress: bool) -> None:
        from wildcli.atomic import KeepOld, atomic_writer, same_file

        for given, what in ((output, "--output"), (self.write_baseline, "--write-baseline")):
            clash = next((p for p in paths if given and p != "-" and same_file(given, p)), None)
            if given and clash is not None:
                fail(f"{what} {given} is also an input: writing it would replace the dump", ExitCode.USAGE)
        if self.scheduler is None:
            self._cap_jobs(paths)
        to_terminal = output is None and sys.stdout.isatty()
        try:
            with atomic_writer(output, newline="\n" if fmt in (ReportFormat.TABLE, ReportFormat.HTML) else "") as out:
                # The bar shares the terminal with stdout: the table and the HTML page are written
                # only once it is gone, and findings streamed onto the terminal go without one.
                if fmt is ReportFormat.TABLE:
                    from wildcli.cli.table import render_table
                    from wildcli.reports.digest import FindingDigest

                    with self._progress(paths, progress) as advance:
                        # Field names come from the dump's header: as hostile as the listing text.
                        found = (replace(f, field=strip_controls(f.field or "")) for f in self.findings(paths, advance))
                        digest = FindingDigest(top).add_all(found)
                    render_table(digest, self.summary, out, color=to_terminal,
                                 suppressed=self.suppressed if self.baseline is not None else None,
                                 hidden=self.hide.hidden if self.hide is not None else None)
                elif fmt is ReportFormat.HTML:
                    from wildcli.reports.html import write_html

                    with self._progress(paths, progress) as advance:
                        findings = list(self.findings(paths, advance))
                    write_html(findings, self.summary, out, lexicon=self.matcher.lexicon, sources=paths)
                else:
                    from wildcli.scanning.streaming import is_stream

                    with self._progress(paths, progress and not to_terminal) as advance:
                        write_findings(self.findings(paths, advance), fmt, out, flush=any(map(is_stream, paths)))
                if self.baseline is not None and fmt is not ReportFormat.TABLE:
                    self.warn(f"left out {_count(self.suppressed, 'finding')} already in the baseline")
                if self.nothing_read:  # an existing report or baseline stays rather than become an empty one
                    kept = [f for f in (output, self.write_baseline) if f]
                    if kept:
                        self.warn(f"note: {' and '.join(kept)} left unchanged: no input could be read")
                    raise KeepOld
                self._save_baseline()
        except OutputError as error:
            fail(error, ExitCode.CANT_CREATE)
        except UsageError as error:
            fail(error, ExitCode.USAGE)
        except WorkerLost as error:
            fail(error, ExitCode.WORKER_LOST)
        self.report_errors()

    def _cap_jobs(self, paths: list[str]) -> None:
        """Start no more processes than the input has partitions and the machine has cores; the
        default (all cores) is capped silently, a larger --jobs with a note."""
        from wildcli.scanning.partition import estimate, partition_bytes, useful_jobs

        cores = os.cpu_count() or 1
        useful = useful_jobs(paths, self.jobs, cores)
        if self.jobs > cores and useful < self.jobs:
            parts = estimate(paths, partition_bytes(paths, self.jobs))
            self.warn(f"note: --jobs {self.jobs}: scanning with {_count(useful, 'process')} "
                      f"({_count(parts, 'partition')} of the input, {_count(cores, 'core')})")
        self.jobs = useful

    @property
    def nothing_read(self) -> bool:
        """No record was read, and an input was missing or unusable: the scan failed outright."""
        return bool(self.summary.missing_inputs) and not self.summary.records

    def _save_baseline(self) -> None:
        if self.recorder is None or not self.write_baseline:
            return
        if self.stopped_early:
            self.warn(f"error: {self.write_baseline} not written: the scan stopped early")
            return
        self.recorder.write(self.write_baseline, self.matcher.lexicon)
        self.warn(f"baseline of {len(self.recorder.seen)} listing/concept pairs written to {self.write_baseline}")

    def report_errors(self) -> None:
        """The closing error lines: rows lost, errors not shown, a stop on --max-errors."""
        s = self.summary
        hidden = s.bad_rows + s.missing_inputs - self.max_error_lines
        if hidden > 0:
            self.warn(f"error: {hidden} more input errors not shown")
        if self.stopped_early:
            self.warn(f"error: stopped after {_count(self.bad_rows, 'unreadable row')} (--max-errors/--strict)")
        elif self.bad_rows:
            self.warn(
                f"error: {_count(self.bad_rows, 'unreadable row')} skipped; "
                f"{_count(s.records, 'other record')} scanned"
            )

    @contextlib.contextmanager
    def _progress(self, paths: list[str], enabled: bool) -> Iterator[Callable[[int], None] | None]:
        if not enabled:
            yield None
            return
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        total = 0
        for path in paths:
            with contextlib.suppress(OSError):
                total += os.path.getsize(path) if path != "-" else 0
        columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
        # Transient: the bar is erased when the scan ends, so the summary starts on a clean line.
        # No redirection: rich would otherwise send whatever goes to sys.stdout (the findings,
        # even when stdout is a file) through the stderr console.
        with Progress(*columns, console=stderr(), transient=True, redirect_stdout=False,
                      redirect_stderr=False) as bar:
            task = bar.add_task("scan", total=total or None)
            yield lambda n: bar.advance(task, n)
            # A small file is read before the first refresh: its last frame says it is done.
            if total:
                bar.update(task, completed=total)
                bar.refresh()

    def exit_code(self, fail_on_findings: bool) -> ExitCode:
        s = self.summary
        if s.missing_inputs:
            return ExitCode.NO_INPUT
        if s.bad_rows:
            return ExitCode.DATA_ERROR
        if fail_on_findings and s.findings:
            return ExitCode.FINDINGS
        return ExitCode.OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "es" if noun.endswith("s") else "s")
